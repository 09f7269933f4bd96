import { connect, type NatsConnection } from "@nats-io/transport-node";
import { Kvm } from "@nats-io/kv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Fleet } from "../fleet/fleet.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";
import { demoAddon, Hub, metric, Spoke, waitFor } from "./support.js";

describe("bad input: one bad addon, cluster or message never stalls the rest", () => {
  let fleet: Fleet;
  let dir: string;
  let hub: Hub;
  let nc: NatsConnection;
  const spoke = (name: string) => new Spoke(fleet.spoke(name).kubeConfig);

  beforeAll(async () => {
    dir = await makeTempDir("e2e-bad-input");
    fleet = await Fleet.start({ clusters: 2, dir });
    hub = new Hub(fleet.hubKubeConfig);
    nc = await connect(fleet.nats.clientOptions());
  });
  afterAll(async () => {
    await nc?.close();
    await fleet?.stop();
    await removeDir(dir);
  });

  // Each test installs an addon of its own, so any one of them runs alone (`-t`).
  it("a manifest one spoke rejects sets Applied=False with the server's reason there, and the other cluster still gets the addon", async () => {
    const addon = "strict";
    await hub.install(demoAddon(addon), ["cluster-1", "cluster-2"]);
    const before = (await hub.getCma(addon))?.status?.updateRevision;
    // per-cluster values make cluster-2's Deployment invalid (negative replicas)
    await hub.patchMca("cluster-2", addon, { spec: { values: { replicas: -1, greeting: "broken" } } });
    await hub.patchCma(addon, { spec: { values: { greeting: "still fine" } } });
    // until the hub has taken the change, the old revision still counts as Available
    const revision = await hub.nextRevision(addon, before);
    // past the transient reasons (Applying, ApplyRetrying) to where the agent settles
    const failed = await waitFor("cluster-2 Applied=False, settled", async () => {
      const c = await hub.mcaCondition("cluster-2", addon, "Applied");
      return c?.status === "False" && c.reason !== "Applying" && c.reason !== "ApplyRetrying" ? c : undefined;
    });
    expect(failed.reason).toBe("ApplyFailed"); // the server's 422 is final, not retried
    expect(failed.message).toMatch(/replicas/);
    expect((await hub.waitAvailable("cluster-1", addon)).status?.appliedRevision).toBe(revision);
    expect((await spoke("cluster-1").configMap(`${addon}-ns`, "settings"))?.data?.greeting).toBe("still fine from cluster-1");
    await waitFor("CMA counts the failure", async () => (await hub.getCma(addon))?.status?.summary?.failed === 1);
    // fixing the values heals it
    await hub.patchMca("cluster-2", addon, { spec: { values: { replicas: null, greeting: null } } });
    expect((await hub.waitAvailable("cluster-2", addon)).status?.appliedRevision).toBe(revision);
  });

  it("malformed and foreign bus messages are dropped and counted, and nothing crashes", async () => {
    const addon = "garbled";
    await hub.install(demoAddon(addon), ["cluster-1"]);
    const hubMetrics = fleet.hubs.get("hub-0")!.metricsUrl;
    const agentMetrics = fleet.agents.get("cluster-1")!.metricsUrl;
    const hubBefore = await metric(hubMetrics, "flotilla_bus_messages_invalid_total");
    const agentBefore = await metric(agentMetrics, "flotilla_bus_messages_invalid_total");

    const kvm = new Kvm(nc);
    const status = await kvm.open("flotilla_status");
    await status.put("cluster-1.garbage", "{not json");
    await status.put(`cluster-1.${addon}`, JSON.stringify({ version: 1, kind: "AddonReport", cluster: "cluster-2", addon, revision: "x", conditions: [], resources: [], observedAt: new Date().toISOString() }));
    await status.put("cluster-1", JSON.stringify({ version: 99, kind: "AgentInfo" }));
    await waitFor("hub counts 3 invalid messages", async () => (await metric(hubMetrics, "flotilla_bus_messages_invalid_total")) >= hubBefore + 3);

    const desired = await kvm.open("flotilla_desired");
    await desired.put("cluster-1", new Uint8Array([0xff, 0x00, 0x13, 0x37]));
    await waitFor("agent counts the invalid index", async () => (await metric(agentMetrics, "flotilla_bus_messages_invalid_total")) > agentBefore);

    // both still alive and serving; what was applied stays applied
    expect(fleet.hubs.get("hub-0")!.proc.exitStatus()).toBeUndefined();
    expect(fleet.agents.get("cluster-1")!.proc.exitStatus()).toBeUndefined();
    expect((await fetch(`${agentMetrics}/healthz`)).ok).toBe(true);
    expect((await spoke("cluster-1").deployment(`${addon}-ns`, "server"))?.metadata?.labels?.["addon.flotilla.dev/name"]).toBe(addon);

    // the hub's next write replaces the garbage (compare-and-set notices the foreign revision)
    await hub.patchCma(addon, { spec: { values: { greeting: "healed" } } });
    await waitFor("cluster-1 converges after the garbage", async () =>
      (await spoke("cluster-1").configMap(`${addon}-ns`, "settings"))?.data?.greeting === "healed from cluster-1");
  });
});
