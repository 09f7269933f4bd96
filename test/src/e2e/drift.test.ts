// Drift and conflicts through the whole path (hub → bus → agent → spoke API server): what another field
// manager changes or deletes is put back within seconds by watch (driftPolicy Correct) or only reported
// (Report), the MCA's Drifted condition names the objects and fields; an object another addon holds,
// or a field another manager owns, is a Conflict rather than silently forced.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { V1ConfigMap } from "@kubernetes/client-node";
import { RawObjectApi } from "../../../agent/src/apply/object-api.js";
import { ADDON_NAME_LABEL, type ClusterManagementAddOn } from "@flotilla/shared";
import { Fleet } from "../fleet/fleet.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";
import { demoAddon, Hub, metric, Spoke, waitFor } from "./support.js";

const CLUSTER = "cluster-1";
/** Drift is corrected within this (the bound); the agent's resync (10 s here) is longer. */
const CORRECTED_WITHIN_MS = 5_000;

function configMapsAddon(name: string, maps: { namespace: string; name: string; data: Record<string, string> }[], extra: Partial<ClusterManagementAddOn["spec"]> = {}): ClusterManagementAddOn {
  const cma = demoAddon(name);
  const manifests = maps.map((m) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: m.name, namespace: m.namespace }, data: m.data }));
  return { ...cma, spec: { ...cma.spec, installNamespace: "shared", source: { manifests }, ...extra } };
}

