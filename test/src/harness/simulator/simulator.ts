import {
  AppsV1Api,
  BatchV1Api,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  type Informer,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  type ObjectCache,
} from "@kubernetes/client-node";
import { silentLogger, type HarnessLogger } from "../logger.js";
import { simulatedOutcome, statusPatch, type WorkloadKind, type WorkloadObject } from "./status.js";

export interface WorkloadSimulatorOptions {
  kubeConfig: KubeConfig;
  /** How long after a change a workload turns ready (or failed); default 300 ms. */
  readyDelayMs?: number;
  logger?: HarnessLogger;
  /** Wait before re-listing after a watch or list error; default 1000 ms. */
  relistDelayMs?: number;
}

type Workload = KubernetesObject & WorkloadObject;

interface KindClient {
  kind: WorkloadKind;
  path: string;
  list: () => Promise<KubernetesListObject<Workload>>;
  patchStatus: (name: string, namespace: string, body: object) => Promise<unknown>;
}

interface Pending {
  timer: NodeJS.Timeout;
  /** What the scheduled write is for; a change of it reschedules. */
  signature: string;
}

const MERGE_PATCH = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

/**
 * Plays the controllers and kubelets a bare control plane lacks (DESIGN §8): watches Deployments,
 * StatefulSets, DaemonSets and Jobs in all namespaces and, `readyDelayMs` after each change, writes the
 * status they would reach: ready, or failed when annotated `dev.flotilla.dev/simulate: fail`.
 * What to write is decided by the pure `statusPatch`; this class only watches, waits and patches.
 */
export class WorkloadSimulator {
  private readonly readyDelayMs: number;
  private readonly relistDelayMs: number;
  private readonly log: HarnessLogger;
  private readonly clients: KindClient[];
  private readonly informers = new Map<WorkloadKind, Informer<Workload> & ObjectCache<Workload>>();
  private readonly pending = new Map<string, Pending>();
  private readonly inflight = new Set<Promise<void>>();
  private readonly relistTimers = new Set<NodeJS.Timeout>();
  private running = false;

  constructor(private readonly options: WorkloadSimulatorOptions) {
    this.readyDelayMs = options.readyDelayMs ?? 300;
    this.relistDelayMs = options.relistDelayMs ?? 1000;
    this.log = options.logger ?? silentLogger;
    const apps = options.kubeConfig.makeApiClient(AppsV1Api);
    const batch = options.kubeConfig.makeApiClient(BatchV1Api);
    const list = <T>(fn: () => Promise<T>) => fn as unknown as () => Promise<KubernetesListObject<Workload>>;
    this.clients = [
      {
        kind: "Deployment",
        path: "/apis/apps/v1/deployments",
        list: list(() => apps.listDeploymentForAllNamespaces()),
        patchStatus: (name, namespace, body) => apps.patchNamespacedDeploymentStatus({ name, namespace, body }, MERGE_PATCH),
      },
      {
        kind: "StatefulSet",
        path: "/apis/apps/v1/statefulsets",
        list: list(() => apps.listStatefulSetForAllNamespaces()),
        patchStatus: (name, namespace, body) => apps.patchNamespacedStatefulSetStatus({ name, namespace, body }, MERGE_PATCH),
      },
      {
        kind: "DaemonSet",
        path: "/apis/apps/v1/daemonsets",
        list: list(() => apps.listDaemonSetForAllNamespaces()),
        patchStatus: (name, namespace, body) => apps.patchNamespacedDaemonSetStatus({ name, namespace, body }, MERGE_PATCH),
      },
      {
        kind: "Job",
        path: "/apis/batch/v1/jobs",
        list: list(() => batch.listJobForAllNamespaces()),
        patchStatus: (name, namespace, body) => batch.patchNamespacedJobStatus({ name, namespace, body }, MERGE_PATCH),
      },
    ];
  }

