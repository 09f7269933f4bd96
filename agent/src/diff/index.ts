import type { BusCodec, BusMetrics, Logger } from "@flotilla/shared";
import type { BundleOpener } from "../bus/decode-desired.js";
import { Applier } from "../apply/applier.js";
import type { RawObjectApi } from "../apply/object-api.js";
import type { AddonIdentities } from "../identity/identities.js";
import { DryRunner } from "./dry-run.js";
import { DiffResponder } from "./responder.js";

export { DiffResponder } from "./responder.js";

/** The agent's answer to `flotilla diff`: a responder on its own subject, dry-running on its spoke. */
export function diffResponder(o: { cluster: string; api: RawObjectApi; identity?: AddonIdentities; codec: BusCodec; metrics: BusMetrics; logger: Logger; signal: AbortSignal; open?: () => BundleOpener | undefined }): DiffResponder {
  // Its own Applier, used only to place objects exactly as the real apply does (prepare is read-only).
  const applier = new Applier({ api: o.api, logger: o.logger, signal: o.signal });
  // With addon identities, the dry run applies as the addon, as the real apply does (the agent itself may write no addon kind).
  const identity = o.identity;
  const as = identity ? { apiFor: (addon: string) => identity.api(addon), wouldGrant: identity.wouldGrant.bind(identity) } : {};
  const runner = new DryRunner({ api: o.api, applier, ...as });
  return new DiffResponder({ cluster: o.cluster, codec: o.codec, metrics: o.metrics, logger: o.logger, diff: (b) => runner.diff(b), ...(o.open ? { open: o.open } : {}) });
}
