import type { BusCodec, BusMetrics, Logger } from "@flotilla/shared";
import { Applier } from "../apply/applier.js";
import type { RawObjectApi } from "../apply/object-api.js";
import { DryRunner } from "./dry-run.js";
import { DiffResponder } from "./responder.js";

export { DiffResponder } from "./responder.js";

/** The agent's answer to `flotilla diff`: a responder on its own subject, dry-running on its spoke. */
export function diffResponder(o: { cluster: string; api: RawObjectApi; apiFor?: (addon: string) => RawObjectApi; codec: BusCodec; metrics: BusMetrics; logger: Logger; signal: AbortSignal }): DiffResponder {
  // Its own Applier, used only to place objects exactly as the real apply does (prepare is read-only).
  const runner = new DryRunner({ api: o.api, ...(o.apiFor ? { apiFor: o.apiFor } : {}), applier: new Applier({ api: o.api, logger: o.logger, signal: o.signal }) });
  return new DiffResponder({ cluster: o.cluster, codec: o.codec, metrics: o.metrics, logger: o.logger, diff: (b) => runner.diff(b) });
}
