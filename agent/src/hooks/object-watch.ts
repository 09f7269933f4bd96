import type { Watch } from "@kubernetes/client-node";
import { collectionPath, FlotillaError, kubeErrorMessage, type Clock, type KubeObject, type Logger } from "@flotilla/shared";
import type { RawObjectApi } from "../apply/object-api.js";
import { apiVersionOfRef, type ObjectRef } from "../inventory/ref.js";

export interface ObjectWatchOptions {
  api: Pick<RawObjectApi, "get" | "resourceOf">;
  watch: Pick<Watch, "watch">;
  clock: Clock;
  logger: Logger;
  signal?: AbortSignal;
}

type Ended<T> = { kind: "decided"; value: T } | { kind: "timeout" } | { kind: "ended"; error?: unknown };

/** Wait before reading again after a watch broke with an error (the API server restarting, say). */
const REWATCH_DELAY_MS = 1_000;

/**
 * Waits until `decide` says something about one object (it is given undefined when the object does
 * not exist): reads it, then follows a watch on it alone (field selector on its name) from that
 * read's resourceVersion, so a change is seen within one watch event and nothing is polled. A watch
 * that ends (server timeout, 410 Gone, a broken connection) is followed by a fresh read and watch.
 * Resolves "timeout" at `deadlineAt` (clock time); rejects with the signal's reason once it aborts.
 */
export async function awaitObject<T>(o: ObjectWatchOptions, ref: ObjectRef, decide: (obj: KubeObject | undefined) => T | undefined, deadlineAt: number): Promise<T | "timeout"> {
  const resource = await o.api.resourceOf(apiVersionOfRef(ref), ref.kind);
  // only after the object was applied: its kind is served
  if (!resource) throw new FlotillaError("Retryable", `${apiVersionOfRef(ref)} ${ref.kind} is not served`);
  const path = collectionPath({ group: ref.group, version: ref.version, plural: resource.plural }, resource.namespaced ? ref.namespace : undefined);
  for (;;) {
    o.signal?.throwIfAborted();
    if (o.clock.now() >= deadlineAt) return "timeout";
    let live: KubeObject | undefined;
    try {
      live = await o.api.get(ref);
    } catch (err) {
      // the API server may come back before the deadline; the deadline decides, not one failed read
      o.logger.debug({ err: kubeErrorMessage(err) }, "reading a hook object failed; trying again");
      await o.clock.sleep(Math.min(REWATCH_DELAY_MS, Math.max(0, deadlineAt - o.clock.now())), o.signal);
      continue;
    }
    const now = decide(live);
    if (now !== undefined) return now;
    const rv = typeof live?.metadata.resourceVersion === "string" ? live.metadata.resourceVersion : undefined;
    const r = await watchOnce(o, path, ref.name, rv, decide, deadlineAt);
    if (r.kind === "decided") return r.value;
    if (r.kind === "timeout") return "timeout";
    if (r.error !== undefined) await o.clock.sleep(Math.min(REWATCH_DELAY_MS, Math.max(0, deadlineAt - o.clock.now())), o.signal);
  }
}

function watchOnce<T>(o: ObjectWatchOptions, path: string, name: string, rv: string | undefined, decide: (obj: KubeObject | undefined) => T | undefined, deadlineAt: number): Promise<Ended<T>> {
  return new Promise<Ended<T>>((resolve, reject) => {
    let controller: AbortController | undefined;
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      timer.cancel();
      o.signal?.removeEventListener("abort", onAbort);
      controller?.abort();
      fn();
    };
    const onAbort = () => settle(() => reject(o.signal?.reason));
    const timer = o.clock.setTimer(() => settle(() => resolve({ kind: "timeout" })), Math.max(0, deadlineAt - o.clock.now()));
    o.signal?.addEventListener("abort", onAbort, { once: true });
    // aborted while the object was being read, before this listener was there
    if (o.signal?.aborted) return onAbort();
    const query = { fieldSelector: `metadata.name=${name}`, allowWatchBookmarks: true, ...(rv ? { resourceVersion: rv } : {}) };
    o.watch
      .watch(
        path,
        query,
        (type, obj: KubeObject) => {
          if (type === "BOOKMARK") return;
          // an ERROR event (410 Gone: the resourceVersion is too old) ends this watch; read afresh
          if (type === "ERROR") return settle(() => resolve({ kind: "ended" }));
          const value = decide(type === "DELETED" ? undefined : obj);
          if (value !== undefined) settle(() => resolve({ kind: "decided", value }));
        },
        (error: unknown) => settle(() => resolve({ kind: "ended", ...(error ? { error } : {}) })),
      )
      .then(
        (c) => {
          controller = c;
          if (settled) c.abort();
        },
        (error: unknown) => settle(() => resolve({ kind: "ended", error })),
      );
  });
}
