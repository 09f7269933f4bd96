/**
 * Leader election on a coordination.k8s.io Lease, decided by a pure function (client-go semantics).
 * Expiry is judged by when *this* process first saw the current record, not by the holder's
 * renewTime, so clock skew between replicas does not matter.
 */
export interface LeaseRecord {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export interface Observation {
  record: LeaseRecord;
  /** Local time (ms) when this exact record was first seen. */
  observedAt: number;
}

export type LeaseDecision =
  | { action: "create"; record: LeaseRecord }
  | { action: "update"; record: LeaseRecord; acquired: boolean }
  | { action: "wait"; holder: string; expiresAt: number };

export interface DecideInput {
  /** Undefined when the Lease does not exist. */
  observed: Observation | undefined;
  identity: string;
  now: number;
  leaseDurationSeconds: number;
}

/** The lease times as the API wants them (MicroTime: RFC 3339 with microseconds). */
export const microTime = (ms: number): string => new Date(ms).toISOString().replace(/Z$/, "000Z");

export function decideLease(input: DecideInput): LeaseDecision {
  const { observed, identity, now, leaseDurationSeconds } = input;
  const stamp = microTime(now);
  if (!observed) {
    return {
      action: "create",
      record: { holderIdentity: identity, leaseDurationSeconds, acquireTime: stamp, renewTime: stamp, leaseTransitions: 0 },
    };
  }
  const rec = observed.record;
  const holder = rec.holderIdentity ?? "";
  if (holder === identity) {
    return { action: "update", acquired: false, record: { ...rec, leaseDurationSeconds, renewTime: stamp } };
  }
  const expiresAt = observed.observedAt + (rec.leaseDurationSeconds ?? leaseDurationSeconds) * 1000;
  if (holder === "" || now >= expiresAt) {
    return {
      action: "update",
      acquired: true,
      record: { holderIdentity: identity, leaseDurationSeconds, acquireTime: stamp, renewTime: stamp, leaseTransitions: (rec.leaseTransitions ?? 0) + 1 },
    };
  }
  return { action: "wait", holder, expiresAt };
}

/** Keeps the first-seen time while the record is unchanged (same resourceVersion). */
export function observe(prev: (Observation & { version: string }) | undefined, record: LeaseRecord, version: string, now: number): Observation & { version: string } {
  if (prev && prev.version === version) return prev;
  return { record, observedAt: now, version };
}

/** The record a leader writes on a clean shutdown so a standby takes over at its next try. */
export function releasedRecord(rec: LeaseRecord, now: number): LeaseRecord {
  const stamp = microTime(now);
  return { ...rec, holderIdentity: "", leaseDurationSeconds: 1, acquireTime: stamp, renewTime: stamp };
}
