import { createHash } from "node:crypto";

/** `sha256:<hex>` of the bytes: the chart digest recorded in revisions and used as the cache key. */
export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

/**
 * `sha256:<64 hex>` from either form repositories use (helm's index writes bare hex, OCI prefixes the
 * algorithm), lower-cased; undefined when it is neither.
 */
export function normalizeDigest(value: string): string | undefined {
  const m = /^(?:sha256:)?([a-fA-F0-9]{64})$/.exec(value.trim());
  return m?.[1] === undefined ? undefined : `sha256:${m[1].toLowerCase()}`;
}
