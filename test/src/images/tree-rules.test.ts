import { describe, expect, it } from "vitest";
import { treeViolations, type TreeListing } from "./tree-rules.js";

const LOCK = {
  "node_modules/@flotilla/hub": { link: true },
  "node_modules/@flotilla/shared": { link: true },
  "node_modules/@flotilla/agent": { link: true },
  "node_modules/ws": {},
  "shared/node_modules/ajv": {},
  "node_modules/rollup": { dev: true },
  "node_modules/typescript": { dev: true },
};
const HUB_FILES = ["hub/package.json", "hub/bin/flotilla.js", "hub/dist/cli/main.js", "hub/dist/cli/main.js.map", "shared/package.json", "shared/dist/index.js", "node_modules/ws/index.js", "shared/node_modules/ajv/dist/ajv.js"];
const HUB_PACKAGES = ["node_modules/@flotilla/hub", "node_modules/@flotilla/shared", "node_modules/ws", "shared/node_modules/ajv"];
const hub = (extra: Partial<TreeListing> = {}): TreeListing => ({ files: HUB_FILES, packages: HUB_PACKAGES, lock: LOCK, ...extra });

const AGENT_FILES = ["agent/package.json", "agent/bin/flotilla-agent.js", "agent/dist/bundle/flotilla-agent.mjs", "agent/dist/bundle/flotilla-agent.mjs.map"];
const agent = (extra: Partial<TreeListing> = {}): TreeListing => ({ files: AGENT_FILES, packages: [], lock: LOCK, ...extra });

describe("treeViolations", () => {
  it.each([
    ["a hub tree of hub, shared and their packages", "hub", hub(), []],
    ["an agent tree of its entry and bundle", "agent", agent(), []],
    ["a TypeScript source", "hub", hub({ files: [...HUB_FILES, "hub/src/hub.ts"] }), ["hub/src/hub.ts: TypeScript source or declaration"]],
    ["a declaration in a package", "hub", hub({ files: [...HUB_FILES, "node_modules/ws/index.d.ts"] }), ["node_modules/ws/index.d.ts: TypeScript source or declaration"]],
    ["a compiled test and its map", "hub", hub({ files: [...HUB_FILES, "hub/dist/a.test.js", "hub/dist/a.test.js.map"] }), ["hub/dist/a.test.js: test output", "hub/dist/a.test.js.map: test output"]],
    ["a package's own tests", "hub", hub({ files: [...HUB_FILES, "node_modules/ws/test/a.js", "node_modules/ws/lib/x.spec.js"] }), ["node_modules/ws/test/a.js: test output", "node_modules/ws/lib/x.spec.js: test output"]],
    ["a map without its file", "hub", hub({ files: [...HUB_FILES, "hub/dist/gone.js.map"] }), ["hub/dist/gone.js.map: a source map without the file it maps"]],
    ["the test workspace", "hub", hub({ files: [...HUB_FILES, "test/package.json"] }), ["test/: not part of the hub image"]],
    ["the agent workspace linked in", "hub", hub({ packages: [...HUB_PACKAGES, "node_modules/@flotilla/agent"] }), ["node_modules/@flotilla/agent: a workspace the hub image does not carry"]],
    ["a development tool", "hub", hub({ packages: [...HUB_PACKAGES, "node_modules/typescript"] }), ["node_modules/typescript: a development tool"]],
    ["a transitive development dependency", "hub", hub({ packages: [...HUB_PACKAGES, "node_modules/rollup"] }), ["node_modules/rollup: a development dependency"]],
    ["a package the lockfile does not know", "hub", hub({ packages: [...HUB_PACKAGES, "node_modules/left-pad"] }), ["node_modules/left-pad: not in package-lock.json"]],
    ["a types-only package", "hub", hub({ packages: [...HUB_PACKAGES, "node_modules/@types/node"] }), ["node_modules/@types/node: types only"]],
    ["a hub tree without its CLI", "hub", hub({ files: HUB_FILES.filter((f) => f !== "hub/bin/flotilla.js") }), ["hub/bin/flotilla.js: missing"]],
    ["shared beside the agent bundle", "agent", agent({ files: [...AGENT_FILES, "shared/dist/index.js"] }), ["shared/: not part of the agent image"]],
    ["hub code in the agent tree", "agent", agent({ files: [...AGENT_FILES, "hub/bin/flotilla.js"] }), ["hub/: not part of the agent image"]],
    ["node_modules in the agent tree", "agent", agent({ files: [...AGENT_FILES, "agent/node_modules/ws/index.js"], packages: ["agent/node_modules/ws"] }), [
      "agent/node_modules/ws: the agent image runs its bundle, it has no node_modules",
      "agent/node_modules/ws/index.js: not the agent's entry or bundle",
    ]],
    ["the agent's unbundled dist", "agent", agent({ files: [...AGENT_FILES, "agent/dist/main.js"] }), ["agent/dist/main.js: not the agent's entry or bundle"]],
    ["an agent tree without its bundle", "agent", agent({ files: AGENT_FILES.filter((f) => !f.endsWith(".mjs")) }), [
      "agent/dist/bundle/flotilla-agent.mjs: missing",
      "agent/dist/bundle/flotilla-agent.mjs.map: a source map without the file it maps",
    ]],
  ] as const)("%s", (_name, kind, listing, expected) => {
    expect(treeViolations(kind, listing)).toEqual(expected);
  });
});
