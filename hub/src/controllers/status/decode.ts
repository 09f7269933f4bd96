import { DECODE_REASONS, parseStatusKey, type AddonReport, type AgentInfo, type BusCodec } from "@flotilla/shared";

/** Why a status entry is dropped: the labels it is counted under in `flotilla_bus_messages_invalid_total`. */
export const STATUS_DROP_REASONS = [...DECODE_REASONS, "Foreign", "HandlerError"] as const;
export type StatusDropReason = (typeof STATUS_DROP_REASONS)[number];

/** One `flotilla_status` entry, read: a report, agent info, or the removal of either. */
export type StatusEntry =
  | { kind: "AddonReport"; cluster: string; addon: string; report: AddonReport }
  | { kind: "AgentInfo"; cluster: string; info: AgentInfo }
  | { kind: "Deleted"; cluster: string; addon?: string };
export type StatusDecoded = { ok: true; entry: StatusEntry } | { ok: false; reason: StatusDropReason; error?: string };

/**
 * A `flotilla_status` KV entry → what it says, or why it is dropped (pure; never throws). The key
 * decides the kind and the document must name the same cluster (and addon) as its key, so an agent
 * that may write only its own keys cannot speak for another cluster.
 */
export function decodeStatusEntry(codec: BusCodec, key: string, operation: string, value: Uint8Array): StatusDecoded {
  const parsed = parseStatusKey(key);
  if (!parsed) return { ok: false, reason: "Foreign" };
  const { cluster, addon } = parsed;
  if (operation !== "PUT") return { ok: true, entry: { kind: "Deleted", cluster, ...(addon ? { addon } : {}) } };
  if (addon) {
    const r = codec.decode(value, "AddonReport");
    if (!r.ok) return { ok: false, reason: r.reason, ...(r.reason === "Invalid" ? { error: r.error } : {}) };
    if (r.value.cluster !== cluster || r.value.addon !== addon) return { ok: false, reason: "Foreign" };
    return { ok: true, entry: { kind: "AddonReport", cluster, addon, report: r.value } };
  }
  const r = codec.decode(value, "AgentInfo");
  if (!r.ok) return { ok: false, reason: r.reason, ...(r.reason === "Invalid" ? { error: r.error } : {}) };
  if (r.value.cluster !== cluster) return { ok: false, reason: "Foreign" };
  return { ok: true, entry: { kind: "AgentInfo", cluster, info: r.value } };
}
