import type { ClusterManagementAddOn } from "@flotilla/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Fleet } from "../fleet/fleet.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";
import { demoAddon, Hub, Spoke, waitFor } from "./support.js";

// DESIGN §4 and §12: values that fail `valuesSchema` are a condition with the reason; nothing is
// applied for that cluster, and other clusters and addons go on as before.
describe("values schema: values that fail valuesSchema hold back only the cluster they are for", () => {
  let fleet: Fleet;
  let dir: string;
  let hub: Hub;
  const spokes = new Map<string, Spoke>();
  const addon = "schema";
  const ns = `${addon}-ns`;
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

  const spoke = (name: string) => spokes.get(name) as Spoke;
  const cmaCondition = async (type: string) => (await hub.getCma(addon))?.status?.conditions?.find((c) => c.type === type);
  const mcaCondition = async (cluster: string, type: string) => (await hub.getMca(cluster, addon))?.status?.conditions?.find((c) => c.type === type);
  /** What a cluster runs: the applied revision, the greeting, the replicas. */
  const running = async (cluster: string) => ({
    revision: (await spoke(cluster).appliedAddOn(addon))?.status?.appliedRevision,
    greeting: (await spoke(cluster).configMap(ns, "settings"))?.data?.greeting,
    replicas: (await spoke(cluster).deployment(ns, "server"))?.spec?.replicas,
  });
  const newRevision = (before: string | undefined) =>
    waitFor("a new update revision", async () => {
      const r = (await hub.getCma(addon))?.status?.updateRevision;
      return r && r !== before ? r : undefined;
    });

  it("an addon whose values satisfy its schema becomes Available on both clusters, ValuesValid=True", async () => {
    const cma = demoAddon(addon);
    await hub.createCma({ ...cma, spec: { ...cma.spec, valuesSchema } } as ClusterManagementAddOn);
    for (const c of clusters) {
      await hub.waitAvailable(c, addon);
      expect(await running(c)).toMatchObject({ greeting: `hello from ${c}`, replicas: 1 });
    }
    const valid = await waitFor("CMA ValuesValid=True", async () => {
      const c = await cmaCondition("ValuesValid");
      return c?.status === "True" ? c : undefined;
    });
    expect(valid.reason).toBe("ValuesValid");
  });

  it("an MCA override that fails the schema holds that cluster on its last good bundle; the other cluster takes a concurrent change; removing the override heals it", async () => {
    const before = await running("cluster-2");
    const rev0 = (await hub.getCma(addon))?.status?.updateRevision;
    expect(before.revision).toBe(rev0);

    await hub.patchMca("cluster-2", addon, { spec: { values: { replicas: -1 } } });
    const invalid = await waitFor("cluster-2 MCA ValuesValid=False", async () => {
      const c = await mcaCondition("cluster-2", "ValuesValid");
      return c?.status === "False" ? c : undefined;
    });
    expect(invalid.reason).toBe("ValuesInvalid");
    expect(invalid.message).toBe("values.replicas: must be >= 0");
    const degraded = await waitFor("cluster-2 MCA Degraded=True", async () => {
      const c = await mcaCondition("cluster-2", "Degraded");
      return c?.status === "True" ? c : undefined;
    });
    expect(degraded.reason).toBe("ValuesInvalid");

    // A CMA change while cluster-2 is held: cluster-1 takes it, cluster-2 keeps what it runs.
    await hub.patchCma(addon, { spec: { values: { greeting: "changed" } } });
    const rev1 = await newRevision(rev0);
    await hub.waitAvailable("cluster-1", addon);
    expect(await running("cluster-1")).toEqual({ revision: rev1, greeting: "changed from cluster-1", replicas: 1 });
    const cmaInvalid = await waitFor("CMA ValuesValid=False naming cluster-2", async () => {
      const c = await cmaCondition("ValuesValid");
      return c?.status === "False" ? c : undefined;
    });
    expect(cmaInvalid.reason).toBe("ValuesInvalid");
    expect(cmaInvalid.message).toBe("values invalid on 1 cluster(s): cluster-2: values.replicas: must be >= 0");
    await waitFor("CMA counts cluster-2 as failed", async () => (await hub.getCma(addon))?.status?.summary?.failed === 1);
    expect((await hub.getMca("cluster-2", addon))?.status?.desiredRevision).toBe(rev1);
    expect(await running("cluster-2")).toEqual(before);

    // Removing the override heals it: the new revision arrives, the conditions go.
    await hub.patchMca("cluster-2", addon, { spec: { values: { replicas: null } } });
    await hub.waitAvailable("cluster-2", addon);
    expect(await running("cluster-2")).toEqual({ revision: rev1, greeting: "changed from cluster-2", replicas: 1 });
    await waitFor("cluster-2 MCA ValuesValid cleared", async () => (await mcaCondition("cluster-2", "ValuesValid")) === undefined);
    await waitFor("CMA ValuesValid=True again", async () => (await cmaCondition("ValuesValid"))?.status === "True");
    await waitFor("CMA counts no failure", async () => (await hub.getCma(addon))?.status?.summary?.failed === 0);
  });

  it("CMA values that fail the schema: CMA ValuesValid=False naming the placement, and no cluster gets the new revision's objects", async () => {
    const before = new Map<string, Awaited<ReturnType<typeof running>>>();
    for (const c of clusters) before.set(c, await running(c));
    const rev1 = (await hub.getCma(addon))?.status?.updateRevision;

    await hub.patchCma(addon, { spec: { values: { replicas: -3, greeting: "never" } } });
    const rev2 = await newRevision(rev1);
    const invalid = await waitFor("CMA ValuesValid=False naming the placement", async () => {
      const c = await cmaCondition("ValuesValid");
      return c?.status === "False" && c.message.startsWith('placement "dev"') ? c : undefined;
    });
    expect(invalid.reason).toBe("ValuesInvalid");
    expect(invalid.message).toMatch(/^placement "dev": values\.replicas: must be >= 0/);
    for (const c of clusters) {
      await waitFor(`${c} MCA ValuesValid=False`, async () => (await mcaCondition(c, "ValuesValid"))?.status === "False");
    }
    // The decision not to publish is taken with the condition; give a wrong bundle time to show anyway.
    await new Promise((r) => setTimeout(r, 3000));
    for (const c of clusters) expect(await running(c)).toEqual(before.get(c));

    // Fixed values roll out to both.
    await hub.patchCma(addon, { spec: { values: { replicas: 2, greeting: "fixed" } } });
    await newRevision(rev2);
    for (const c of clusters) {
      await hub.waitAvailable(c, addon);
      expect(await running(c)).toMatchObject({ greeting: `fixed from ${c}`, replicas: 2 });
    }
    await waitFor("CMA ValuesValid=True", async () => (await cmaCondition("ValuesValid"))?.status === "True");
  });
});
