/**
 * The pure core of the workload simulator: given a workload object (as read from the API) and `now`,
 * the status its controller and kubelets would write, and the merge patch that gets it there.
 */
import { SIMULATE_ANNOTATION } from "@flotilla/shared";

export type WorkloadKind = "Deployment" | "StatefulSet" | "DaemonSet" | "Job";

export type SimulatedOutcome = "ready" | "fail";

/** The loose shape of any workload object; list calls may give `Date`s where watches give strings. */
export interface WorkloadObject {
  metadata?: {
    name?: string;
    generation?: number;
    annotations?: Record<string, string>;
    deletionTimestamp?: string | Date;
  };
  spec?: { replicas?: number; completions?: number | null; suspend?: boolean | null };
  status?: Record<string, unknown>;
}

type Status = Record<string, unknown>;

interface Condition {
  type: string;
  status: "True" | "False";
  reason: string;
  message: string;
  [extra: string]: unknown;
}

/** What the workload should do: fail when annotated so, otherwise become ready. */
export function simulatedOutcome(obj: WorkloadObject): SimulatedOutcome {
  return obj.metadata?.annotations?.[SIMULATE_ANNOTATION]?.trim().toLowerCase() === "fail" ? "fail" : "ready";
}

/**
 * The status to converge on, or undefined when the simulator must leave the object alone (being
 * deleted; a Job that is suspended or already finished).
 */
export function desiredStatus(kind: WorkloadKind, obj: WorkloadObject, now: Date): Status | undefined {
  if (obj.metadata?.deletionTimestamp !== undefined && obj.metadata.deletionTimestamp !== null) return undefined;
  return builders[kind](obj, simulatedOutcome(obj), now);
}

/**
 * The JSON merge patch (`{status: …}`) that turns the current status into the desired one, with `null`
 * for fields to drop; undefined when nothing needs writing. Timestamps of unchanged conditions are kept,
 * so a converged object yields no patch.
 */
export function statusPatch(kind: WorkloadKind, obj: WorkloadObject, now: Date): { status: Status } | undefined {
  const desired = desiredStatus(kind, obj, now);
  if (desired === undefined) return undefined;
  const current = obj.status ?? {};
  if (sameStatus(desired, current)) return undefined;
  const status: Status = { ...desired };
  for (const key of Object.keys(current)) if (!(key in desired)) status[key] = null;
  return { status };
}

const builders: Record<WorkloadKind, (obj: WorkloadObject, outcome: SimulatedOutcome, now: Date) => Status | undefined> = {
  Deployment(obj, outcome, now) {
    const replicas = obj.spec?.replicas ?? 1;
    const rs = `${name(obj)}-${shortHash(`${name(obj)}/${generation(obj)}`)}`;
    const conditions =
      outcome === "ready"
        ? [
            cond("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability."),
            cond("Progressing", "True", "NewReplicaSetAvailable", `ReplicaSet "${rs}" has successfully progressed.`),
          ]
        : [
            cond("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability."),
            cond("Progressing", "False", "ProgressDeadlineExceeded", `ReplicaSet "${rs}" has timed out progressing.`),
          ];
    const ready = outcome === "ready" ? replicas : 0;
    return {
      observedGeneration: generation(obj),
      replicas,
      updatedReplicas: replicas,
      readyReplicas: ready,
      availableReplicas: ready,
      unavailableReplicas: replicas - ready,
      conditions: stampConditions(conditions, obj.status, now, true),
    };
  },

  StatefulSet(obj, outcome) {
    const replicas = obj.spec?.replicas ?? 1;
    const revision = `${name(obj)}-${shortHash(`${name(obj)}/${generation(obj)}`)}`;
    const ready = outcome === "ready" ? replicas : 0;
    return {
      observedGeneration: generation(obj),
      replicas,
      readyReplicas: ready,
      availableReplicas: ready,
      currentReplicas: replicas,
      updatedReplicas: replicas,
      currentRevision: revision,
      updateRevision: revision,
    };
  },

  // As if the cluster had exactly one schedulable node.
  DaemonSet(obj, outcome) {
    const ready = outcome === "ready" ? 1 : 0;
    return {
      observedGeneration: generation(obj),
      desiredNumberScheduled: 1,
      currentNumberScheduled: 1,
      updatedNumberScheduled: 1,
      numberMisscheduled: 0,
      numberReady: ready,
      numberAvailable: ready,
      numberUnavailable: 1 - ready,
    };
  },

  Job(obj, outcome, now) {
    if (obj.spec?.suspend === true || jobFinished(obj.status)) return undefined;
    const startTime = timeString(obj.status?.startTime) ?? rfc3339(now);
    if (outcome === "fail") {
      const message = "Job has reached the specified backoff limit";
      return {
        startTime,
        failed: 1,
        active: 0,
        ready: 0,
        terminating: 0,
        conditions: stampConditions(
          // the API requires FailureTarget before Failed (the Job controller's own order)
          [cond("FailureTarget", "True", "BackoffLimitExceeded", message), cond("Failed", "True", "BackoffLimitExceeded", message)],
          obj.status,
          now,
          false,
        ),
      };
    }
    const message = "Reached expected number of succeeded pods";
    return {
      startTime,
      completionTime: rfc3339(now),
      succeeded: obj.spec?.completions ?? 1,
      active: 0,
      ready: 0,
      terminating: 0,
      conditions: stampConditions(
        // the API requires SuccessCriteriaMet before Complete
        [cond("SuccessCriteriaMet", "True", "CompletionsReached", message), cond("Complete", "True", "CompletionsReached", message)],
        obj.status,
        now,
        false,
      ),
    };
  },
};

