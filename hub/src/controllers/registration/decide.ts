/**
 * What to do with one registration request (pure): renew a joined cluster's credentials, grant a new
 * key with a bootstrap token, keep it waiting for acceptance, or refuse. The responder carries it out.
 * Only holders of a credential for cluster C can publish on C's subject (its bootstrap token or its
 * own credentials), and a JWT is worthless without the seed of the key it names, so renewing the key
 * the hub already granted needs no token, and any other key needs an unused, unexpired one.
 */
import type { ManagedCluster } from "../../api/types.js";
import { tokenState, type BootstrapToken } from "./token.js";

export type DenyReason = "NoIssuer" | "ClusterDeleting" | "NoToken";

export type RegistrationDecision =
  | { outcome: "Denied"; reason: DenyReason; message: string }
  | { outcome: "Pending"; token: string; create?: { labels: Record<string, string> }; message: string }
  | {
      outcome: "Accepted";
      /** Renewal of the key already granted (no token involved). */
      renewal: boolean;
      /** The token spent on it (then marked used and its key revoked). */
      token?: string;
      create?: { labels: Record<string, string> };
      /** Set spec.hubAcceptsClient (an auto-accept token on a cluster not yet accepted). */
      accept: boolean;
      /** Keys granted before to this cluster that the new one replaces. */
      revoke: string[];
    };

export interface RegistrationInput {
  cluster: string;
  publicKey: string;
  mc: ManagedCluster | undefined;
  /** The valid tokens naming this cluster (parsed; invalid ones are reported elsewhere). */
  tokens: readonly BootstrapToken[];
  /** Whether this hub can mint (it was given `--nats-issuer`). */
  canMint: boolean;
  now: number;
}

export function decideRegistration(i: RegistrationInput): RegistrationDecision {
  if (!i.canMint) return { outcome: "Denied", reason: "NoIssuer", message: "the hub runs without --nats-issuer, so it cannot mint credentials: give the agent --nats-creds instead" };
  if (i.mc?.metadata?.deletionTimestamp) return { outcome: "Denied", reason: "ClusterDeleting", message: `ManagedCluster ${i.cluster} is being deleted` };
  const granted = i.mc?.status?.credentials;
  const accepted = i.mc?.spec?.hubAcceptsClient === true;
  if (accepted && granted?.publicKey === i.publicKey && !granted.revokedTime) return { outcome: "Accepted", renewal: true, accept: false, revoke: [] };

  const usable = i.tokens.filter((t) => t.cluster === i.cluster && tokenState(t, i.now) === "Ready").sort((a, b) => b.expiresAt - a.expiresAt);
  const token = usable[0];
  if (!token) {
    return { outcome: "Denied", reason: "NoToken", message: `no unused, unexpired bootstrap token for cluster ${i.cluster}, and the key is not the one this cluster was granted` };
  }
  const create = i.mc ? undefined : { labels: token.labels };
  if (!accepted && !token.autoAccept) {
    return { outcome: "Pending", token: token.name, ...(create ? { create } : {}), message: `waiting for spec.hubAcceptsClient on ManagedCluster ${i.cluster}` };
  }
  const previous = granted && granted.publicKey !== i.publicKey && !granted.revokedTime ? [granted.publicKey] : [];
  return { outcome: "Accepted", renewal: false, token: token.name, ...(create ? { create } : {}), accept: !accepted, revoke: previous };
}
