import { describe, expect, it } from "vitest";
import { entrypointOf, nodeArgsOnTree } from "./dockerfile.js";

describe("entrypointOf", () => {
  it.each([
    ["the only one", 'FROM x\nENTRYPOINT ["/nodejs/bin/node", "/app/hub/bin/flotilla.js", "hub"]\n', ["/nodejs/bin/node", "/app/hub/bin/flotilla.js", "hub"]],
    ["the final stage's", 'FROM a AS build\nENTRYPOINT ["/bin/true"]\nFROM b\nENTRYPOINT ["/nodejs/bin/node", "x.js"]\n', ["/nodejs/bin/node", "x.js"]],
  ])("%s", (_name, text, expected) => {
    expect(entrypointOf(text)).toEqual(expected);
  });
  it.each([
    ["none", "FROM x\nCMD [\"a\"]\n", "no exec-form ENTRYPOINT in the Dockerfile"],
    ["shell form only", "FROM x\nENTRYPOINT node a.js\n", "no exec-form ENTRYPOINT in the Dockerfile"],
    ["not strings", "FROM x\nENTRYPOINT [1, 2]\n", "ENTRYPOINT is not a list of strings: [1, 2]"],
  ])("refuses %s", (_name, text, message) => {
    expect(() => entrypointOf(text)).toThrow(message);
  });
});

describe("nodeArgsOnTree", () => {
  it("moves the image's paths onto the tree and keeps Node flags", () => {
    expect(nodeArgsOnTree(["/nodejs/bin/node", "--max-semi-space-size=1", "/app/agent/bin/flotilla-agent.js"], "/app", "/tmp/t")).toEqual([
      "--max-semi-space-size=1",
      "/tmp/t/agent/bin/flotilla-agent.js",
    ]);
  });
  it("leaves a path outside the app folder alone", () => {
    expect(nodeArgsOnTree(["/nodejs/bin/node", "/application/x.js"], "/app", "/tmp/t")).toEqual(["/application/x.js"]);
  });
  it("refuses an entrypoint that is not node", () => {
    expect(() => nodeArgsOnTree(["/usr/local/bin/helm"], "/app", "/t")).toThrow("ENTRYPOINT does not run node");
  });
});
