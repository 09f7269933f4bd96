/**
 * Readiness of applied objects (DESIGN §7), as pure functions of the live object. Built-in rules
 * for the workload kinds, CRDs, PVCs, namespaces and LoadBalancer Services; anything else is judged
 * the kstatus way (observedGeneration, `Stalled`, `Reconciling`, `Ready`), and is ready when it has
 * none of that. The addon's own `healthChecks` are applied on top (rules.ts).
 */
export interface ObjectHealth {
  ready: boolean;
  /** Will not become ready without a change (e.g. ProgressDeadlineExceeded, Job Failed). */
  failed: boolean;
  message?: string;
}

interface Cond {
  type?: unknown;
  status?: unknown;
  reason?: unknown;
  message?: unknown;
  observedGeneration?: unknown;
}
export interface LiveObject {
  kind: string;
  metadata?: { generation?: number; deletionTimestamp?: string; [k: string]: unknown };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [k: string]: unknown;
}

const READY: ObjectHealth = { ready: true, failed: false };
const waiting = (message: string): ObjectHealth => ({ ready: false, failed: false, message });
const failed = (message: string): ObjectHealth => ({ ready: false, failed: true, message });

const num = (v: unknown, dflt = 0): number => (typeof v === "number" ? v : dflt);
const conditions = (o: LiveObject): Cond[] => (Array.isArray(o.status?.conditions) ? (o.status.conditions as Cond[]) : []);
const cond = (o: LiveObject, type: string): Cond | undefined => conditions(o).find((c) => c.type === type);
const condText = (c: Cond | undefined): string => [c?.reason, c?.message].filter((x) => typeof x === "string" && x).join(": ");

/** The controller has seen the latest spec (no observedGeneration yet counts as not seen). */
function observed(o: LiveObject): boolean {
  const gen = o.metadata?.generation;
  if (gen === undefined) return true;
  return num(o.status?.observedGeneration, -1) >= gen;
}

function deployment(o: LiveObject): ObjectHealth {
  const progressing = cond(o, "Progressing");
  if (progressing?.status === "False" && progressing.reason === "ProgressDeadlineExceeded") {
    return failed(`progress deadline exceeded${typeof progressing.message === "string" ? `: ${progressing.message}` : ""}`);
  }
  if (!observed(o)) return waiting("waiting for the controller to observe the latest spec");
  const replicas = num(o.spec?.replicas, 1);
  const updated = num(o.status?.updatedReplicas);
  const available = num(o.status?.availableReplicas);
  if (updated < replicas) return waiting(`${updated} of ${replicas} replicas updated`);
  if (num(o.status?.replicas) > updated) return waiting(`${num(o.status?.replicas) - updated} old replicas pending termination`);
  if (available < replicas) return waiting(`${available} of ${replicas} replicas available`);
  const avail = cond(o, "Available");
  if (replicas > 0 && avail?.status !== "True") return waiting(`not Available${condText(avail) ? `: ${condText(avail)}` : ""}`);
  return READY;
}

function statefulSet(o: LiveObject): ObjectHealth {
  if (!observed(o)) return waiting("waiting for the controller to observe the latest spec");
  const replicas = num(o.spec?.replicas, 1);
  const ready = num(o.status?.readyReplicas);
  const updated = num(o.status?.updatedReplicas);
  const strategy = (o.spec?.updateStrategy as { type?: string } | undefined)?.type;
  if (strategy !== "OnDelete" && updated < replicas) return waiting(`${updated} of ${replicas} replicas updated`);
  if (ready < replicas) return waiting(`${ready} of ${replicas} replicas ready`);
  const cur = o.status?.currentRevision;
  const upd = o.status?.updateRevision;
  if (strategy !== "OnDelete" && typeof upd === "string" && upd && cur !== upd) return waiting("rolling update in progress");
  return READY;
}

function daemonSet(o: LiveObject): ObjectHealth {
  if (!observed(o)) return waiting("waiting for the controller to observe the latest spec");
  const desired = num(o.status?.desiredNumberScheduled);
  const updated = num(o.status?.updatedNumberScheduled);
  const available = num(o.status?.numberAvailable);
  if (updated < desired) return waiting(`${updated} of ${desired} pods updated`);
  if (available < desired) return waiting(`${available} of ${desired} pods available`);
  return READY;
}

