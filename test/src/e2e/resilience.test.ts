import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Fleet } from "../fleet/fleet.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";
import { demoAddon, Hub, metric, restoreFleet, Spoke, waitFor } from "./support.js";

// Each test installs its own addon and stops what it needs; afterEach puts NATS, the agents and hub-0
// back, so any one of them runs alone (`-t`).
describe("resilience: agents and hubs converge by themselves", () => {
  let fleet: Fleet;
  let dir: string;
  let hub: Hub;
  const clusters = ["cluster-1", "cluster-2"];
  const spoke = (name: string) => new Spoke(fleet.spoke(name).kubeConfig);
  const agentMetrics = (cluster: string) => {
    const agent = fleet.agents.get(cluster);
    if (!agent) throw new Error(`no agent runs on ${cluster}`);
    return agent.metricsUrl;
  };
  const greeting = async (cluster: string, addon: string) => (await spoke(cluster).configMap(`${addon}-ns`, "settings"))?.data?.greeting;

  beforeAll(async () => {
    dir = await makeTempDir("e2e-resilience");
    fleet = await Fleet.start({ clusters: 2, dir });
    hub = new Hub(fleet.hubKubeConfig);
  });
  afterEach(async () => {
    if (fleet) await restoreFleet(fleet);
  });
  afterAll(async () => {
    await fleet?.stop();
    await removeDir(dir);
  });

  it("an agent started before NATS converges once NATS is up", async () => {
    const addon = "early";
    await fleet.stopAgent("cluster-1");
    await fleet.nats.stop();
    const agent = await fleet.startAgent("cluster-1"); // serves /healthz without a bus
    await hub.createCma(demoAddon(addon));
    // Both sides have had their chance before we look: the hub wants the revision on cluster-1, and
    // the agent is ready on its spoke and knows it has no bus.
    const revision = await waitFor("the hub wants a revision on cluster-1", async () => {
      const [cma, mca] = await Promise.all([hub.getCma(addon), hub.getMca("cluster-1", addon)]);
      const r = cma?.status?.updateRevision;
      return r !== undefined && mca?.status?.desiredRevision === r ? r : undefined;
    });
    await waitFor("the agent on cluster-1 is ready", async () => (await fetch(`${agent.metricsUrl}/readyz`)).ok);
    expect(await metric(agent.metricsUrl, "flotilla_agent_bus_connected")).toBe(0);
    expect(await spoke("cluster-1").deployment(`${addon}-ns`, "server")).toBeUndefined();

    await fleet.nats.start();
    for (const c of clusters) expect((await hub.waitAvailable(c, addon)).status?.appliedRevision).toBe(revision);
    expect((await spoke("cluster-1").configMap(`${addon}-ns`, "settings"))?.data?.cluster).toBe("cluster-1");
  });

  it("a restarted agent re-applies what it is missing, with the hub stopped", async () => {
    const addon = "restart";
    const ns = `${addon}-ns`;
    await hub.install(demoAddon(addon), clusters);
    await fleet.stopHub();
    await fleet.stopAgent("cluster-2");
    await spoke("cluster-2").apps.deleteNamespacedDeployment({ namespace: ns, name: "server" });
    await waitFor("deployment deleted", async () => (await spoke("cluster-2").deployment(ns, "server")) === undefined);
    await fleet.startAgent("cluster-2");
    const back = await waitFor("deployment re-applied by the agent alone", () => spoke("cluster-2").deployment(ns, "server"));
    expect(back.metadata?.labels?.["addon.flotilla.dev/name"]).toBe(addon);
    await fleet.startHub();
    await hub.waitAvailable("cluster-2", addon);
  });

  it("agents cut off from the bus while the addon changes catch up after the outage", async () => {
    const addon = "outage";
    await hub.install(demoAddon(addon), clusters);
    const before = (await hub.getCma(addon))?.status?.updateRevision;
    await fleet.nats.stop();
    await hub.patchCma(addon, { spec: { values: { greeting: "after the outage" } } });
    // The change lands during the outage: the hub has taken it (the new revision is wanted on every
    // cluster) and both agents know they are cut off; they still run the old one.
    const revision = await waitFor("the hub wants a new revision on every cluster", async () => {
      const r = (await hub.getCma(addon))?.status?.updateRevision;
      if (r === undefined || r === before) return undefined;
      const mcas = await Promise.all(clusters.map((c) => hub.getMca(c, addon)));
      return mcas.every((m) => m?.status?.desiredRevision === r) ? r : undefined;
    });
    for (const c of clusters) {
      await waitFor(`the agent on ${c} notices the outage`, async () => (await metric(agentMetrics(c), "flotilla_agent_bus_connected")) === 0);
      expect(await greeting(c, addon)).toBe(`hello from ${c}`);
    }

    await fleet.nats.start();
    for (const c of clusters) {
      await waitFor(`new greeting on ${c}`, async () => (await greeting(c, addon)) === `after the outage from ${c}`);
      expect((await hub.waitAvailable(c, addon)).status?.appliedRevision).toBe(revision);
    }
  });

  it("a cluster whose agent stops becomes Available=Unknown, and Available again when it returns", async () => {
    const available = async () => (await hub.clusterCondition("cluster-1", "Available"))?.status;
    await waitFor("cluster-1 Available=True to begin with", async () => (await available()) === "True", 30_000);
    await fleet.stopAgent("cluster-1");
    await waitFor("cluster-1 Available=Unknown", async () => (await available()) === "Unknown", 30_000);
    await fleet.startAgent("cluster-1");
    await waitFor("cluster-1 Available=True", async () => (await available()) === "True", 30_000);
  });

  it("a second hub stays passive until the first one stops, then takes over", async () => {
    const addon = "leader";
    await hub.install(demoAddon(addon), clusters);
    const first = fleet.hubs.get("hub-0");
    if (!first) throw new Error("hub-0 is not running");
    await waitFor("hub-0 leads", async () => (await metric(first.metricsUrl, "flotilla_hub_leader")) === 1, 30_000);

    const started = Date.now();
    const second = await fleet.startHub("hub-1");
    // hub-1 has had every chance to take over once the lease was renewed a full lease duration after it
    // started watching: were it deaf to a live holder, it would hold the lease by then.
    const lease = await waitFor("a lease renewal one lease duration after hub-1 started", async () => {
      const spec = (await hub.lease())?.spec;
      const renewed = spec?.renewTime ? new Date(spec.renewTime).getTime() : 0;
      return spec && renewed >= started + (spec.leaseDurationSeconds ?? 0) * 1000 ? spec : undefined;
    }, 30_000);
    expect(lease.holderIdentity).toBe("hub-0");
    expect(await metric(first.metricsUrl, "flotilla_hub_leader")).toBe(1);
    expect(await metric(second.metricsUrl, "flotilla_hub_leader")).toBe(0);
    await hub.patchCma(addon, { spec: { values: { greeting: "led by hub-0" } } });
    for (const c of clusters) await waitFor(`hub-0's change on ${c}`, async () => (await greeting(c, addon)) === `led by hub-0 from ${c}`);

    await fleet.stopHub("hub-0");
    await waitFor("hub-1 leads", async () => (await metric(second.metricsUrl, "flotilla_hub_leader")) === 1, 30_000);
    await hub.patchCma(addon, { spec: { values: { greeting: "led by hub-1" } } });
    for (const c of clusters) {
      await waitFor(`hub-1's change on ${c}`, async () => (await greeting(c, addon)) === `led by hub-1 from ${c}`);
      await hub.waitAvailable(c, addon);
    }
  });
});
