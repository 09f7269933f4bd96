import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Fleet } from "../fleet/fleet.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";
import { demoAddon, Hub, metric, Spoke, waitFor } from "./support.js";

describe("resilience: agents and hubs converge by themselves", () => {
  let fleet: Fleet;
  let dir: string;
  let hub: Hub;
  const clusters = ["cluster-1", "cluster-2"];
  const spoke = (name: string) => new Spoke(fleet.spoke(name).kubeConfig);

  beforeAll(async () => {
    dir = await makeTempDir("e2e-resilience");
    fleet = await Fleet.start({ clusters: 2, dir });
    hub = new Hub(fleet.hubKubeConfig);
  });
  afterAll(async () => {
    await fleet?.stop();
    await removeDir(dir);
  });

  it("an agent started before NATS converges once NATS is up", async () => {
    await fleet.stopAgent("cluster-1");
    await fleet.nats.stop();
    await fleet.startAgent("cluster-1"); // serves /healthz without a bus
    await hub.createCma(demoAddon("early"));
    await sleep(2000);
    expect(await spoke("cluster-1").deployment("early-ns", "server")).toBeUndefined();
    await fleet.nats.start();
    for (const c of clusters) await hub.waitAvailable(c, "early");
    expect((await spoke("cluster-1").configMap("early-ns", "settings"))?.data?.cluster).toBe("cluster-1");
  });

  it("a restarted agent re-applies what it is missing, with the hub stopped", async () => {
    await fleet.stopHub();
    await fleet.stopAgent("cluster-2");
    await spoke("cluster-2").apps.deleteNamespacedDeployment({ namespace: "early-ns", name: "server" });
    await waitFor("deployment deleted", async () => (await spoke("cluster-2").deployment("early-ns", "server")) === undefined);
    await fleet.startAgent("cluster-2");
    await waitFor("deployment re-applied by the agent alone", async () => (await spoke("cluster-2").deployment("early-ns", "server")) !== undefined);
    await fleet.startHub();
    await hub.waitAvailable("cluster-2", "early");
  });

  it("agents cut off from the bus while the addon changes catch up after the outage", async () => {
    await fleet.nats.stop();
    await hub.patchCma("early", { spec: { values: { greeting: "after the outage" } } });
    await sleep(3000);
    await fleet.nats.start();
    for (const c of clusters) {
      await waitFor(`new greeting on ${c}`, async () =>
        (await spoke(c).configMap("early-ns", "settings"))?.data?.greeting === `after the outage from ${c}`);
      await hub.waitAvailable(c, "early");
    }
  });

  it("a cluster whose agent stops becomes Available=Unknown, and Available again when it returns", async () => {
    await fleet.stopAgent("cluster-1");
    await waitFor("cluster-1 Available=Unknown", async () =>
      (await hub.getCluster("cluster-1"))?.status?.conditions?.some((c) => c.type === "Available" && c.status === "Unknown"), 30_000);
    await fleet.startAgent("cluster-1");
    await waitFor("cluster-1 Available=True", async () =>
      (await hub.getCluster("cluster-1"))?.status?.conditions?.some((c) => c.type === "Available" && c.status === "True"), 30_000);
  });

  it("a second hub stays passive until the first one stops, then takes over", async () => {
    const first = fleet.hubs.get("hub-0");
    expect(first).toBeDefined();
    const second = await fleet.startHub("hub-1");
    await sleep(3000);
    expect(await metric(first!.metricsUrl, "flotilla_hub_leader")).toBe(1);
    expect(await metric(second.metricsUrl, "flotilla_hub_leader")).toBe(0);
    await hub.patchCma("early", { spec: { values: { greeting: "led by hub-0" } } });
    for (const c of clusters) await waitFor(`hub-0's change on ${c}`, async () => (await spoke(c).configMap("early-ns", "settings"))?.data?.greeting === `led by hub-0 from ${c}`);

    await fleet.stopHub("hub-0");
    await waitFor("hub-1 leads", async () => (await metric(second.metricsUrl, "flotilla_hub_leader")) === 1, 30_000);
    await hub.patchCma("early", { spec: { values: { greeting: "led by hub-1" } } });
    for (const c of clusters) {
      await waitFor(`hub-1's change on ${c}`, async () => (await spoke(c).configMap("early-ns", "settings"))?.data?.greeting === `led by hub-1 from ${c}`);
      await hub.waitAvailable(c, "early");
    }
  });
});
