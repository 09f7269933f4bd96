/**
 * Benchmark (issue: "time and API calls to apply a 200-object bundle cold and to resync it unchanged"):
 * an addon of N ConfigMaps on one spoke of the dev fleet (real processes). API calls are read from the
 * spoke API server's own `apiserver_request_total` for the resources the agent touches for this addon
 * (configmaps, its namespace, its AppliedAddOn), so the spoke's other traffic (controller manager,
 * simulator) is left out. The comparison printed beside it is the floor: one request per object.
 */
import { get as httpsGet, type RequestOptions } from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
import type { ClusterManagementAddOn } from "@flotilla/shared";
import type { Fleet } from "../fleet/fleet.js";
import { Hub, metric } from "../e2e/support.js";

const ADDON = "bulk";
const RESOURCES = ["configmaps", "namespaces", "appliedaddons"];

function bulkAddon(objects: number): ClusterManagementAddOn {
  const ns = `${ADDON}-ns`;
  const manifests = [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } },
    ...Array.from({ length: objects - 1 }, (_, i) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: `cm-${String(i).padStart(3, "0")}` }, data: { i: String(i), cluster: "{{ .Cluster.Name }}" } })),
  ];
  return {
    apiVersion: "addon.flotilla.dev/v1alpha1",
    kind: "ClusterManagementAddOn",
    metadata: { name: ADDON },
    spec: { installNamespace: ns, source: { manifests }, installStrategy: { type: "Placements", placements: [{ name: "one", clusterSelector: { matchLabels: { "bench.flotilla.dev/bulk": "yes" } } }] } },
  } as unknown as ClusterManagementAddOn;
}

/** The spoke API server's request counters, by verb, for the resources above. */
async function requestCounts(kc: KubeConfig): Promise<Map<string, number>> {
  const server = kc.getCurrentCluster()?.server ?? "";
  const opts: RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  const text = await new Promise<string>((resolve, reject) => {
    httpsGet(`${server}/metrics`, opts, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`GET /metrics: ${res.statusCode}`))));
    }).on("error", reject);
  });
  const counts = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line.startsWith("apiserver_request_total{")) continue;
    const labels = Object.fromEntries([...line.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (!RESOURCES.includes(labels.resource ?? "")) continue;
    const verb = labels.verb ?? "?";
    counts.set(verb, (counts.get(verb) ?? 0) + Number(line.slice(line.lastIndexOf(" ") + 1)));
  }
  return counts;
}

const delta = (a: Map<string, number>, b: Map<string, number>) => {
  const out = new Map<string, number>();
  for (const [k, v] of b) if (v - (a.get(k) ?? 0) > 0) out.set(k, v - (a.get(k) ?? 0));
  return out;
};
const total = (m: Map<string, number>) => [...m.values()].reduce((s, n) => s + n, 0);
const show = (m: Map<string, number>) => [...m].sort().map(([k, v]) => `${k} ${v}`).join(", ");

/** The agent's addon reconciles so far: count and seconds spent. */
async function reconciles(metricsUrl: string): Promise<{ count: number; seconds: number }> {
  return {
    count: await metric(metricsUrl, "flotilla_reconcile_duration_seconds_count", { queue: "agent-addons" }),
    seconds: await metric(metricsUrl, "flotilla_reconcile_duration_seconds_sum", { queue: "agent-addons" }),
  };
}

export async function bundleApply(fleet: Fleet, o: { objects: number; resyncSeconds: number }, out: (s: string) => void): Promise<void> {
  const hub = new Hub(fleet.hubKubeConfig);
  const [cluster] = fleet.clusterNames();
  if (!cluster) throw new Error("bundle-apply needs a fleet with at least one cluster");
  const kc = fleet.spoke(cluster).kubeConfig;
  const agent = fleet.agents.get(cluster);
  if (!agent) throw new Error(`no agent runs on ${cluster}`);
  await hub.labelCluster(cluster, { "bench.flotilla.dev/bulk": "yes" });

  const before = await requestCounts(kc);
  const r0 = await reconciles(agent.metricsUrl);
  const start = performance.now();
  await hub.createCma(bulkAddon(o.objects));
  await hub.waitAvailable(cluster, ADDON, 300_000);
  const coldMs = performance.now() - start;
  const cold = delta(before, await requestCounts(kc));
  const r1 = await reconciles(agent.metricsUrl);

  // Unchanged: whatever the agent does over two resync periods, per period.
  const idleStart = await requestCounts(kc);
  await new Promise((r) => setTimeout(r, 2 * o.resyncSeconds * 1000));
  const idle = delta(idleStart, await requestCounts(kc));
  const r2 = await reconciles(agent.metricsUrl);
  const perResync = new Map([...idle].map(([k, v]) => [k, Math.round(v / 2)]));

  out(`Bundle of ${o.objects} objects (a Namespace and ${o.objects - 1} ConfigMaps) on one spoke; spoke API requests on configmaps, namespaces, appliedaddons (floor: ${o.objects}, one per object):`);
  out(`  cold apply: ${(coldMs / 1000).toFixed(2)} s from CMA created to MCA Available; ${total(cold)} requests (${show(cold)}); agent reconciles ${r1.count - r0.count}, ${(r1.seconds - r0.seconds).toFixed(2)} s in them`);
  out(`  unchanged, per resync (${o.resyncSeconds} s): ${total(perResync)} requests (${show(perResync)}); agent reconciles ${((r2.count - r1.count) / 2).toFixed(1)}, ${((r2.seconds - r1.seconds) / 2).toFixed(2)} s in them`);
  await hub.deleteCma(ADDON);
}
