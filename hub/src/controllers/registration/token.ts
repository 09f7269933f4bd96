/**
 * Bootstrap tokens (pure). Like kubeadm's join tokens, they are Secrets of their own type in the hub's
 * namespace, written by the admin (or `kubectl create secret generic … --type flotilla.dev/bootstrap-token`):
 *   cluster      the one cluster it may register (its subject is the only one the token can publish to)
 *   expiration   RFC 3339; default a day after the Secret was made, at most MAX_TOKEN_TTL_SECONDS
 *   auto-accept  "true": the cluster is accepted at once (spec.hubAcceptsClient), else it waits
 *   labels       "k=v,k2=v2": put on the ManagedCluster the registration creates
 * The hub fills in `creds` (the bus credentials to hand to the agent, good for registration alone),
 * `public-key`, and `used-at` once a registration has been granted with it; from then on it is worth
 * nothing (its key is revoked), and expired tokens are deleted.
 */
import type { V1Secret } from "@kubernetes/client-node";
import { DNS1123_LABEL } from "@flotilla/shared";

export const BOOTSTRAP_TOKEN_TYPE = "flotilla.dev/bootstrap-token";
export const DEFAULT_TOKEN_TTL_SECONDS = 24 * 3600;
export const MAX_TOKEN_TTL_SECONDS = 7 * 24 * 3600;

export interface BootstrapToken {
  /** The Secret's name. */
  name: string;
  cluster: string;
  /** Unix ms. */
  expiresAt: number;
  autoAccept: boolean;
  labels: Record<string, string>;
  /** Filled in by the hub. */
  creds?: string;
  publicKey?: string;
  /** Unix ms; set once a registration was granted with it. */
  usedAt?: number;
  /** Unix ms; set once its key is revoked (after use). */
  revokedAt?: number;
}

export type TokenState = "Unminted" | "Ready" | "Used" | "Expired";

export type ParsedToken = { ok: true; token: BootstrapToken } | { ok: false; name: string; error: string };

const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

export function parseBootstrapToken(secret: V1Secret): ParsedToken {
  const name = secret.metadata?.name ?? "";
  const field = (k: string): string | undefined => {
    const v = secret.data?.[k];
    return v === undefined ? undefined : Buffer.from(v, "base64").toString("utf8").trim();
  };
  const fail = (error: string): ParsedToken => ({ ok: false, name, error: `bootstrap token ${name}: ${error}` });
  const cluster = field("cluster");
  if (!cluster) return fail("data.cluster is missing: name the one cluster this token may register");
  if (!new RegExp(DNS1123_LABEL.source).test(cluster) || cluster.length > 63) return fail(`data.cluster ${JSON.stringify(cluster)} is not a DNS-1123 label`);
  const created = timeOf(secret.metadata?.creationTimestamp);
  const rawExpiry = field("expiration");
  const expiresAt = rawExpiry ? Date.parse(rawExpiry) : created + DEFAULT_TOKEN_TTL_SECONDS * 1000;
  if (!Number.isFinite(expiresAt)) return fail(`data.expiration ${JSON.stringify(rawExpiry)} is not an RFC 3339 time`);
  if (Number.isFinite(created) && expiresAt - created > MAX_TOKEN_TTL_SECONDS * 1000) return fail(`data.expiration is more than ${MAX_TOKEN_TTL_SECONDS / 86400} days after the token was made`);
  const accept = field("auto-accept") ?? "false";
  if (accept !== "true" && accept !== "false") return fail(`data.auto-accept must be "true" or "false", not ${JSON.stringify(accept)}`);
  const labels: Record<string, string> = {};
  for (const pair of (field("labels") ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
    const eq = pair.indexOf("=");
    const k = eq < 0 ? pair : pair.slice(0, eq);
    const v = eq < 0 ? "" : pair.slice(eq + 1);
    if (eq < 0 || !LABEL_KEY.test(k) || !LABEL_VALUE.test(v)) return fail(`data.labels: ${JSON.stringify(pair)} is not key=value with a valid label key and value`);
    labels[k] = v;
  }
  const usedAt = field("used-at") ? Date.parse(field("used-at")!) : undefined;
  const revokedAt = field("revoked-at") ? Date.parse(field("revoked-at")!) : undefined;
  const creds = field("creds");
  const publicKey = field("public-key");
  return {
    ok: true,
    token: {
      name,
      cluster,
      expiresAt,
      autoAccept: accept === "true",
      labels,
      ...(creds ? { creds } : {}),
      ...(publicKey ? { publicKey } : {}),
      ...(usedAt !== undefined && Number.isFinite(usedAt) ? { usedAt } : {}),
      ...(revokedAt !== undefined && Number.isFinite(revokedAt) ? { revokedAt } : {}),
    },
  };
}

/** A timestamp as client-node hands it over: a Date once deserialized, a string straight off a watch. */
const timeOf = (v: Date | string | undefined): number => (v instanceof Date ? v.getTime() : v ? Date.parse(v) : NaN);

export function tokenState(t: BootstrapToken, now: number): TokenState {
  if (t.usedAt !== undefined) return "Used";
  if (now >= t.expiresAt) return "Expired";
  return t.creds && t.publicKey ? "Ready" : "Unminted";
}
