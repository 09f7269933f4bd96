import type { V1Secret } from "@kubernetes/client-node";
import type { Clock, Informer, Logger, ReconcileResult } from "@flotilla/shared";
import type { AccountRevoker } from "../../credentials/account-revoker.js";
import type { CredentialIssuer } from "../../credentials/issuer.js";
import type { EventRecorder } from "../../kube/events.js";
import { parseBootstrapToken, tokenState, type BootstrapToken } from "./token.js";
import type { RegistrationWrites } from "../../credentials/credential-writes.js";

/** Expired tokens are deleted this long after they expire (kubeadm's token cleaner does the same). */
export const TOKEN_CLEANUP_AFTER_MS = 3600_000;

export interface TokenControllerDeps {
  informer: Informer<V1Secret>;
  namespace: string;
  issuer: CredentialIssuer | undefined;
  revoker: AccountRevoker | undefined;
  writes: RegistrationWrites;
  events: EventRecorder;
  logger: Logger;
  clock: Clock;
}

/**
 * Key = token Secret name. Mints the token's bus credentials (good for its cluster's registration
 * subject alone, expiring with the token) into the Secret, makes sure a used token's key is revoked,
 * and deletes tokens an hour after they expire. A token it cannot read gets a Warning Event naming
 * the field.
 */
export class TokenController {
  private readonly warned = new Map<string, string>();

  constructor(private readonly d: TokenControllerDeps) {}

  /** The readable tokens naming `cluster`. */
  tokensOf(cluster: string): BootstrapToken[] {
    const out: BootstrapToken[] = [];
    for (const s of this.d.informer.list(this.d.namespace)) {
      const p = parseBootstrapToken(s);
      if (p.ok && p.token.cluster === cluster) out.push(p.token);
    }
    return out;
  }

  async reconcile(name: string): Promise<ReconcileResult | void> {
    const secret = this.d.informer.get(name, this.d.namespace);
    if (!secret) return;
    const p = parseBootstrapToken(secret);
    if (!p.ok) return this.warn(secret, p.error);
    const t = p.token;
    const now = this.d.clock.now();
    if (now >= t.expiresAt + TOKEN_CLEANUP_AFTER_MS) {
      await this.d.writes.deleteToken(this.d.namespace, name);
      this.d.logger.info({ tokenSecret: name, cluster: t.cluster }, "deleted an expired bootstrap token");
      return;
    }
    const state = tokenState(t, now);
    if (state === "Unminted" && this.d.issuer) {
      const ttlSeconds = Math.ceil((t.expiresAt - now) / 1000);
      const minted = await this.d.issuer.mintCreds("bootstrap", t.cluster, { ttlSeconds, nowSeconds: Math.floor(now / 1000) });
      // Only onto the version read: a second pass on a stale cache gets a Conflict, not a second key.
      await this.d.writes.patchToken(this.d.namespace, name, { creds: minted.creds, "public-key": minted.publicKey }, secret.metadata?.resourceVersion);
      this.d.logger.info({ tokenSecret: name, cluster: t.cluster, expiryTime: new Date(t.expiresAt).toISOString() }, "minted bootstrap credentials");
    } else if (state === "Used" && t.publicKey && t.revokedAt === undefined && this.d.revoker) {
      await this.d.revoker.revoke([t.publicKey], `bootstrap token ${name} was used`);
      await this.d.writes.patchToken(this.d.namespace, name, { "revoked-at": new Date(now).toISOString() });
    }
    return { requeueAfterMs: Math.max(1_000, t.expiresAt + TOKEN_CLEANUP_AFTER_MS - now) };
  }

  private warn(secret: V1Secret, error: string): void {
    const key = secret.metadata?.name ?? "";
    if (this.warned.get(key) === secret.metadata?.resourceVersion) return;
    this.warned.set(key, secret.metadata?.resourceVersion ?? "");
    this.d.logger.warn({ tokenSecret: key }, error);
    this.d.events.emit({ ...secret, apiVersion: "v1", kind: "Secret" }, "Warning", "InvalidBootstrapToken", error);
  }
}
