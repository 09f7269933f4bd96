import { execFile } from "node:child_process";
import { readFile, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FLOTILLA_VERSION } from "@flotilla/shared";
import { ensureBinaries } from "../harness/binaries.js";
import { spawnProcess } from "../harness/processes.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";
import { flotillaCliPath } from "../fleet/cli-path.js";
import { Fleet } from "../fleet/fleet.js";
import { demoAddon, Hub, waitFor } from "./support.js";

const run = promisify(execFile);

/**
 * The CLI as people use it, against a real fleet: `get -o wide`, `get --watch`, `version`, shell
 * completion (bash, with addon and cluster names read from the hub) and the kubectl plugin.
 */
describe("flotilla CLI: wide, watch, version, completion, kubectl plugin", () => {
  let fleet: Fleet;
  let dir: string;
  let hub: Hub;
  /** A PATH directory holding `flotilla` and `kubectl-flotilla` (links to the real entry) and node. */
  let bin: string;
  const clusters = ["cluster-1", "cluster-2"];
  // only what the tests need: `kubectl plugin list` fails on any other kubectl-flotilla it finds
  const PATH = () => `${bin}:${dirname(process.execPath)}:/usr/bin:/bin`;
  const cli = (...args: string[]) => run(process.execPath, [flotillaCliPath(), ...args, "--kubeconfig", fleet.hub.kubeconfigPath], { timeout: 60_000 });

  beforeAll(async () => {
    dir = await makeTempDir("e2e-cli-ux");
    fleet = await Fleet.start({ clusters: 2, dir });
    hub = new Hub(fleet.hubKubeConfig);
    bin = join(dir, "bin");
    await run("mkdir", ["-p", bin]);
    await symlink(flotillaCliPath(), join(bin, "flotilla"));
    await symlink(flotillaCliPath(), join(bin, "kubectl-flotilla"));
    await symlink(join(dirname(flotillaCliPath()), "kubectl_complete-flotilla"), join(bin, "kubectl_complete-flotilla"));
    for (const c of clusters) await waitFor(`${c}'s agent version recorded`, async () => ((await hub.getCluster(c)) as { status?: { agent?: { version?: string } } } | undefined)?.status?.agent?.version);
  });
  afterAll(async () => {
    await fleet?.stop();
    await removeDir(dir);
  });

  it("get clusters -o wide shows each agent's version, Kubernetes version, last seen and labels", async () => {
    const lines = (await cli("get", "clusters", "-o", "wide")).stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^NAME\s+ACCEPTED\s+JOINED\s+AVAILABLE\s+KUBERNETES\s+AGE\s+AGENT\s+LAST-SEEN\s+LABELS$/);
    expect(lines.slice(1)).toHaveLength(2);
    for (const [i, c] of clusters.entries()) {
      const region = i === 0 ? "eu" : "us";
      expect(lines[i + 1]).toMatch(new RegExp(`^${c}\\s+true\\s+True\\s+True\\s+v\\d+\\.\\d+\\.\\d+\\s+\\S+\\s+${FLOTILLA_VERSION.replace(/\./g, "\\.")}\\s+\\d+[smh]\\s+env=dev,fleet\\.flotilla\\.dev/name=dev,region=${region}$`));
    }
  });

  it("get addons -o wide shows strategy, phase, step and the current revision", async () => {
    await hub.install(demoAddon("wide"), clusters);
    const done = await waitFor("the rollout of wide Succeeded", async () => {
      const cma = await hub.getCma("wide");
      return cma?.status?.rollout?.phase === "Succeeded" && cma.status.currentRevision ? cma : undefined;
    });
    const out = (await cli("get", "addons", "wide", "-o", "wide")).stdout.trim().split("\n");
    expect(out[0]).toMatch(/^NAME\s+DESIRED\s+UPDATED\s+AVAILABLE\s+FAILED\s+REVISION\s+AGE\s+STRATEGY\s+PHASE\s+STEP\s+CURRENT\s+UNREACHABLE$/);
    expect(out[1]).toMatch(new RegExp(`^wide\\s+2\\s+2\\s+2\\s+0\\s+${done.status?.updateRevision}\\s+\\S+\\s+All\\s+Succeeded\\s+-\\s+${done.status?.currentRevision}\\s+0$`));
  });

  it("version prints the CLI's, the hub's (from its leader Lease) and both agents' versions", async () => {
    const text = (await cli("version")).stdout;
    expect(text).toContain(`Client Version: ${FLOTILLA_VERSION}\n`);
    expect(text).toContain(`Hub Version: ${FLOTILLA_VERSION} (leader hub-0, Lease flotilla-system/flotilla-hub)\n`);
    for (const c of clusters) expect(text).toMatch(new RegExp(`\\n${c}\\s+${FLOTILLA_VERSION.replace(/\./g, "\\.")}\\s+v\\d+\\.\\d+\\.\\d+\\s+True\\n`));
    expect(text).not.toContain("WARNING");

    const json = JSON.parse((await cli("version", "-o", "json")).stdout) as { clientVersion: string; hub: { version: string; leader: string }; agents: { cluster: string; version: string }[] };
    expect(json.clientVersion).toBe(FLOTILLA_VERSION);
    expect(json.hub).toMatchObject({ version: FLOTILLA_VERSION, leader: "hub-0", lease: "flotilla-system/flotilla-hub" });
    expect(json.agents.map((a) => [a.cluster, a.version])).toEqual(clusters.map((c) => [c, FLOTILLA_VERSION]));

    // --client needs no hub at all
    const client = await run(process.execPath, [flotillaCliPath(), "version", "--client", "-o", "yaml"], { env: { ...process.env, KUBECONFIG: join(dir, "missing") } });
    expect(client.stdout).toBe(`clientVersion: ${FLOTILLA_VERSION}\n`);
  });

  it("get addons --watch prints the table, then a row when an addon changes", async () => {
    await hub.install(demoAddon("watched", { greeting: "before" }), clusters);
    const first = await waitFor("watched rolled out", async () => {
      const cma = await hub.getCma("watched");
      return cma?.status?.rollout?.phase === "Succeeded" ? cma.status.updateRevision : undefined;
    });
    const log = join(dir, "watch.log");
    const watch = await spawnProcess({ name: "get-watch", command: process.execPath, args: [flotillaCliPath(), "get", "addons", "watched", "--watch", "--kubeconfig", fleet.hub.kubeconfigPath], logFile: log });
    try {
      const rows = async (pattern: RegExp) => (await readFile(log, "utf8")).split("\n").filter((l) => pattern.test(l));
      await waitFor("the table", async () => (await rows(new RegExp(`^watched\\s+2\\s+2\\s+2\\s+0\\s+${first}\\s`))).length === 1);
      expect((await readFile(log, "utf8")).split("\n")[0]).toMatch(/^NAME\s+DESIRED\s+UPDATED/);

      await hub.patchCma("watched", { spec: { values: { greeting: "after" } } });
      const next = await hub.nextRevision("watched", first);
      await waitFor("a row with the new revision", async () => (await rows(new RegExp(`^watched\\s.*\\s${next}\\s`))).length > 0);
      await waitFor("a row with the new revision on both clusters", async () => (await rows(new RegExp(`^watched\\s+2\\s+2\\s+2\\s+0\\s+${next}\\s`))).length > 0);
    } finally {
      const exit = await watch.stop();
      expect(exit).toEqual({ code: 0, signal: null }); // SIGTERM ends a watch cleanly
    }
    const all = (await readFile(log, "utf8")).trim().split("\n");
    expect(all.filter((l) => l.startsWith("NAME"))).toHaveLength(1); // the header once
    for (let i = 1; i < all.length; i++) expect(all[i], "a row printed again for nothing").not.toBe(all[i - 1]);
  });

  describe("bash completion", () => {
    let script: string;
    /** What bash completes for the words (the last one being typed), with the script sourced. */
    const complete = async (...words: string[]) => {
      const program = `source ${script}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _flotilla; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const started = Date.now();
      const { stdout, stderr } = await run("bash", ["--norc", "-c", program], { env: { ...process.env, PATH: PATH() }, timeout: 30_000 });
      return { words: stdout.split("\n").filter(Boolean), stderr, ms: Date.now() - started };
    };

    beforeAll(async () => {
      script = join(dir, "flotilla.bash");
      await writeFile(script, (await run(process.execPath, [flotillaCliPath(), "completion", "bash"])).stdout);
    });

    it("completes subcommands, flags and flag values from the command tree", async () => {
      expect((await complete("flotilla", "rollout", "p")).words).toEqual(["pause", "promote"]);
      expect((await complete("flotilla", "get", "cluster", "-o", "")).words).toEqual(["table", "wide", "json", "yaml"]);
      expect((await complete("flotilla", "get", "addons", "--w")).words).toEqual(["--watch"]);
      expect((await complete("flotilla", "completion", "")).words).toEqual(["bash", "zsh", "fish"]);
    });

    it("completes addon and cluster names from the hub, with the line's --kubeconfig", async () => {
      await hub.install(demoAddon("named"), clusters);
      const kc = fleet.hub.kubeconfigPath;
      expect((await complete("flotilla", "rollout", "status", "--kubeconfig", kc, "na")).words).toEqual(["named"]);
      expect((await complete("flotilla", "get", "clusters", "--kubeconfig", kc, "")).words).toEqual(clusters);
      expect((await complete("flotilla", "diff", "named", "--kubeconfig", kc, "--cluster", "cluster-")).words).toEqual(clusters);
    });

    it.each([
      ["refuses connections", "https://127.0.0.1:1"],
      // a blackhole: without the lookup's own timeout, the TCP connect would hang for minutes
      ["does not answer", "https://10.255.255.1:6443"],
    ])("completes no names, and nothing on the terminal, when the hub %s", async (_what, server) => {
      const dead = join(dir, "dead.kubeconfig");
      await writeFile(dead, (await readFile(fleet.hub.kubeconfigPath, "utf8")).replace(/server: .*/, `server: ${server}`));
      const r = await complete("flotilla", "rollout", "status", "--kubeconfig", dead, "");
      expect(r.words).toEqual([]);
      expect(r.stderr).toBe("");
      // the lookup gives up after 2 s; the rest is starting node (seconds on a loaded 2-core runner)
      expect(r.ms).toBeLessThan(20_000);
    });
  });

  it("runs as the kubectl plugin: kubectl flotilla in its help, listed by kubectl plugin list, completed by kubectl", async () => {
    const env = { ...process.env, PATH: PATH() };
    const help = await run("kubectl-flotilla", ["get", "--help"], { env });
    expect(help.stdout).toMatch(/^Usage: kubectl flotilla get \[options\] \[command\]/);
    const { kubectl } = await ensureBinaries();
    if (!kubectl) throw new Error("kubectl is not built (the harness builds it with kube-apiserver)");
    const list = await run(kubectl, ["plugin", "list"], { env });
    expect(list.stdout).toContain(join(bin, "kubectl-flotilla"));
    const version = await run(kubectl, ["flotilla", "version", "--kubeconfig", fleet.hub.kubeconfigPath], { env });
    expect(version.stdout).toContain(`Hub Version: ${FLOTILLA_VERSION}`);

    // kubectl's own completion (what its shell scripts ask) runs kubectl_complete-flotilla
    const complete = async (...words: string[]) => (await run(kubectl, ["__complete", "flotilla", ...words], { env, timeout: 60_000 })).stdout;
    expect(await complete("rollout", "p")).toBe("pause\npromote\n:4\n");
    await hub.install(demoAddon("plugged"), clusters);
    expect(await complete("rollout", "status", "--kubeconfig", fleet.hub.kubeconfigPath, "plu")).toBe("plugged\n:4\n");
    expect(await complete("get", "clusters", "--kubeconfig", "")).toBe(":0\n"); // a file: the shell's own completion
  });
});
