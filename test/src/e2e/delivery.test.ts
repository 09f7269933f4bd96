import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Fleet } from "../fleet/fleet.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";
import { demoAddon, Hub, Spoke, waitFor } from "./support.js";

// NATS + hub cluster + 2 spokes + hub + 2 agents + simulator, all real processes (DESIGN §8). The fleet
// is shared; each test installs an addon of its own, so any one of them runs alone (`-t`).
describe("end to end: one addon from the hub to two clusters", () => {
  let fleet: Fleet;
  let dir: string;
  let hub: Hub;
  const spokes = new Map<string, Spoke>();
  const clusters = ["cluster-1", "cluster-2"];

  beforeAll(async () => {
    dir = await makeTempDir("e2e-delivery");
    fleet = await Fleet.start({ clusters: 2, dir });
    hub = new Hub(fleet.hubKubeConfig);
    for (const name of fleet.clusterNames()) spokes.set(name, new Spoke(fleet.spoke(name).kubeConfig));
  });
  afterAll(async () => {
    await fleet?.stop();
    await removeDir(dir);
  });

  const spoke = (name: string) => spokes.get(name) as Spoke;
  /** A deployment that is there, as the agent applied it. */
  const deployed = async (cluster: string, addon: string) => {
    const dep = await spoke(cluster).deployment(`${addon}-ns`, "server");
    return dep?.metadata?.labels?.["addon.flotilla.dev/name"];
  };

  it("delivers the addon to both clusters with per-cluster values, and the CMA summary says 2 of 2", async () => {
    const addon = "deliver";
    const ns = `${addon}-ns`;
    await hub.createCma(demoAddon(addon));
    for (const cluster of clusters) {
      const mca = await hub.waitAvailable(cluster, addon);
      expect(mca.metadata?.namespace).toBe(cluster);
      const cm = await spoke(cluster).configMap(ns, "settings");
      expect(cm?.data).toEqual({ cluster, region: cluster === "cluster-1" ? "eu" : "us", greeting: `hello from ${cluster}` });
      expect(cm?.metadata?.labels?.["addon.flotilla.dev/name"]).toBe(addon);
      expect(cm?.metadata?.managedFields?.some((f) => f.manager === "flotilla-agent" && f.operation === "Apply")).toBe(true);
      const dep = await spoke(cluster).deployment(ns, "server");
      expect(dep?.spec?.replicas).toBe(1); // whole-value placeholder keeps the value's type
      const applied = await spoke(cluster).appliedAddOn(addon);
      expect(applied?.status?.appliedRevision).toBe(mca.status?.appliedRevision);
      expect(applied?.status?.inventory?.length).toBe(3);
    }
    const cma = await waitFor("CMA summary 2/2", async () => {
      const c = await hub.getCma(addon);
      return c?.status?.summary?.desired === 2 && c.status.summary.available === 2 ? c : undefined;
    });
    expect(cma.status?.summary).toMatchObject({ desired: 2, updated: 2, available: 2, failed: 0 });
  });

  it("rolls an edit of the CMA out to both clusters", async () => {
    const addon = "edit";
    const ns = `${addon}-ns`;
    await hub.install(demoAddon(addon), clusters);
    const before = (await hub.getCma(addon))?.status?.updateRevision;
    await hub.patchCma(addon, { spec: { values: { greeting: "hi", replicas: 2 } } });
    const after = await hub.nextRevision(addon, before);
    for (const cluster of clusters) {
      const mca = await hub.waitAvailable(cluster, addon);
      expect(mca.status?.appliedRevision).toBe(after);
      expect((await spoke(cluster).configMap(ns, "settings"))?.data?.greeting).toBe(`hi from ${cluster}`);
      expect((await spoke(cluster).deployment(ns, "server"))?.spec?.replicas).toBe(2);
    }
  });

  it("prunes an object dropped from the manifests", async () => {
    const addon = "prune";
    const ns = `${addon}-ns`;
    await hub.install(demoAddon(addon), clusters);
    const cma = demoAddon(addon, { withConfigMap: false });
    await hub.patchCma(addon, { spec: { source: { manifests: cma.spec.source.manifests } } });
    for (const cluster of clusters) {
      await waitFor(`ConfigMap pruned on ${cluster}`, async () => (await spoke(cluster).configMap(ns, "settings")) === undefined);
      await hub.waitAvailable(cluster, addon);
      expect(await deployed(cluster, addon)).toBe(addon);
      expect((await spoke(cluster).appliedAddOn(addon))?.status?.inventory?.length).toBe(2);
    }
  });

  it("uninstalls from a cluster relabelled out of the selector, and only there", async () => {
    const addon = "relabel";
    const ns = `${addon}-ns`;
    // A label of its own, so moving cluster-2 out touches no other test's addon.
    const label = (value: string | null) => ({ [addon]: value });
    try {
      for (const c of clusters) await hub.labelCluster(c, label("in"));
      await hub.install(demoAddon(addon, { selector: { [addon]: "in" } }), clusters);
      await hub.labelCluster("cluster-2", label("out"));
      await waitFor("MCA removed from cluster-2", async () => (await hub.getMca("cluster-2", addon)) === undefined);
      await waitFor("deployment removed from cluster-2", async () => (await spoke("cluster-2").deployment(ns, "server")) === undefined);
      await waitFor("AppliedAddOn removed from cluster-2", async () => (await spoke("cluster-2").appliedAddOn(addon)) === undefined);
      await waitFor("namespace removed from cluster-2", () => spoke("cluster-2").namespaceGoneOrTerminating(ns));
      expect(await deployed("cluster-1", addon)).toBe(addon);
      expect((await hub.getMca("cluster-1", addon))?.metadata?.namespace).toBe("cluster-1");
      await waitFor("CMA summary 1/1", async () => {
        const s = (await hub.getCma(addon))?.status?.summary;
        return s?.desired === 1 && s.available === 1;
      });
      // and back in: installed again
      await hub.labelCluster("cluster-2", label("in"));
      await hub.waitAvailable("cluster-2", addon);
      expect(await deployed("cluster-2", addon)).toBe(addon);
    } finally {
      for (const c of clusters) await hub.labelCluster(c, label(null));
    }
  });

  it("uninstalls everywhere when the CMA is deleted", async () => {
    const addon = "remove";
    const ns = `${addon}-ns`;
    await hub.install(demoAddon(addon), clusters);
    await hub.deleteCma(addon);
    for (const cluster of clusters) {
      await waitFor(`MCA gone on ${cluster}`, async () => (await hub.getMca(cluster, addon)) === undefined);
      await waitFor(`deployment gone on ${cluster}`, async () => (await spoke(cluster).deployment(ns, "server")) === undefined);
      await waitFor(`AppliedAddOn gone on ${cluster}`, async () => (await spoke(cluster).appliedAddOn(addon)) === undefined);
    }
  });
});