function job(o: LiveObject): ObjectHealth {
  const f = cond(o, "Failed");
  if (f?.status === "True") return failed(`job failed${condText(f) ? `: ${condText(f)}` : ""}`);
  if (cond(o, "Complete")?.status === "True") return READY;
  return waiting("job not complete");
}

function crd(o: LiveObject): ObjectHealth {
  const e = cond(o, "Established");
  if (e?.status === "True") return READY;
  const n = cond(o, "NamesAccepted");
  if (n?.status === "False") return failed(`names not accepted: ${condText(n)}`);
  return waiting("not established");
}

function pvc(o: LiveObject): ObjectHealth {
  const phase = o.status?.phase;
  if (phase === "Bound") return READY;
  if (phase === "Lost") return failed("claim lost its volume");
  return waiting(`phase ${typeof phase === "string" ? phase : "Pending"}`);
}

function namespace(o: LiveObject): ObjectHealth {
  return o.status?.phase === "Terminating" ? waiting("namespace is terminating") : READY;
}

/** A LoadBalancer Service is ready once it has an address; other Services at once. */
function service(o: LiveObject): ObjectHealth {
  if (o.spec?.type !== "LoadBalancer") return READY;
  const ingress = (o.status?.loadBalancer as { ingress?: unknown } | undefined)?.ingress;
  return Array.isArray(ingress) && ingress.length > 0 ? READY : waiting("waiting for a load balancer address");
}

/** A condition written for an older generation than the object's says nothing about the current spec. */
const stale = (o: LiveObject, c: Cond): boolean => {
  const gen = o.metadata?.generation;
  return gen !== undefined && typeof c.observedGeneration === "number" && c.observedGeneration < gen;
};
const withText = (prefix: string, c: Cond | undefined): string => (condText(c) ? `${prefix}: ${condText(c)}` : prefix);

/**
 * kstatus, in its order: a status not yet written for the latest generation waits; `Stalled=True`
 * fails; `Reconciling=True` waits; then `Ready` decides when present (its own observedGeneration
 * must be current too). Without any of these the object is ready.
 */
function generic(o: LiveObject): ObjectHealth {
  if (o.status?.observedGeneration !== undefined && !observed(o)) return waiting("waiting for the controller to observe the latest spec");
  const stalled = cond(o, "Stalled");
  if (stalled?.status === "True" && !stale(o, stalled)) return failed(withText("stalled", stalled));
  const reconciling = cond(o, "Reconciling");
  if (reconciling?.status === "True") return waiting(withText("reconciling", reconciling));
  const ready = cond(o, "Ready");
  if (ready) {
    if (ready.status !== "True") return waiting(withText("not Ready", ready));
    if (stale(o, ready)) return waiting("Ready condition is for an older generation");
  }
  return READY;
}

const EVALUATORS: Readonly<Record<string, (o: LiveObject) => ObjectHealth>> = {
  Deployment: deployment,
  StatefulSet: statefulSet,
  DaemonSet: daemonSet,
  Job: job,
  CustomResourceDefinition: crd,
  PersistentVolumeClaim: pvc,
  Namespace: namespace,
  Service: service,
};

export function evaluateObject(o: LiveObject): ObjectHealth {
  if (o.metadata?.deletionTimestamp && o.kind !== "Namespace") return waiting("being deleted");
  return (EVALUATORS[o.kind] ?? generic)(o);
}

export interface AddonHealth {
  total: number;
  ready: number;
  failed: number;
  /** First few problems, for the condition message. */
  problems: string[];
  /** Health checks that cannot be used (a CEL expression that does not compile): the addon is Degraded. */
  invalid?: readonly { rule: string; error: string }[];
}

/** Sums per-object health; `missing` objects (not found live) count as not ready. */
export function summarize(items: readonly { name: string; health: ObjectHealth }[], maxProblems = 3): AddonHealth {
  const problems: string[] = [];
  let ready = 0;
  let failedCount = 0;
  for (const { name, health } of items) {
    if (health.ready) ready++;
    if (health.failed) failedCount++;
    if (!health.ready && problems.length < maxProblems) problems.push(`${name}: ${health.message ?? "not ready"}`);
  }
  return { total: items.length, ready, failed: failedCount, problems };
}
