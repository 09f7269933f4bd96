import { timingSafeEqual } from "node:crypto";

/** Where the dashboard is served and the token its page carries. */
export interface Served {
  /** `Host` values that name this server, e.g. `127.0.0.1:8080` (and `localhost:8080`). */
  hosts: readonly string[];
  /** Origins of its own pages, e.g. `http://127.0.0.1:8080`. */
  origins: readonly string[];
  token: string;
}

export interface RequestFacts {
  method: string;
  host?: string | undefined;
  origin?: string | undefined;
  /** The `X-Flotilla-Token` header. */
  token?: string | undefined;
}

export type Verdict = { ok: true } | { ok: false; status: 403 | 405 | 421; reason: string };

/** Header that carries the per-run token on writes. A custom header also makes a cross-site fetch need a preflight, which is never answered. */
export const TOKEN_HEADER = "x-flotilla-token";

const sameSecret = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Whether a request may go on. The server listens on loopback with the user's credentials, so:
 * every request must name this server in `Host` (a DNS-rebinding page names its own host); a write
 * (POST) must also come from this server's own page (`Origin`) and carry the token that page was
 * served with. Pure.
 */
export function guardRequest(r: RequestFacts, served: Served): Verdict {
  if (!r.host || !served.hosts.includes(r.host)) return { ok: false, status: 421, reason: `this server answers only to ${served.hosts.join(" or ")}` };
  if (r.method === "GET" || r.method === "HEAD") return { ok: true };
  if (r.method !== "POST") return { ok: false, status: 405, reason: `method ${r.method} not allowed` };
  if (!r.origin || !served.origins.includes(r.origin)) return { ok: false, status: 403, reason: "cross-site request refused: Origin is not this dashboard" };
  if (!r.token || !sameSecret(r.token, served.token)) return { ok: false, status: 403, reason: "request refused: missing or wrong dashboard token (reload the page)" };
  return { ok: true };
}

/** The hosts and origins a server bound to `address:port` answers as. */
export function servedAs(address: string, port: number, token: string): Served {
  const names = address === "127.0.0.1" || address === "::1" ? [address === "::1" ? "[::1]" : address, "localhost"] : [address];
  return { hosts: names.map((n) => `${n}:${port}`), origins: names.map((n) => `http://${n}:${port}`), token };
}
