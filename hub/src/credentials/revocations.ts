/**
 * The account's revocation list (pure). NATS refuses every JWT of a revoked public key issued at or
 * before the revocation time, so an entry is needed only while such a JWT could still be valid: no
 * JWT we mint outlives MAX_CREDENTIALS_TTL_SECONDS, and entries older than that are dropped to keep
 * the account JWT small at fleet scale.
 */
export type RevocationList = Record<string, number>;

/** Longest life of any JWT the hub mints (cluster credentials and bootstrap tokens alike). */
export const MAX_CREDENTIALS_TTL_SECONDS = 30 * 24 * 3600;

export function withRevocations(current: RevocationList | undefined, publicKeys: readonly string[], nowSeconds: number): { list: RevocationList; changed: boolean } {
  const list: RevocationList = {};
  let changed = false;
  for (const [key, at] of Object.entries(current ?? {})) {
    if (at >= nowSeconds - MAX_CREDENTIALS_TTL_SECONDS) list[key] = at;
    else changed = true;
  }
  for (const key of publicKeys) {
    // revoked now: any JWT issued up to this second is refused; one minted later for the same key is not
    if ((list[key] ?? -1) < nowSeconds) {
      list[key] = nowSeconds;
      changed = true;
    }
  }
  return { list, changed };
}
