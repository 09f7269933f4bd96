import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import type { ClusterManagementAddOn, HealthCheck } from "@flotilla/shared";
import { Fleet } from "../fleet/fleet.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";
import { Hub, Spoke, waitFor } from "./support.js";

const CLUSTER = "cluster-1";

/**
 * An addon of a Namespace and a ConfigMap `gate` held back by `healthChecks`. The bundle never sets
 * `data.ready`, so the agent's server-side apply leaves that field to whoever writes it (the test).
 */
function gatedAddon(name: string, healthChecks: HealthCheck[]): ClusterManagementAddOn {
  return {
    apiVersion: "addon.flotilla.dev/v1alpha1",
    kind: "ClusterManagementAddOn",
    metadata: { name },
    spec: {
      installNamespace: `${name}-ns`,
      source: {
        manifests: [
          { apiVersion: "v1", kind: "Namespace", metadata: { name: `${name}-ns` } },
          { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "gate" }, data: { owner: "flotilla" } },
        ],
      },
      installStrategy: { type: "Placements", placements: [{ name: "dev", clusterSelector: { matchLabels: { env: "dev" } }, rolloutStrategy: { type: "All" } }] },
      healthChecks,
    },
  } as ClusterManagementAddOn;
}

describe("healthChecks: an addon's own CEL rule decides when it is Available", () => {
  let fleet: Fleet;
  let dir: string;
  let hub: Hub;
  let spoke: Spoke;

  beforeAll(async () => {
    dir = await makeTempDir("e2e-health-rules");
    fleet = await Fleet.start({ clusters: 1, dir });
    hub = new Hub(fleet.hubKubeConfig);
    spoke = new Spoke(fleet.spoke(CLUSTER).kubeConfig);
  });
  afterAll(async () => {
    await fleet?.stop();
    await removeDir(dir);
  });

  it("holds the addon unavailable with the rule's message until the object's field says ready", async () => {
    const addon = "gated";
    await hub.createCma(
      gatedAddon(addon, [{ kind: "ConfigMap", name: "gate", cel: [{ expression: 'has(object.data.ready) && object.data.ready == "true"', message: "waiting for the gate to open" }] }]),
    );
    const held = await waitFor(`${addon} applied and held back on ${CLUSTER}`, async () => {
      const mca = await hub.getMca(CLUSTER, addon);
      const applied = mca?.status?.conditions?.find((c) => c.type === "Applied");
      const available = mca?.status?.conditions?.find((c) => c.type === "Available");
      return mca && applied?.status === "True" && available?.status === "False" ? { mca, available } : undefined;
    });
    expect(held.available).toMatchObject({ reason: "NotReady", message: "1/2 ready; 1 not ready: ConfigMap gated-ns/gate: waiting for the gate to open" });
    expect(held.mca.status?.resources?.find((r) => r.kind === "ConfigMap")).toMatchObject({ name: "gate", ready: false, message: "waiting for the gate to open" });
    expect((await hub.mcaCondition(CLUSTER, addon, "Degraded"))?.status).toBe("False");

    // Someone on the spoke opens the gate (a field the agent does not own, so it stays).
    await spoke.core.patchNamespacedConfigMap({ namespace: `${addon}-ns`, name: "gate", body: { data: { ready: "true" } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
    const mca = await hub.waitAvailable(CLUSTER, addon);
    expect(mca.status?.conditions?.find((c) => c.type === "Available")?.message).toBe("all 2 objects ready");
    expect((await spoke.configMap(`${addon}-ns`, "gate"))?.data).toEqual({ owner: "flotilla", ready: "true" });
  });

  it("reports an expression that does not compile as Degraded/InvalidHealthCheck naming the rule", async () => {
    const addon = "badrule";
    await hub.createCma(gatedAddon(addon, [{ kind: "ConfigMap", name: "gate", cel: [{ expression: 'object.data.ready == "true" &&' }] }]));
    const degraded = await waitFor(`${addon} Degraded on ${CLUSTER}`, async () => {
      const c = await hub.mcaCondition(CLUSTER, addon, "Degraded");
      return c?.status === "True" ? c : undefined;
    });
    expect(degraded.reason).toBe("InvalidHealthCheck");
    expect(degraded.message).toMatch(/^invalid health check: healthChecks\[0\] \(ConfigMap gate\)\.cel\[0\]: does not compile: /);
    expect(await hub.mcaCondition(CLUSTER, addon, "Available")).toMatchObject({ status: "False", reason: "InvalidHealthCheck" });
    // The agent carries on: the objects are applied all the same.
    expect(await hub.mcaCondition(CLUSTER, addon, "Applied")).toMatchObject({ status: "True" });
    expect((await spoke.configMap(`${addon}-ns`, "gate"))?.data).toEqual({ owner: "flotilla" });
  });
});