describe("drift and conflicts", () => {
  let fleet: Fleet;
  let dir: string;
  let hub: Hub;
  let spoke: Spoke;
  let raw: RawObjectApi;
  const agentMetrics = () => {
    const a = fleet.agents.get(CLUSTER);
    if (!a) throw new Error("no agent");
    return a.metricsUrl;
  };
  /** An edit as kubectl edit makes it: an update under its own field manager. */
  const editConfigMap = async (namespace: string, name: string, change: (cm: V1ConfigMap) => void, fieldManager = "e2e-editor") => {
    const cm = await spoke.core.readNamespacedConfigMap({ namespace, name });
    change(cm);
    await spoke.core.replaceNamespacedConfigMap({ namespace, name, body: cm, fieldManager });
  };

  /** Waits until the MCA's condition `type` passes `ok`, and returns it. */
  const mcaCondition = (addon: string, type: string, ok: (c: { status: string; reason?: string; message?: string }) => boolean, what: string) =>
    waitFor(`${addon}: ${what}`, async () => {
      const c = await hub.mcaCondition(CLUSTER, addon, type);
      return c && ok(c) ? c : undefined;
    }, 60_000);

  beforeAll(async () => {
    dir = await makeTempDir("e2e-drift");
    fleet = await Fleet.start({ clusters: 1, dir });
    hub = new Hub(fleet.hubKubeConfig);
    spoke = new Spoke(fleet.spoke(CLUSTER).kubeConfig);
    raw = RawObjectApi.forConfig(fleet.spoke(CLUSTER).kubeConfig);
    await spoke.core.createNamespace({ body: { metadata: { name: "shared" } } });
  });
  afterAll(async () => {
    await fleet?.stop();
    await removeDir(dir);
  });

  it("Correct: a field changed by another manager and a deleted object are put back within 5 s, and the MCA names them", async () => {
    await hub.install(demoAddon("fixer"), [CLUSTER]);
    const ns = "fixer-ns";
    const before = await metric(agentMetrics(), "flotilla_agent_drift_corrections_total");

    const t0 = Date.now();
    await editConfigMap(ns, "settings", (cm) => (cm.data = { ...cm.data, greeting: "edited by hand" }));
    await waitFor("the greeting put back", async () => (await spoke.configMap(ns, "settings"))?.data?.greeting === `hello from ${CLUSTER}`, CORRECTED_WITHIN_MS, 50);
    const fieldMs = Date.now() - t0;
    const drifted = await mcaCondition("fixer", "Drifted", (c) => c.reason === "Corrected" && c.message?.includes("ConfigMap fixer-ns/settings: .data.greeting changed by e2e-editor") === true, "Drifted names the object and field");
    expect(drifted.status).toBe("False");

    const old = await spoke.configMap(ns, "settings");
    const t1 = Date.now();
    await spoke.core.deleteNamespacedConfigMap({ namespace: ns, name: "settings" });
    const back = await waitFor("the ConfigMap re-created", async () => {
      const cm = await spoke.configMap(ns, "settings");
      return cm && cm.metadata?.uid !== old?.metadata?.uid ? cm : undefined;
    }, CORRECTED_WITHIN_MS, 50);
    const deleteMs = Date.now() - t1;
    expect(back.metadata?.labels?.[ADDON_NAME_LABEL]).toBe("fixer");
    await waitFor("MCA Drifted names the deletion", async () => (await hub.mcaCondition(CLUSTER, "fixer", "Drifted"))?.message?.includes("ConfigMap fixer-ns/settings: deleted"), 30_000);

    // The re-created object is the addon's: a second edit is corrected too (the inventory has its new uid).
    await editConfigMap(ns, "settings", (cm) => (cm.data = { ...cm.data, region: "moved" }));
    await waitFor("the region put back", async () => (await spoke.configMap(ns, "settings"))?.data?.region !== "moved", CORRECTED_WITHIN_MS, 50);

    // A Deployment's replicas scaled by someone else come back too.
    const dep = await spoke.apps.readNamespacedDeployment({ namespace: ns, name: "server" });
    dep.spec = { ...dep.spec, replicas: 3 } as typeof dep.spec;
    await spoke.apps.replaceNamespacedDeployment({ namespace: ns, name: "server", body: dep, fieldManager: "e2e-scaler" });
    await waitFor("replicas put back", async () => (await spoke.deployment(ns, "server"))?.spec?.replicas === 1, CORRECTED_WITHIN_MS, 50);

    const corrections = (await metric(agentMetrics(), "flotilla_agent_drift_corrections_total")) - before;
    expect(corrections).toBeGreaterThanOrEqual(4);
    expect(await metric(agentMetrics(), "flotilla_agent_drift_corrections_total", { kind: "Deployment" })).toBeGreaterThanOrEqual(1);
    process.stdout.write(`drift corrected: changed field ${fieldMs} ms, deleted object ${deleteMs} ms; ${corrections} corrections counted\n`);
  });

  it("Report: drift is reported, named, and left as it is", async () => {
    const cma = demoAddon("watcher");
    await hub.install({ ...cma, spec: { ...cma.spec, driftPolicy: "Report" } }, [CLUSTER]);
    const ns = "watcher-ns";
    await editConfigMap(ns, "settings", (cm) => (cm.data = { ...cm.data, greeting: "edited by hand" }));
    const c = await mcaCondition("watcher", "Drifted", (d) => d.status === "True", "Drifted=True");
    expect(c.reason).toBe("DriftDetected");
    expect(c.message).toContain("ConfigMap watcher-ns/settings: .data.greeting changed by e2e-editor");
    expect(c.message).toContain("driftPolicy Report");
    // The report went out after the agent looked at the change: it was not put back.
    expect((await spoke.configMap(ns, "settings"))?.data?.greeting).toBe("edited by hand");

    await spoke.apps.deleteNamespacedDeployment({ namespace: ns, name: "server" });
    await waitFor("MCA Drifted names the deletion", async () => (await hub.mcaCondition(CLUSTER, "watcher", "Drifted"))?.message?.includes("Deployment watcher-ns/server: deleted"), 30_000);
    expect(await spoke.deployment(ns, "server")).toBeUndefined();
    expect((await hub.mcaCondition(CLUSTER, "watcher", "Available"))?.status).toBe("False");
  });

  it("an object another addon holds: the second addon reports Conflict, the first keeps it", async () => {
    const common = { namespace: "shared", name: "common", data: { owner: "first" } };
    await hub.install(configMapsAddon("first", [common]), [CLUSTER]);
    await hub.createCma(configMapsAddon("second", [{ ...common, data: { owner: "second" } }, { namespace: "shared", name: "second-own", data: { x: "1" } }]));
    const c = await mcaCondition("second", "Applied", (a) => a.reason === "Conflict", "Applied=False/Conflict");
    expect(c.status).toBe("False");
    expect(c.message).toContain("ConfigMap shared/common");
    expect(c.message).toContain("already managed by addon first");
    expect((await hub.mcaCondition(CLUSTER, "second", "Degraded"))?.status).toBe("True");
    const cm = await spoke.configMap("shared", "common");
    expect(cm?.data).toEqual({ owner: "first" });
    expect(cm?.metadata?.labels?.[ADDON_NAME_LABEL]).toBe("first");
    // and the first addon is none the worse
    expect((await hub.mcaCondition(CLUSTER, "first", "Available"))?.status).toBe("True");
  });

  it("a field another manager owns is a Conflict naming it, until the addon opts in to forceConflicts", async () => {
    await raw.apply({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "limits", namespace: "shared" }, data: { level: "high" } }, "platform-team");
    await hub.createCma(configMapsAddon("taker", [{ namespace: "shared", name: "limits", data: { level: "low" } }]));
    const c = await mcaCondition("taker", "Applied", (a) => a.reason === "Conflict", "Applied=False/Conflict");
    expect(c.message).toContain("ConfigMap shared/limits");
    expect(c.message).toContain("platform-team");
    expect(c.message).toContain(".data.level");
    expect((await spoke.configMap("shared", "limits"))?.data).toEqual({ level: "high" });

    await hub.patchCma("taker", { spec: { forceConflicts: true } });
    await waitFor("forced: the addon's value", async () => (await spoke.configMap("shared", "limits"))?.data?.level === "low", 60_000);
    await hub.waitAvailable(CLUSTER, "taker");
  });
});
