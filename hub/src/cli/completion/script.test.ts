import { Command, Option } from "commander";
import { describe, expect, it } from "vitest";
import { completionScript } from "./script.js";
import { completionTree } from "./tree.js";

const tree = () => {
  const root = new Command("flotilla");
  const rollout = new Command("rollout");
  rollout.addCommand(new Command("status").argument("<addon>").addOption(new Option("--kubeconfig <file>", "the hub's kubeconfig")).option("-w, --watch", "it's live"));
  rollout.addCommand(new Command("pause").argument("<addon>"));
  root.addCommand(rollout);
  root.addCommand(new Command("get").alias("g").addOption(new Option("-o, --output <format>", "format").choices(["json", "yaml"])));
  return completionTree(root);
};

describe("bash", () => {
  const script = completionScript("bash", tree(), "flotilla");
  it.each([
    // each node: its subcommands and aliases, flags, and flags taking a value
    [`    'rollout') subs='status pause help'; flags='-h --help'; valued='' ;;`],
    [`    'rollout status') subs=''; flags='--kubeconfig -w --watch -h --help'; valued='--kubeconfig' ;;`],
    [`    '') subs='rollout get g help'; flags='-h --help'; valued='' ;;`],
    // aliases resolve to the canonical name
    [`    '/get'|'/g') child='get' ;;`],
    // flag values and positional arguments
    [`    'get/-o'|'get/--output') kind='choices json yaml' ;;`],
    [`    'rollout status/--kubeconfig') kind='file' ;;`],
    [`    'rollout status/0') kind='addons' ;;`],
    [`complete -F _flotilla flotilla`],
    // what bin/kubectl_complete-flotilla reads to hand file names back to the shell
    [`    file) compfiles=file; compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$2")) ;;`],
  ])("has %s", (line) => expect(script.split("\n")).toContain(line));
});

describe("zsh", () => {
  it("runs the bash tables through bashcompinit", () => {
    const script = completionScript("zsh", tree(), "flotilla");
    expect(script.startsWith("#compdef flotilla\n")).toBe(true);
    expect(script).toContain("autoload -U +X bashcompinit && bashcompinit\n");
    expect(script).toContain("complete -F _flotilla flotilla\n");
  });
});

describe("fish", () => {
  const lines = completionScript("fish", tree(), "flotilla").split("\n");
  it.each([
    [`complete -c flotilla -n '__flotilla_at \\'rollout\\'' -a 'status' -d ''`],
    [`complete -c flotilla -n '__flotilla_at \\'rollout status\\'' -l kubeconfig -r -F -d 'the hub\\'s kubeconfig'`],
    [`complete -c flotilla -n '__flotilla_at \\'rollout status\\'' -s w -l watch -d 'it\\'s live'`],
    [`complete -c flotilla -n '__flotilla_at \\'get\\'' -s o -l output -x -a 'json yaml' -d 'format'`],
    [`complete -c flotilla -n '__flotilla_arg \\'rollout status\\' 0' -a '(__flotilla_names addons)'`],
    [`        case '/get' '/g'`],
  ])("has %s", (line) => expect(lines).toContain(line));
});

describe("the plugin", () => {
  it("completes kubectl flotilla as its executable, kubectl-flotilla", () => {
    expect(completionScript("bash", tree(), "kubectl flotilla")).toContain("complete -F _kubectl_flotilla kubectl-flotilla\n");
  });
});
