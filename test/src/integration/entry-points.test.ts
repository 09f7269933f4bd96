import { execFile } from "node:child_process";
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir, removeDir } from "../harness/tmp.js";

/**
 * What each entry point loads, traced by a module hook (test/fixtures/load-trace): the boundaries the
 * lint rules enforce on imports, checked on the running program. The agent's lean entry loads neither
 * hub, harness nor CLI framework; the hub process loads no harness; `--help` loads no Kubernetes client.
 */
const root = fileURLToPath(new URL("../../../", import.meta.url));
const register = join(root, "test/fixtures/load-trace/register.mjs");
const cli = join(root, "hub/bin/flotilla.js");
const agentBin = join(root, "agent/bin/flotilla-agent.js");
const run = promisify(execFile);

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir("entry-points");
});
afterAll(async () => {
  await removeDir(dir);
});

let n = 0;
/** Runs `node <script> ...args` under the trace; returns its exit code and the loaded module URLs. */
async function trace(script: string, ...args: string[]): Promise<{ code: number; modules: string[]; stderr: string }> {
  const file = join(dir, `trace-${++n}.txt`);
  const env = { ...process.env, LOAD_TRACE_FILE: file, KUBECONFIG: join(dir, "missing.kubeconfig") };
  const done = await run(process.execPath, ["--import", register, script, ...args], { env, timeout: 60_000 }).then(
    (r) => ({ code: 0, stderr: r.stderr }),
    (err: { code?: number; stderr?: string }) => ({ code: typeof err.code === "number" ? err.code : -1, stderr: err.stderr ?? "" }),
  );
  const modules = (await readFile(file, "utf8")).split("\n").filter(Boolean);
  return { ...done, modules };
}

const from = (modules: string[], part: string) => modules.filter((u) => u.includes(part));
const HUB = "/hub/dist/";
const AGENT = "/agent/dist/";
const BUNDLE = "/agent/dist/bundle/flotilla-agent.mjs";
const HARNESS = "/test/dist/";
const KUBE_CLIENT = "/node_modules/@kubernetes/client-node/";
const COMMANDER = "/node_modules/commander/";
const CEL = "/node_modules/@marcbachmann/cel-js/";

describe("what each entry point loads", () => {
  it("flotilla-agent (the agent image's entry) runs the bundle and loads nothing else of ours", async () => {
    const r = await trace(agentBin, "--help");
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain("no bundle");
    expect(from(r.modules, BUNDLE)).toHaveLength(1);
    // one file holds the whole agent: nothing from dist/ or node_modules is loaded beside it
    expect(r.modules.filter((u) => u.startsWith("file:") && !u.includes(BUNDLE) && !u.endsWith("/bin/flotilla-agent.js"))).toEqual([]);
  });

  it("the agent bundle holds agent and shared code only: no hub, harness or CLI framework", async () => {
    const meta = JSON.parse(await readFile(join(root, "agent/dist/bundle/meta.json"), "utf8")) as { inputs: Record<string, unknown> };
    const inputs = Object.keys(meta.inputs).map((p) => `/agent/${p}`.replace(/\/agent\/\.\.\//, "/"));
    expect(from(inputs, "/agent/dist/agent.js")).toHaveLength(1); // the whole agent graph, not just --help
    expect(from(inputs, "/shared/dist/")).not.toEqual([]);
    expect(from(inputs, HUB)).toEqual([]);
    expect(from(inputs, HARNESS)).toEqual([]);
    expect(from(inputs, COMMANDER)).toEqual([]);
  });

  it("flotilla-agent falls back to the unbundled agent, saying so, when there is no bundle", async () => {
    // a copy of the bin beside a dist/ without bundle/ (its main.js is the built one)
    const pkg = join(dir, "agent-without-bundle");
    await mkdir(join(pkg, "bin"), { recursive: true });
    await mkdir(join(pkg, "dist"), { recursive: true });
    await copyFile(agentBin, join(pkg, "bin/flotilla-agent.js"));
    await writeFile(join(pkg, "dist/main.js"), `export * from ${JSON.stringify(pathToFileURL(join(root, "agent/dist/main.js")).href)};\n`);
    const r = await trace(join(pkg, "bin/flotilla-agent.js"), "--version");
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("no bundle");
    expect(from(r.modules, `${AGENT}agent.js`)).toHaveLength(1);
    expect(from(r.modules, BUNDLE)).toEqual([]);
    expect(from(r.modules, CEL)).toEqual([]); // loaded with the first addon that has a cel health check
    expect(from(r.modules, `${AGENT}health/cel.js`)).toHaveLength(1);
  });

  it("flotilla agent runs that same entry through the one CLI, without hub controllers or harness", async () => {
    const r = await trace(cli, "agent", "--help");
    expect(r.code).toBe(0);
    expect(from(r.modules, `${AGENT}main.js`)).toHaveLength(1);
    expect(from(r.modules, `${HUB}hub.js`)).toEqual([]);
    expect(from(r.modules, `${HUB}controllers/`)).toEqual([]);
    expect(from(r.modules, HARNESS)).toEqual([]);
  });

  it("flotilla hub loads the hub and never the harness or the agent", async () => {
    // no kubeconfig there: the hub fails at start, after its modules have loaded
    const r = await trace(cli, "hub", "--nats", "nats://127.0.0.1:1", "--metrics-addr", "127.0.0.1:0");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("flotilla:");
    expect(from(r.modules, `${HUB}hub.js`)).toHaveLength(1);
    expect(from(r.modules, `${HUB}controllers/placement/controller.js`)).toHaveLength(1);
    expect(from(r.modules, HARNESS)).toEqual([]);
    expect(from(r.modules, AGENT)).toEqual([]);
  });

  it("flotilla get loads no controllers, agent or harness", async () => {
    const r = await trace(cli, "get", "addons");
    expect(r.code).toBe(1); // no kubeconfig
    expect(from(r.modules, `${HUB}cli/actions/get.js`)).toHaveLength(1);
    expect(from(r.modules, `${HUB}controllers/`)).toEqual([]);
    expect(from(r.modules, AGENT)).toEqual([]);
    expect(from(r.modules, HARNESS)).toEqual([]);
  });

  it.each([["--help"], ["--version"], ["dev", "--help"], ["dev", "up", "--help"], ["hub", "--help"]])(
    "flotilla %s answers without loading the Kubernetes client, the agent or the harness",
    async (...args) => {
      const r = await trace(cli, ...args);
      expect(r.code).toBe(0);
      expect(from(r.modules, KUBE_CLIENT)).toEqual([]);
      expect(from(r.modules, AGENT)).toEqual([]);
      expect(from(r.modules, HARNESS)).toEqual([]);
    },
  );
});
