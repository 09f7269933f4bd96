import { AppsV1Api, CoordinationV1Api, CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig, type V1Lease } from "@kubernetes/client-node";
import { resources, type ClusterManagementAddOn, type ManagedClusterAddOn } from "@flotilla/shared";
import type { Fleet } from "../fleet/fleet.js";

/** Polls `fn` until it returns something other than undefined/false; fails naming `what` and the last value seen. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
      last = v;
    } catch (err) {
      last = err instanceof Error ? err.message : err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

const statusOf = (err: unknown) => (err as { code?: number }).code;
/** Resolves undefined on 404. */
export async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw err;
  }
}

const merge = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

type Condition = { type: string; status: string; reason?: string; message?: string };

/** Typed access to the hub's Flotilla objects. */
export class Hub {
  private readonly custom: CustomObjectsApi;
  private readonly coordination: CoordinationV1Api;
  private readonly core: CoreV1Api;
  constructor(kc: KubeConfig) {
    this.custom = kc.makeApiClient(CustomObjectsApi);
    this.coordination = kc.makeApiClient(CoordinationV1Api);
    this.core = kc.makeApiClient(CoreV1Api);
  }
  /** A Secret on the hub (chart credentials), its namespace made when missing (the hub may have made it: it leads from there). */
  async createSecret(ref: { namespace: string; name: string }, stringData: Record<string, string>): Promise<void> {
    await this.core.createNamespace({ body: { metadata: { name: ref.namespace } } }).catch(() => undefined);
    await this.core.createNamespacedSecret({ namespace: ref.namespace, body: { metadata: { name: ref.name }, stringData } });
  }
  private cmaRef = resources.clusterManagementAddOns;
  private mcaRef = resources.managedClusterAddOns;
  private mclRef = resources.managedClusters;