function cond(type: string, status: "True" | "False", reason: string, message: string): Condition {
  return { type, status, reason, message };
}

/**
 * Adds timestamps: `lastTransitionTime` kept from the current condition of the same type and status,
 * and (Deployments) `lastUpdateTime` kept when reason and message are unchanged too.
 */
function stampConditions(conditions: Condition[], current: Status | undefined, now: Date, withUpdateTime: boolean): Condition[] {
  const existing = Array.isArray(current?.conditions) ? (current.conditions as Partial<Condition>[]) : [];
  return conditions.map((c) => {
    const old = existing.find((e) => e.type === c.type);
    const sameStatus = old?.status === c.status;
    const unchanged = sameStatus && old?.reason === c.reason && old?.message === c.message;
    const stamped: Condition = { ...c };
    if (withUpdateTime) stamped.lastUpdateTime = (unchanged && timeString(old?.lastUpdateTime)) || rfc3339(now);
    stamped.lastTransitionTime = (sameStatus && timeString(old?.lastTransitionTime)) || rfc3339(now);
    if (!withUpdateTime) stamped.lastProbeTime = (unchanged && timeString(old?.lastProbeTime)) || rfc3339(now);
    return stamped;
  });
}

function jobFinished(status: Status | undefined): boolean {
  const conditions = Array.isArray(status?.conditions) ? (status.conditions as Partial<Condition>[]) : [];
  return conditions.some((c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True");
}

/**
 * Whether two statuses say the same thing as the API would return it: zero, empty and absent are
 * alike (the API omits most zero fields), times compare at second precision.
 */
export function sameStatus(a: Status, b: Status): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (value instanceof Date) return rfc3339(value);
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map(canonical);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = canonical((value as Record<string, unknown>)[key]);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  if (value === 0 || value === "" || value === null) return undefined;
  if (typeof value === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(value)) return value.replace(/\.\d+Z$/, "Z");
  return value;
}

function name(obj: WorkloadObject): string {
  return obj.metadata?.name ?? "";
}

function generation(obj: WorkloadObject): number {
  return obj.metadata?.generation ?? 1;
}

/** Kubernetes time format: RFC 3339 at second precision. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function timeString(value: unknown): string | undefined {
  if (value instanceof Date) return rfc3339(value);
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** A stable 10-character [0-9a-z] hash (FNV-1a), standing in for pod-template hashes. */
function shortHash(input: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < input.length; i++) h = Math.imul(h ^ input.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36).padStart(10, "0").slice(-10);
}