  /** Starts watching; resolves once every kind has been listed once (or has failed to and will retry). */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await Promise.all(this.clients.map((client) => this.startInformer(client)));
    this.log.info({ readyDelayMs: this.readyDelayMs }, "workload simulator started");
  }

  /** Stops watching, drops scheduled writes and waits for writes in flight. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const timer of this.relistTimers) clearTimeout(timer);
    this.relistTimers.clear();
    for (const { timer } of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    await Promise.all([...this.informers.values()].map((informer) => informer.stop()));
    this.informers.clear();
    await Promise.allSettled([...this.inflight]);
    this.log.info({}, "workload simulator stopped");
  }

  private async startInformer(client: KindClient): Promise<void> {
    const informer = makeInformer<Workload>(this.options.kubeConfig, client.path, client.list);
    this.informers.set(client.kind, informer);
    const onChange = (obj: Workload): void => this.observe(client, obj);
    informer.on("add", onChange);
    informer.on("update", onChange);
    informer.on("delete", (obj) => this.cancel(keyOf(client.kind, obj)));
    // The informer stops on any error other than 410 Gone (which it handles by re-listing itself).
    informer.on("error", (err: unknown) => {
      if (!this.running) return;
      this.log.warn({ kind: client.kind, err: errorMessage(err) }, "simulator watch failed; re-listing");
      const timer = setTimeout(() => {
        this.relistTimers.delete(timer);
        if (this.running) void informer.start().catch(() => {});
      }, this.relistDelayMs);
      this.relistTimers.add(timer);
    });
    await informer.start();
  }

  /** Schedules a status write `readyDelayMs` after the object last changed in a way that matters. */
  private observe(client: KindClient, obj: Workload): void {
    if (!this.running) return;
    const key = keyOf(client.kind, obj);
    if (statusPatch(client.kind, obj, new Date()) === undefined) {
      this.cancel(key);
      return;
    }
    const signature = `${obj.metadata?.generation ?? 0}/${simulatedOutcome(obj)}`;
    if (this.pending.get(key)?.signature === signature) return;
    this.cancel(key);
    this.schedule(client, obj, key, signature, this.readyDelayMs);
  }

  private schedule(client: KindClient, obj: Workload, key: string, signature: string, delayMs: number): void {
    const timer = setTimeout(() => {
      this.pending.delete(key);
      const write = this.write(client, obj, key, signature).finally(() => this.inflight.delete(write));
      this.inflight.add(write);
    }, delayMs);
    this.pending.set(key, { timer, signature });
  }

  /** Re-reads the object from the cache (level-based), then patches its status if it still needs it. */
  private async write(client: KindClient, seen: Workload, key: string, signature: string): Promise<void> {
    const name = seen.metadata?.name ?? "";
    const namespace = seen.metadata?.namespace ?? "";
    const current = this.informers.get(client.kind)?.get(name, namespace);
    if (!this.running || current === undefined) return;
    const patch = statusPatch(client.kind, current, new Date());
    if (patch === undefined) return;
    try {
      await client.patchStatus(name, namespace, patch);
      this.log.debug({ kind: client.kind, namespace, name, outcome: simulatedOutcome(current) }, "simulated status written");
    } catch (err) {
      if (statusCode(err) === 404 || !this.running) return;
      this.log.warn({ kind: client.kind, namespace, name, err: errorMessage(err) }, "simulated status write failed; retrying");
      if (!this.pending.has(key)) this.schedule(client, current, key, signature, Math.max(this.readyDelayMs, 500));
    }
  }

  private cancel(key: string): void {
    const pending = this.pending.get(key);
    if (pending) clearTimeout(pending.timer);
    this.pending.delete(key);
  }
}

function keyOf(kind: WorkloadKind, obj: KubernetesObject): string {
  return `${kind}/${obj.metadata?.namespace ?? ""}/${obj.metadata?.name ?? ""}`;
}

function statusCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown; statusCode?: unknown } | null)?.code ?? (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === "number" ? code : undefined;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
