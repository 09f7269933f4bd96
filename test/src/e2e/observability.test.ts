/**
 * The dashboard, the alerting rules and docs/metrics.md against a real fleet and a real Prometheus: the
 * dev fleet (hub + 2 agents) runs a rollout, one apply error, one invalid bus message, one drift
 * correction and one uninstall; Prometheus scrapes the hub and every agent each second with the rules
 * loaded. Then every panel target of deploy/grafana/flotilla-dashboard.json returns data, the rules load
 * and the invalid message puts its alert into pending, and every metric the processes expose is in
 * docs/metrics.md with its type, labels and process.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { Kvm } from "@nats-io/kv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Fleet } from "../fleet/fleet.js";
import { stderrLogger } from "../harness/logger.js";
import { startPrometheus, type Prometheus } from "../harness/prometheus.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";
import { dashboardTargets, exposedFamilies, parseMetricsDoc, type DocMetric } from "../observability/readers.js";
import { demoAddon, Hub, Spoke, waitFor } from "./support.js";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const read = (file: string) => readFileSync(join(repoRoot, file), "utf8");
/** What Grafana would put in for the variables: every cluster and addon, a 15 s rate window. */
const VARIABLES = { __rate_interval: "15s", cluster: ".*", addon: ".*" };

describe("observability: dashboard, alert rules and metrics doc on a running fleet", () => {
  let fleet: Fleet;
  let dir: string;
  let hub: Hub;
  let prom: Prometheus | undefined;
  let nc: NatsConnection;
  const clusters = ["cluster-1", "cluster-2"];

  beforeAll(async () => {
    dir = await makeTempDir("e2e-observability");
    fleet = await Fleet.start({ clusters: 2, dir });
    hub = new Hub(fleet.hubKubeConfig);
    nc = await connect(fleet.nats.clientOptions());
    const host = (url: string) => new URL(url).host;
    prom = await startPrometheus({
      jobs: {
        "flotilla-hub": [host(fleet.hubs.get("hub-0")!.metricsUrl)],
        "flotilla-agent": clusters.map((c) => host(fleet.agents.get(c)!.metricsUrl)),
      },
      ruleFiles: [join(repoRoot, "deploy/prometheus/flotilla.rules.yaml")],
      log: stderrLogger("flotilla harness"),
    });

    // A rollout to both clusters, then one uninstall (objects deleted) and one drift correction.
    await hub.install(demoAddon("observed"), clusters);
    await hub.install(demoAddon("doomed"), ["cluster-1"]);
    await hub.deleteCma("doomed");
    const spoke1 = new Spoke(fleet.spoke("cluster-1").kubeConfig);
    await waitFor("doomed uninstalled from cluster-1", async () => spoke1.namespaceGoneOrTerminating("doomed-ns"));
    await spoke1.core.deleteNamespacedConfigMap({ namespace: "observed-ns", name: "settings" });
    await waitFor("the agent puts the deleted ConfigMap back", async () => (await spoke1.configMap("observed-ns", "settings")) !== undefined);
    // One apply error: cluster-2's values make its Deployment invalid (negative replicas).
    await hub.patchMca("cluster-2", "observed", { spec: { values: { replicas: -1 } } });
    await waitFor("cluster-2 Applied=False", async () => (await hub.mcaCondition("cluster-2", "observed", "Applied"))?.reason === "ApplyFailed");
    // One invalid bus message, for the hub.
    await (await new Kvm(nc).open("flotilla_status")).put("cluster-1.garbage", "{not json");
  });
  afterAll(async () => {
    await prom?.dispose();
    await nc?.close();
    await fleet?.stop();
    await removeDir(dir);
  });

  it("every panel target of the dashboard returns data", async () => {
    // the variables' queries (label_values) offer every cluster and addon
    const values = async (expr: string, label: string) => (await prom!.query(expr)).map((s) => s.metric[label]).sort().join(",");
    await waitFor("the cluster variable offers both clusters", async () => (await values("count by (cluster) (flotilla_agent_bus_connected)", "cluster")) === clusters.join(","));
    await waitFor("the addon variable offers the addon", async () => (await values("count by (addon) (flotilla_addon_rollout_phase)", "addon")) === "observed");
    const targets = dashboardTargets(JSON.parse(read("deploy/grafana/flotilla-dashboard.json")), VARIABLES);
    expect(targets.length).toBeGreaterThan(20);
    const empty = async () => {
      const out: string[] = [];
      for (const t of targets) if ((await prom!.query(t.expr)).length === 0) out.push(`${t.panel}: ${t.expr}`);
      return out;
    };
    // counters need two scrapes after their first increment before rate() and increase() answer
    await waitFor("every panel target to return data", async () => ((await empty()).length === 0 ? true : undefined), 60_000, 1000).catch(async (err: unknown) => {
      throw new Error(`${(err as Error).message}\nno data:\n${(await empty()).join("\n")}`);
    });
  });

  it("the alerting rules load, and the invalid bus message puts its alert into pending or firing", async () => {
    const rules = (await (await fetch(`${prom!.url}/api/v1/rules`)).json()) as { data: { groups: { name: string; rules: { health: string; lastError?: string }[] }[] } };
    expect(rules.data.groups.map((g) => g.name).sort()).toEqual(["flotilla-agents", "flotilla-clusters", "flotilla-hub", "flotilla-rollouts"]);
    expect(rules.data.groups.flatMap((g) => g.rules).filter((r) => r.health === "err")).toEqual([]);
    const alert = await waitFor("FlotillaBusInvalidMessages pending", async () => {
      // the hub's series for the message this test sent (an agent may have its own: see docs/alerts.md)
      const r = await prom!.query('ALERTS{alertname="FlotillaBusInvalidMessages",component="hub",reason="NotJSON"}');
      return r.length > 0 ? r[0] : undefined;
    });
    expect(alert.metric).toMatchObject({ component: "hub", reason: "NotJSON", severity: "warning" });
  });

  it("every metric the hub and the agents expose is in docs/metrics.md with its type, labels and process", async () => {
    const doc = parseMetricsDoc(read("docs/metrics.md"));
    const processes: [string, string][] = [["hub", fleet.hubs.get("hub-0")!.metricsUrl], ...clusters.map((c): [string, string] => ["agent", fleet.agents.get(c)!.metricsUrl])];
    const problems: string[] = [];
    for (const [process, url] of processes) {
      const families = exposedFamilies(await (await fetch(`${url}/metrics`)).text());
      for (const f of families) {
        const d: DocMetric | undefined = doc.get(f.name);
        if (!d) problems.push(`${process}: ${f.name} is not in docs/metrics.md`);
        else {
          if (d.type !== f.type) problems.push(`${f.name}: documented as ${d.type}, exposed as ${f.type}`);
          if (!d.processes.includes(process)) problems.push(`${f.name}: exposed by the ${process}, documented for ${d.processes.join(", ")}`);
          for (const labels of f.labelSets) {
            const own = labels.filter((l) => !["component", "cluster", "le"].includes(l)).sort();
            if (own.join(",") !== [...d.labels].sort().join(",")) problems.push(`${f.name}: labels ${own.join(",") || "none"} exposed, ${d.labels.join(",") || "none"} documented`);
          }
          const defaults = process === "agent" ? ["cluster", "component"] : ["component"];
          for (const labels of f.labelSets) for (const l of defaults) if (!labels.includes(l)) problems.push(`${f.name}: the ${process}'s series lack ${l}`);
        }
      }
      // documented for this process but not exposed: the doc is stale (the registration counter
      // appears once the responder runs, which the dev fleet's hub does)
      const exposed = new Set(families.map((f) => f.name));
      for (const [name, d] of doc) if (d.processes.includes(process) && !exposed.has(name)) problems.push(`${process}: ${name} is documented but not exposed`);
    }
    expect([...new Set(problems)]).toEqual([]);
  });
});
