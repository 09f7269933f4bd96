import { sha256Hex } from "@flotilla/shared";

/**
 * The index and parts head carry `sha256` of the serialized bundle bytes (exactly what the bundle
 * key, or the concatenation of its parts, holds); written as hex, optionally prefixed `sha256:`.
 */
export function digestMatches(data: Uint8Array, digest: string): boolean {
  const want = digest.startsWith("sha256:") ? digest.slice("sha256:".length) : digest;
  return sha256Hex(data) === want.toLowerCase();
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