  async createCma(body: ClusterManagementAddOn): Promise<void> {
    const r = this.cmaRef;
    await this.custom.createClusterCustomObject({ group: r.group, version: r.version, plural: r.plural, body });
  }
  async getCma(name: string): Promise<ClusterManagementAddOn | undefined> {
    const r = this.cmaRef;
    return orUndefined(this.custom.getClusterCustomObject({ group: r.group, version: r.version, plural: r.plural, name }) as Promise<ClusterManagementAddOn>);
  }
  async patchCma(name: string, patch: object): Promise<void> {
    const r = this.cmaRef;
    await this.custom.patchClusterCustomObject({ group: r.group, version: r.version, plural: r.plural, name, body: patch }, merge);
  }
  async deleteCma(name: string): Promise<void> {
    const r = this.cmaRef;
    await this.custom.deleteClusterCustomObject({ group: r.group, version: r.version, plural: r.plural, name });
  }
  async getMca(cluster: string, addon: string): Promise<ManagedClusterAddOn | undefined> {
    const r = this.mcaRef;
    return orUndefined(this.custom.getNamespacedCustomObject({ group: r.group, version: r.version, plural: r.plural, namespace: cluster, name: addon }) as Promise<ManagedClusterAddOn>);
  }
  async patchMca(cluster: string, addon: string, patch: object): Promise<void> {
    const r = this.mcaRef;
    await this.custom.patchNamespacedCustomObject({ group: r.group, version: r.version, plural: r.plural, namespace: cluster, name: addon, body: patch }, merge);
  }
  async labelCluster(name: string, labels: Record<string, string | null>): Promise<void> {
    const r = this.mclRef;
    await this.custom.patchClusterCustomObject({ group: r.group, version: r.version, plural: r.plural, name, body: { metadata: { labels } } }, merge);
  }
  async patchCluster(name: string, patch: object): Promise<void> {
    const r = this.mclRef;
    await this.custom.patchClusterCustomObject({ group: r.group, version: r.version, plural: r.plural, name, body: patch }, merge);
  }
  async deleteCluster(name: string): Promise<void> {
    const r = this.mclRef;
    await this.custom.deleteClusterCustomObject({ group: r.group, version: r.version, plural: r.plural, name });
  }
  async getCluster(name: string): Promise<{ status?: { conditions?: { type: string; status: string; reason?: string }[] } } | undefined> {
    const r = this.mclRef;
    return orUndefined(this.custom.getClusterCustomObject({ group: r.group, version: r.version, plural: r.plural, name }));
  }
  async cmaCondition(addon: string, type: string): Promise<Condition | undefined> {
    return (await this.getCma(addon))?.status?.conditions?.find((c) => c.type === type);
  }
  async mcaCondition(cluster: string, addon: string, type: string): Promise<Condition | undefined> {
    return (await this.getMca(cluster, addon))?.status?.conditions?.find((c) => c.type === type);
  }
  async clusterCondition(name: string, type: string): Promise<Condition | undefined> {
    return (await this.getCluster(name))?.status?.conditions?.find((c) => c.type === type);
  }
  /** The hubs' leader Lease (the defaults of `flotilla hub`). */
  lease(): Promise<V1Lease | undefined> {
    return orUndefined(this.coordination.readNamespacedLease({ namespace: "flotilla-system", name: "flotilla-hub" }));
  }
  /** Waits for the CMA's update revision to move past `before` (a spec change taken), and returns it. */
  async nextRevision(addon: string, before: string | undefined): Promise<string> {
    return waitFor(`a new update revision of ${addon}`, async () => {
      const r = (await this.getCma(addon))?.status?.updateRevision;
      return r !== undefined && r !== before ? r : undefined;
    });
  }
  /** Creates the addon and waits until it is Available on each of `clusters`. */
  async install(body: ClusterManagementAddOn, clusters: readonly string[]): Promise<void> {
    await this.createCma(body);
    for (const c of clusters) await this.waitAvailable(c, body.metadata?.name ?? "");
  }
  /** Waits until the MCA reports Applied and Available on the CMA's current update revision. */
  async waitAvailable(cluster: string, addon: string, timeoutMs = 60_000): Promise<ManagedClusterAddOn> {
    return waitFor(`${addon} Available on ${cluster}`, async () => {
      const [cma, mca] = await Promise.all([this.getCma(addon), this.getMca(cluster, addon)]);
      const rev = cma?.status?.updateRevision;
      const conds = mca?.status?.conditions ?? [];
      const ok = (t: string) => conds.some((c) => c.type === t && c.status === "True");
      if (rev && mca?.status?.appliedRevision === rev && ok("Applied") && ok("Available")) return mca;
      // what the timeout says: where the cluster stands
      const said = conds.filter((c) => c.status !== "True" || c.type === "Applied").map((c) => `${c.type}=${c.status}/${c.reason}: ${c.message.slice(0, 300)}`);
      throw new Error(`update revision ${rev ?? "none"}, applied ${mca?.status?.appliedRevision ?? "none"}; ${said.join("; ") || "no conditions"}`);
    }, timeoutMs);
  }
}

/** Typed access to a spoke's objects. */
export class Spoke {
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly custom: CustomObjectsApi;
  constructor(kc: KubeConfig) {
    this.core = kc.makeApiClient(CoreV1Api);
    this.apps = kc.makeApiClient(AppsV1Api);
    this.custom = kc.makeApiClient(CustomObjectsApi);
  }
  configMap(namespace: string, name: string) {
    return orUndefined(this.core.readNamespacedConfigMap({ namespace, name }));
  }
  deployment(namespace: string, name: string) {
    return orUndefined(this.apps.readNamespacedDeployment({ namespace, name }));
  }
  appliedAddOn(name: string) {
    const r = resources.appliedAddOns;
    return orUndefined(this.custom.getClusterCustomObject({ group: r.group, version: r.version, plural: r.plural, name }) as Promise<{ status?: { appliedRevision?: string; inventory?: unknown[] } }>);
  }
  /** A namespace that is gone, or terminating (without kube-controller-manager it would stay so). */
  async namespaceGoneOrTerminating(name: string): Promise<boolean> {
    const ns = await orUndefined(this.core.readNamespace({ name }));
    return !ns || ns.metadata?.deletionTimestamp !== undefined;
  }
}

