import { setTimeout as sleep } from "node:timers/promises";
import type { KubeObject } from "@flotilla/shared";
import { CrdNotEstablishedError } from "../errors.js";
import { evaluateObject } from "../health/evaluate.js";
import type { RawObjectApi } from "./object-api.js";

/** Resolves once the CRD is Established; throws when its names are rejected or time runs out. */
export async function waitForCrd(
  api: Pick<RawObjectApi, "get">,
  name: string,
  opts: { version?: string; initial?: KubeObject; timeoutMs?: number; signal?: AbortSignal },
): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  const ref = { group: "apiextensions.k8s.io", version: opts.version ?? "v1", kind: "CustomResourceDefinition", name };
  let live = opts.initial;
  let delay = 50;
  for (;;) {
    const h = live ? evaluateObject(live) : { ready: false, failed: false, message: "not found" };
    if (h.ready) return;
    if (h.failed) throw new CrdNotEstablishedError(name, h.message ?? "failed");
    if (Date.now() > deadline) throw new CrdNotEstablishedError(name, h.message ?? "timed out");
    await sleep(delay, undefined, opts.signal ? { signal: opts.signal } : undefined);
    delay = Math.min(delay * 2, 500);
    live = await api.get(ref);
  }
}
