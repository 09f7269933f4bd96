import { Backoff, systemClock, type BackoffPolicy, type Clock, type KubeObject } from "@flotilla/shared";
import { CrdNotEstablishedError } from "../errors.js";
import { evaluateObject } from "../health/evaluate.js";
import type { RawObjectApi } from "./object-api.js";

/** Polling a CRD that is being established: it usually takes well under a second. */
export const CRD_POLL_BACKOFF: BackoffPolicy = { baseMs: 50, maxMs: 500, factor: 2, jitter: 0.2 };

export interface CrdWaitOptions {
  version?: string;
  initial?: KubeObject;
  timeoutMs?: number;
  signal?: AbortSignal;
  clock?: Clock;
  backoff?: BackoffPolicy;
}

/** Resolves once the CRD is Established; throws when its names are rejected or time runs out. */
export async function waitForCrd(api: Pick<RawObjectApi, "get">, name: string, opts: CrdWaitOptions = {}): Promise<void> {
  const clock = opts.clock ?? systemClock;
  const deadline = clock.now() + (opts.timeoutMs ?? 30_000);
  const ref = { group: "apiextensions.k8s.io", version: opts.version ?? "v1", kind: "CustomResourceDefinition", name };
  const backoff = new Backoff(opts.backoff ?? CRD_POLL_BACKOFF);
  let live = opts.initial;
  for (;;) {
    const h = live ? evaluateObject(live) : { ready: false, failed: false, message: "not found" };
    if (h.ready) return;
    if (h.failed) throw new CrdNotEstablishedError(name, h.message ?? "failed");
    if (clock.now() > deadline) throw new CrdNotEstablishedError(name, h.message ?? "timed out");
    await clock.sleep(backoff.next(), opts.signal);
    live = await api.get(ref);
  }
}
