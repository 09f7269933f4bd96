import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { CustomObjectsApi } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADDON_NAME_LABEL, resources } from "@flotilla/shared";
import { flotillaCliPath } from "../fleet/cli-path.js";
import { Fleet } from "../fleet/fleet.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";
import { demoAddon, Hub, Spoke, waitFor } from "./support.js";

const run = promisify(execFile);

describe("flotilla rollout pause | resume | history | undo", () => {
  let fleet: Fleet;
  let dir: string;
  let hub: Hub;
  const clusters = ["cluster-1", "cluster-2"];
  const cli = (...args: string[]) => run(process.execPath, [flotillaCliPath(), "rollout", ...args, "--kubeconfig", fleet.hub.kubeconfigPath], { timeout: 60_000 });
  const greetings = (addon: string) => Promise.all(clusters.map(async (c) => (await new Spoke(fleet.spoke(c).kubeConfig).configMap(`${addon}-ns`, "settings"))?.data?.greeting));
  const revisionCount = async (addon: string) => {
    const r = resources.addOnRevisions;
    const list = (await fleet.hubKubeConfig.makeApiClient(CustomObjectsApi).listClusterCustomObject({ group: r.group, version: r.version, plural: r.plural, labelSelector: `${ADDON_NAME_LABEL}=${addon}` })) as { items: unknown[] };
    return list.items.length;
  };
  /** Changes the greeting with a change cause, waits for the new revision to be Available everywhere. */
  const change = async (addon: string, greeting: string, cause: string) => {
    const before = (await hub.getCma(addon))?.status?.updateRevision;
    await hub.patchCma(addon, { metadata: { annotations: { "kubernetes.io/change-cause": cause } }, spec: { values: { greeting } } });
    const rev = await hub.nextRevision(addon, before);
    for (const c of clusters) await hub.waitAvailable(c, addon);
    return rev;
  };

  beforeAll(async () => {
    dir = await makeTempDir("e2e-rollout-cli");
    fleet = await Fleet.start({ clusters: 2, dir });
    hub = new Hub(fleet.hubKubeConfig);
  });
  afterAll(async () => {
    await fleet?.stop();
    await removeDir(dir);
  });

  it("history lists each revision with its outcome and change cause; undo --to-revision restores one everywhere without a new revision", async () => {
    const addon = demoAddon("undo", { greeting: "one" });
    await hub.install({ ...addon, metadata: { ...addon.metadata, annotations: { "kubernetes.io/change-cause": "first install" } } }, clusters);
    const r1 = (await hub.getCma("undo"))?.status?.updateRevision;
    const r2 = await change("undo", "two", "say two");
    expect(await greetings("undo")).toEqual(["two from cluster-1", "two from cluster-2"]);

    const lines = (await cli("history", "undo")).stdout.trim().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^REVISION\s+NAME\s+AGE\s+STATUS\s+CHANGE-CAUSE$/);
    expect(lines[1]).toMatch(new RegExp(`^1\\s+${r1}\\s+\\S+\\s+first install$`)); // no status: neither current nor update
    expect(lines[2]).toMatch(new RegExp(`^2\\s+${r2}\\s+\\S+\\s+current\\s+say two$`));

    const out = await cli("undo", "undo", "--to-revision", "1");
    expect(out.stdout).toBe(`clustermanagementaddon/undo rolled back to revision 1 (${r1})\n`);
    await waitFor("the update revision back on revision 1", async () => (await hub.getCma("undo"))?.status?.updateRevision === r1);
    for (const c of clusters) await hub.waitAvailable(c, "undo");
    expect(await greetings("undo")).toEqual(["one from cluster-1", "one from cluster-2"]);
    expect(await revisionCount("undo")).toBe(2);
  });

  it("pause holds every cluster on what it has while a new revision waits; resume lets it through", async () => {
    await hub.install(demoAddon("pausing", { greeting: "before" }), clusters);
    const held = (await hub.getCma("pausing"))?.status?.updateRevision;
    expect((await cli("pause", "pausing")).stdout).toBe("clustermanagementaddon/pausing paused\n");
    await hub.patchCma("pausing", { spec: { values: { greeting: "after" } } });
    const next = await hub.nextRevision("pausing", held);
    await waitFor("the rollout Paused", async () => (await hub.getCma("pausing"))?.status?.rollout?.phase === "Paused");
    const desired = await Promise.all(clusters.map(async (c) => (await hub.getMca(c, "pausing"))?.status?.desiredRevision));
    expect(desired).toEqual([held, held]);

    expect((await cli("resume", "pausing")).stdout).toBe("clustermanagementaddon/pausing resumed\n");
    for (const c of clusters) expect((await hub.waitAvailable(c, "pausing")).status?.appliedRevision).toBe(next);
    expect(await greetings("pausing")).toEqual(["after from cluster-1", "after from cluster-2"]);
  });

  it("refuses what it cannot do, naming it", async () => {
    await expect(cli("undo", "no-such-addon")).rejects.toThrow(/not found/);
    await hub.install(demoAddon("lonely"), clusters);
    await expect(cli("undo", "lonely")).rejects.toThrow(/no earlier revision to go back to/);
    await expect(cli("undo", "lonely", "--to-revision", "9")).rejects.toThrow(/revision 9 not found \(known: 1\)/);
    await expect(cli("undo", "lonely", "--to-revision", "0")).rejects.toThrow(/--to-revision must be a positive integer/);
    // an All rollout never waits for approval
    await expect(cli("promote", "lonely")).rejects.toThrow(/nothing to promote/);
  });
});
