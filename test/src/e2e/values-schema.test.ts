import type { ClusterManagementAddOn } from "@flotilla/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Fleet } from "../fleet/fleet.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";
import { bundlesRead, demoAddon, Hub, Spoke, waitFor } from "./support.js";

// DESIGN §4 and §12: values that fail `valuesSchema` are a condition with the reason; nothing is
// applied for that cluster, and other clusters and addons go on as before.
describe("values schema: values that fail valuesSchema hold back only the cluster they are for", () => {
  let fleet: Fleet;
  let dir: string;
  let hub: Hub;
  const spokes = new Map<string, Spoke>();
  const clusters = ["cluster-1", "cluster-2"];
  const valuesSchema = { type: "object", properties: { replicas: { type: "integer", minimum: 0 }, greeting: { type: "string" } } };

  beforeAll(async () => {
    dir = await makeTempDir("e2e-values-schema");
    fleet = await Fleet.start({ clusters: 2, dir });
    hub = new Hub(fleet.hubKubeConfig);
    for (const name of clusters) spokes.set(name, new Spoke(fleet.spoke(name).kubeConfig));
  });
  afterAll(async () => {
    await fleet?.stop();
    await removeDir(dir);
  });

  // Each test installs an addon of its own, so any one of them runs alone (`-t`).
  const spoke = (name: string) => spokes.get(name) as Spoke;
  const withSchema = (addon: string): ClusterManagementAddOn => {
    const cma = demoAddon(addon);
    return { ...cma, spec: { ...cma.spec, valuesSchema } } as ClusterManagementAddOn;
  };
  /** What a cluster runs: the applied revision, the greeting, the replicas. */
  const running = async (cluster: string, addon: string) => ({
    revision: (await spoke(cluster).appliedAddOn(addon))?.status?.appliedRevision,
    greeting: (await spoke(cluster).configMap(`${addon}-ns`, "settings"))?.data?.greeting,
    replicas: (await spoke(cluster).deployment(`${addon}-ns`, "server"))?.spec?.replicas,
  });
  /** Bundles the cluster's agent has fetched so far (a new bundle is the only way a revision arrives). */
  const bundles = (cluster: string) => bundlesRead(fleet.agents.get(cluster)!.metricsUrl);

  it("an addon whose values satisfy its schema becomes Available on both clusters, ValuesValid=True", async () => {
    const addon = "schema-ok";
    await hub.createCma(withSchema(addon));
    for (const c of clusters) {
      await hub.waitAvailable(c, addon);
      expect(await running(c, addon)).toMatchObject({ greeting: `hello from ${c}`, replicas: 1 });
    }
    const valid = await waitFor("CMA ValuesValid=True", async () => {
      const c = await hub.cmaCondition(addon, "ValuesValid");
      return c?.status === "True" ? c : undefined;
    });
    expect(valid.reason).toBe("ValuesValid");
  });

  it("an MCA override that fails the schema holds that cluster on its last good bundle; the other cluster takes a concurrent change; removing the override heals it", async () => {
    const addon = "schema-override";
    await hub.install(withSchema(addon), clusters);
    const before = await running("cluster-2", addon);
    const rev0 = (await hub.getCma(addon))?.status?.updateRevision;
    expect(before.revision).toBe(rev0);
    const bundlesBefore = await bundles("cluster-2");

    await hub.patchMca("cluster-2", addon, { spec: { values: { replicas: -1 } } });
    const invalid = await waitFor("cluster-2 MCA ValuesValid=False", async () => {
      const c = await hub.mcaCondition("cluster-2", addon, "ValuesValid");
      return c?.status === "False" ? c : undefined;
    });
    expect(invalid.reason).toBe("ValuesInvalid");
    expect(invalid.message).toBe("values.replicas: must be >= 0");
    const degraded = await waitFor("cluster-2 MCA Degraded=True", async () => {
      const c = await hub.mcaCondition("cluster-2", addon, "Degraded");
      return c?.status === "True" ? c : undefined;
    });
    expect(degraded.reason).toBe("ValuesInvalid");

    // A CMA change while cluster-2 is held: cluster-1 takes it, cluster-2 keeps what it runs.
    await hub.patchCma(addon, { spec: { values: { greeting: "changed" } } });
    const rev1 = await hub.nextRevision(addon, rev0);
    await hub.waitAvailable("cluster-1", addon);
    expect(await running("cluster-1", addon)).toEqual({ revision: rev1, greeting: "changed from cluster-1", replicas: 1 });
    const cmaInvalid = await waitFor("CMA ValuesValid=False naming cluster-2", async () => {
      const c = await hub.cmaCondition(addon, "ValuesValid");
      return c?.status === "False" ? c : undefined;
    });
    expect(cmaInvalid.reason).toBe("ValuesInvalid");
    expect(cmaInvalid.message).toBe("values invalid on 1 cluster(s): cluster-2: values.replicas: must be >= 0");
    await waitFor("CMA counts cluster-2 as failed", async () => (await hub.getCma(addon))?.status?.summary?.failed === 1);
    expect((await hub.getMca("cluster-2", addon))?.status?.desiredRevision).toBe(rev1);
    expect(await running("cluster-2", addon)).toEqual(before);

    // Removing the override heals it: the new revision arrives, the conditions go.
    await hub.patchMca("cluster-2", addon, { spec: { values: { replicas: null } } });
    await hub.waitAvailable("cluster-2", addon);
    expect(await running("cluster-2", addon)).toEqual({ revision: rev1, greeting: "changed from cluster-2", replicas: 1 });
    // While held, nothing reached cluster-2: its agent fetched one bundle in all, the healed one.
    expect(await bundles("cluster-2")).toBe(bundlesBefore + 1);
    await waitFor("cluster-2 MCA ValuesValid cleared", async () => (await hub.mcaCondition("cluster-2", addon, "ValuesValid")) === undefined);
    await waitFor("CMA ValuesValid=True again", async () => (await hub.cmaCondition(addon, "ValuesValid"))?.status === "True");
    await waitFor("CMA counts no failure", async () => (await hub.getCma(addon))?.status?.summary?.failed === 0);
  });

  it("CMA values that fail the schema: CMA ValuesValid=False naming the placement, and no cluster gets the new revision's objects", async () => {
    const addon = "schema-cma";
    await hub.install(withSchema(addon), clusters);
    const before = new Map<string, Awaited<ReturnType<typeof running>>>();
    const bundlesBefore = new Map<string, number>();
    for (const c of clusters) {
      before.set(c, await running(c, addon));
      bundlesBefore.set(c, await bundles(c));
    }
    const rev1 = (await hub.getCma(addon))?.status?.updateRevision;

    await hub.patchCma(addon, { spec: { values: { replicas: -3, greeting: "never" } } });
    const rev2 = await hub.nextRevision(addon, rev1);
    const invalid = await waitFor("CMA ValuesValid=False naming the placement", async () => {
      const c = await hub.cmaCondition(addon, "ValuesValid");
      return c?.status === "False" && c.message?.startsWith('placement "dev"') ? c : undefined;
    });
    expect(invalid.reason).toBe("ValuesInvalid");
    expect(invalid.message).toMatch(/^placement "dev": values\.replicas: must be >= 0/);
    for (const c of clusters) {
      await waitFor(`${c} MCA ValuesValid=False`, async () => (await hub.mcaCondition(c, addon, "ValuesValid"))?.status === "False");
      expect(await running(c, addon)).toEqual(before.get(c));
    }

    // Fixed values roll out to both. That each agent fetched exactly one bundle across the invalid
    // revision and the fix shows the invalid one never went out (rather than that we looked too soon).
    await hub.patchCma(addon, { spec: { values: { replicas: 2, greeting: "fixed" } } });
    const rev3 = await hub.nextRevision(addon, rev2);
    for (const c of clusters) {
      expect((await hub.waitAvailable(c, addon)).status?.appliedRevision).toBe(rev3);
      expect(await running(c, addon)).toEqual({ revision: rev3, greeting: `fixed from ${c}`, replicas: 2 });
      expect(await bundles(c)).toBe(bundlesBefore.get(c)! + 1);
    }
    await waitFor("CMA ValuesValid=True", async () => (await hub.cmaCondition(addon, "ValuesValid"))?.status === "True");
  });

  // Issue 8 (hostile input): a schema's `pattern` runs on RE2 (linear time), not in a backtracking
  // RegExp on the hub's event loop. With JavaScript's RegExp, `^(a+)+$` against 50 a's and a `!` takes
  // 2^50 steps: the hub would never answer again, and the bystander below would never roll out.
  it("a catastrophic pattern in valuesSchema does not stall the hub, a pattern RE2 cannot run is InvalidSchema, and another addon keeps rolling out", async () => {
    const evil = "^(a+)+$";
    const redos = demoAddon("schema-redos", { greeting: "a".repeat(50) + "!" });
    await hub.createCma({ ...redos, spec: { ...redos.spec, valuesSchema: { type: "object", properties: { greeting: { type: "string", pattern: evil } } } } } as ClusterManagementAddOn);
    const backref = demoAddon("schema-backref");
    await hub.createCma({ ...backref, spec: { ...backref.spec, valuesSchema: { type: "object", properties: { greeting: { type: "string", pattern: "^(a)\\1$" } } } } } as ClusterManagementAddOn);

    const failed = await waitFor("schema-redos ValuesValid=False", async () => {
      const c = await hub.cmaCondition("schema-redos", "ValuesValid");
      return c?.status === "False" ? c : undefined;
    });
    expect(failed.reason).toBe("ValuesInvalid");
    // (the clusters' own ValuesValid may be named after it, depending on which controller was first)
    expect(failed.message?.startsWith(`placement "dev": values.greeting: must match pattern "${evil}"`)).toBe(true);
    const refused = await waitFor("schema-backref ValuesValid=False", async () => {
      const c = await hub.cmaCondition("schema-backref", "ValuesValid");
      return c?.status === "False" ? c : undefined;
    });
    expect(refused.reason).toBe("InvalidSchema");
    expect(refused.message).toContain('pattern "^(a)\\\\1$" is not supported: backreferences have no RE2 form');

    // The hub still serves everyone else: a new addon rolls out to both clusters.
    await hub.install(withSchema("schema-bystander"), clusters);
    for (const c of clusters) expect(await running(c, "schema-bystander")).toMatchObject({ greeting: `hello from ${c}`, replicas: 1 });
    // and neither bad addon put anything on a cluster
    for (const c of clusters) {
      expect(await spoke(c).appliedAddOn("schema-redos")).toBeUndefined();
      expect(await spoke(c).appliedAddOn("schema-backref")).toBeUndefined();
    }
  });
});
