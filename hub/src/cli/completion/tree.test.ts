import { Argument, Command, Option } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../program.js";
import { completionTree, valueKind, walk } from "./tree.js";

describe("valueKind", () => {
  it.each([
    ["addon", undefined, { type: "addons" }],
    ["cluster", undefined, { type: "clusters" }],
    ["file", undefined, { type: "file" }],
    ["dir", undefined, { type: "dir" }],
    ["format", ["json", "yaml"], { type: "choices", values: ["json", "yaml"] }],
    ["addon", ["a"], { type: "choices", values: ["a"] }],
    ["n", undefined, { type: "none" }],
    [undefined, undefined, { type: "none" }],
  ])("%s %j → %j", (placeholder, choices, want) => expect(valueKind(placeholder, choices)).toEqual(want));
});

describe("completionTree", () => {
  const program = () => {
    const root = new Command("tool");
    const get = new Command("get").alias("g").description("get things");
    get.addCommand(
      new Command("one")
        .argument("<addon>")
        .addOption(new Option("-o, --output <format>", "out").choices(["json", "yaml"]))
        .addOption(new Option("--kubeconfig <file>", "kc"))
        .addOption(new Option("--cluster <cluster>", "c"))
        .addOption(new Option("--secret <x>", "hidden").hideHelp())
        .option("-w, --watch", "follow"),
    );
    root.addCommand(get);
    root.addCommand(new Command("many").addArgument(new Argument("<shell>").choices(["bash"])).addArgument(new Argument("[names...]")));
    root.addCommand(new Command("__secret"), { hidden: true });
    return root;
  };

  it("keeps visible commands with their aliases and the implicit help, leaves hidden ones out", () => {
    const tree = completionTree(program());
    expect(tree.subcommands.map((s) => s.names)).toEqual([["get", "g"], ["many"], ["help"]]);
    expect(walk(tree).map((n) => n.path.join(" "))).toEqual(["", "get", "get one", "get help", "many", "help"]);
  });

  it("reads each flag's names, whether it takes a value, and what the value completes", () => {
    const one = walk(completionTree(program())).find((n) => n.path.join(" ") === "get one");
    expect(one?.flags.map((f) => [f.names, f.takesValue, f.value])).toEqual([
      [["-o", "--output"], true, { type: "choices", values: ["json", "yaml"] }],
      [["--kubeconfig"], true, { type: "file" }],
      [["--cluster"], true, { type: "clusters" }],
      [["-w", "--watch"], false, { type: "none" }],
      [["-h", "--help"], false, { type: "none" }],
    ]);
    expect(one?.args).toEqual([{ value: { type: "addons" }, variadic: false }]);
  });

  it("knows the real CLI's names: rollout commands complete addons, diff --cluster clusters", () => {
    const nodes = walk(completionTree(buildProgram()));
    const at = (p: string) => nodes.find((n) => n.path.join(" ") === p);
    for (const p of ["rollout status", "rollout promote", "rollout pause", "rollout resume", "rollout history", "rollout undo", "diff", "get addons"]) {
      expect(at(p)?.args[0]?.value, p).toEqual({ type: "addons" });
    }
    expect(at("get clusters")?.args[0]?.value).toEqual({ type: "clusters" });
    expect(at("diff")?.flags.find((f) => f.names.includes("--cluster"))?.value).toEqual({ type: "clusters" });
    expect(at("")?.subcommands.map((s) => s.names[0])).not.toContain("__complete");
  });
});