/** Value of one sample of a Prometheus text exposition, summed over samples matching `labels`. */
export async function metric(metricsUrl: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${metricsUrl}/metrics`)).text();
  let sum = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[3] ?? "").matchAll(/([a-zA-Z_]+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) sum += Number(m[4]);
  }
  return sum;
}

/** Desired bundles an agent has fetched: one per new bundle digest, whatever the addon. */
export function bundlesRead(metricsUrl: string): Promise<number> {
  return metric(metricsUrl, "flotilla_bus_messages_received_total", { kind: "DesiredBundle" });
}

/**
 * Puts back what a test may have stopped, so the next test (or the same one run alone) starts from a
 * whole fleet: NATS running, an agent on every cluster, and hub-0 as the only hub.
 */
export async function restoreFleet(fleet: Fleet): Promise<void> {
  await fleet.nats.start(); // a no-op while it runs
  for (const id of [...fleet.hubs.keys()]) if (id !== "hub-0") await fleet.stopHub(id);
  if (fleet.hubs.get("hub-0")?.proc.exitStatus()) await fleet.stopHub("hub-0");
  if (!fleet.hubs.has("hub-0")) await fleet.startHub("hub-0");
  for (const c of fleet.clusterNames()) {
    if (fleet.agents.get(c)?.proc.exitStatus()) await fleet.stopAgent(c);
    if (!fleet.agents.has(c)) await fleet.startAgent(c);
  }
}

/** The test addon: a Namespace, a per-cluster ConfigMap, and a Deployment, selected by `env=dev`. */
export function demoAddon(name: string, opts: { greeting?: string; withConfigMap?: boolean; selector?: Record<string, string> } = {}): ClusterManagementAddOn {
  const ns = `${name}-ns`;
  const manifests: Record<string, unknown>[] = [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } },
    ...(opts.withConfigMap === false ? [] : [{
      apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings" },
      data: { cluster: "{{ .Cluster.Name }}", region: "{{ .Cluster.Labels.region }}", greeting: "{{ .Values.greeting }} from {{ .Cluster.Name }}" },
    }]),
    {
      apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "server" },
      spec: {
        replicas: "{{ .Values.replicas }}",
        selector: { matchLabels: { app: "server" } },
        template: { metadata: { labels: { app: "server" } }, spec: { containers: [{ name: "server", image: "registry.k8s.io/pause:3.10" }] } },
      },
    },
  ];
  return {
    apiVersion: "addon.flotilla.dev/v1alpha1",
    kind: "ClusterManagementAddOn",
    metadata: { name },
    spec: {
      installNamespace: ns,
      values: { greeting: opts.greeting ?? "hello", replicas: 1 },
      source: { manifests },
      installStrategy: {
        type: "Placements",
        placements: [{ name: "dev", clusterSelector: { matchLabels: opts.selector ?? { env: "dev" } }, rolloutStrategy: { type: "All" } }],
      },
    },
  } as unknown as ClusterManagementAddOn;
}

/** An addon from a Helm chart, on every dev cluster at once. */
export function helmAddon(name: string, helm: Record<string, unknown>, extra: Record<string, unknown> = {}): ClusterManagementAddOn {
  return {
    apiVersion: "addon.flotilla.dev/v1alpha1",
    kind: "ClusterManagementAddOn",
    metadata: { name },
    spec: {
      installNamespace: name,
      source: { helm },
      installStrategy: { type: "Placements", placements: [{ name: "dev", clusterSelector: { matchLabels: { env: "dev" } }, rolloutStrategy: { type: "All" } }] },
      ...extra,
    },
  } as unknown as ClusterManagementAddOn;
}
