/**
 * When a user JWT was issued and when it expires, read from its claims (pure; no signature check:
 * the agent only schedules its renewal from them, the server is what enforces them).
 */
export interface JwtTimes {
  /** Unix ms. */
  issuedAt: number;
  /** Unix ms; undefined when the JWT never expires. */
  expiresAt: number | undefined;
}

export function jwtTimes(jwt: string): JwtTimes | undefined {
  const payload = jwt.split(".")[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { iat?: unknown; exp?: unknown };
    if (typeof claims.iat !== "number") return undefined;
    return { issuedAt: claims.iat * 1000, expiresAt: typeof claims.exp === "number" ? claims.exp * 1000 : undefined };
  } catch {
    return undefined;
  }
}

/** Renew at two thirds of the JWT's life: a day's credentials are renewed after 16 h, with 8 h to spare. */
export function renewAt(t: JwtTimes): number | undefined {
  return t.expiresAt === undefined ? undefined : t.issuedAt + ((t.expiresAt - t.issuedAt) * 2) / 3;
}

/** The JWT line of a creds file. */
export function jwtOfCreds(creds: string): string | undefined {
  const m = /-----BEGIN NATS USER JWT-----\s*\n\s*(\S+)\s*\n/.exec(creds);
  return m?.[1];
}
