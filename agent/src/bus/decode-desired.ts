import type { BusCodec, DecodeReason, DesiredBundle, DesiredBundleParts, DesiredIndex, DesiredIndexEntry } from "@flotilla/shared";
import { DECODE_REASONS, MAX_MESSAGE_BYTES } from "@flotilla/shared";
import { digestMatches } from "./digest.js";

/**
 * Why a desired document was dropped beyond what the codec says (it came whole, but not for us, or
 * sealed to another key).
 */
export const DESIRED_REASONS = ["Foreign", "DigestMismatch", "RevisionMismatch", "MissingPart", "Sealed"] as const;
/** Every reason a desired document is dropped: the labels of `flotilla_bus_messages_invalid_total`. */
export const INVALID_REASONS: readonly InvalidReason[] = [...DECODE_REASONS, ...DESIRED_REASONS];
export type InvalidReason = DecodeReason | (typeof DESIRED_REASONS)[number];

/** Opens a bundle's sealed objects (the agent's curve key); see AgentCredentials.open. */
export type BundleOpener = (bundle: DesiredBundle) => { ok: true; objects: unknown } | { ok: false; error: string };

export interface Invalid {
  ok: false;
  reason: InvalidReason;
  error: string;
}
export type Decoded<T> = { ok: true; value: T } | Invalid;

/** Validates the index document of `cluster`. */
export function decodeIndex(codec: BusCodec, data: Uint8Array, cluster: string): Decoded<DesiredIndex> {
  const r = codec.decode(data, "DesiredIndex");
  if (!r.ok) return r;
  if (r.value.cluster !== cluster) return { ok: false, reason: "Foreign", error: `index is for cluster ${JSON.stringify(r.value.cluster)}` };
  return r;
}

export interface BundleExpectation {
  cluster: string;
  addon: string;
  entry: DesiredIndexEntry;
}

/** The bundle key holds either a bundle or the head of a split one. */
export function decodeBundleKey(codec: BusCodec, data: Uint8Array, want: BundleExpectation): Decoded<DesiredBundle | DesiredBundleParts> {
  const r = codec.decode(data, "DesiredBundle", "DesiredBundleParts");
  if (!r.ok) return r;
  const v = r.value;
  if (v.cluster !== want.cluster || v.addon !== want.addon) {
    return { ok: false, reason: "Foreign", error: `bundle is for ${JSON.stringify(`${v.cluster}.${v.addon}`)}` };
  }
  if (v.revision !== want.entry.revision) {
    return { ok: false, reason: "RevisionMismatch", error: `bundle has revision ${v.revision}, index wants ${want.entry.revision}` };
  }
  if (v.kind === "DesiredBundle" && !digestMatches(data, want.entry.digest)) {
    return { ok: false, reason: "DigestMismatch", error: "bundle digest differs from the index" };
  }
  if (v.kind === "DesiredBundleParts" && v.digest !== want.entry.digest) {
    return { ok: false, reason: "DigestMismatch", error: "parts head digest differs from the index" };
  }
  return r;
}

/** Reassembled bytes of a split bundle → the bundle, checked against its head. */
export function decodeAssembled(codec: BusCodec, data: Uint8Array, head: DesiredBundleParts): Decoded<DesiredBundle> {
  if (!digestMatches(data, head.digest)) return { ok: false, reason: "DigestMismatch", error: "reassembled bundle digest differs from its head" };
  // A split bundle may exceed one message; the per-part limit already bounded each piece.
  const r = codec.decodeWithin(head.parts * MAX_MESSAGE_BYTES, data, "DesiredBundle");
  if (!r.ok) return r;
  const v = r.value;
  if (v.cluster !== head.cluster || v.addon !== head.addon) return { ok: false, reason: "Foreign", error: `bundle is for ${JSON.stringify(`${v.cluster}.${v.addon}`)}` };
  if (v.revision !== head.revision) return { ok: false, reason: "RevisionMismatch", error: `bundle has revision ${v.revision}, head says ${head.revision}` };
  return r;
}

/**
 * A sealed bundle with its objects opened and checked like any bundle's; an unsealed one as it is.
 * Without an opener (credentials given, not registered) a sealed bundle cannot be read.
 */
export function unsealBundle(codec: BusCodec, bundle: DesiredBundle, open: BundleOpener | undefined): Decoded<DesiredBundle> {
  if (!bundle.sealed) return { ok: true, value: bundle };
  if (!open) return { ok: false, reason: "Sealed", error: "the bundle is sealed, and this agent has no encryption key (it did not register)" };
  const opened = open(bundle);
  if (!opened.ok) return { ok: false, reason: "Sealed", error: opened.error };
  const { sealed: _sealed, ...rest } = bundle;
  // bounded already: the box came within the limits of the key (or of its parts)
  const bytes = codec.encode({ ...rest, objects: opened.objects as DesiredBundle["objects"] });
  return codec.decodeWithin(Math.max(MAX_MESSAGE_BYTES, bytes.byteLength), bytes, "DesiredBundle");
}
