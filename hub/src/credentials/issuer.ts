import { createUser, fromSeed, type KeyPair } from "@nats-io/nkeys";
import { encodeUser } from "@nats-io/jwt";
import { DNS1123_LABEL, FlotillaError, type BusRoleName } from "@flotilla/shared";
import { credsText } from "./authority.js";
import type { IssuerFile } from "./issuer-file.js";

export interface MintedUser {
  jwt: string;
  /** Unix seconds after which the server refuses (and disconnects) this user. */
  expiresAt: number;
}

/**
 * Mints bus users for one cluster with the account's scoped signing keys: the JWT names the cluster and
 * carries no permissions of its own, so the server applies the role's template to exactly that cluster.
 * The user's key pair is the agent's own (it sends only the public key); the hub never holds its seed.
 */
export class CredentialIssuer {
  private readonly signers: Record<BusRoleName, KeyPair>;

  constructor(private readonly file: IssuerFile) {
    const enc = new TextEncoder();
    this.signers = { agent: fromSeed(enc.encode(file.signingKeys.agent)), bootstrap: fromSeed(enc.encode(file.signingKeys.bootstrap)) };
  }

  get account(): string {
    return this.file.account;
  }

  async mint(role: BusRoleName, cluster: string, userPublicKey: string, o: { ttlSeconds: number; nowSeconds: number }): Promise<MintedUser> {
    if (!new RegExp(DNS1123_LABEL.source).test(cluster) || cluster.length > 63) throw new FlotillaError("Invalid", `cluster name ${JSON.stringify(cluster)} is not a DNS-1123 label`);
    if (!/^U[A-Z2-7]{55}$/.test(userPublicKey)) throw new FlotillaError("Invalid", "the public key is not a NATS user key (U…)");
    const expiresAt = o.nowSeconds + o.ttlSeconds;
    const jwt = await encodeUser(cluster, userPublicKey, this.signers[role], { issuer_account: this.file.account }, { scopedUser: true, exp: expiresAt });
    return { jwt, expiresAt };
  }

  /**
   * A whole creds file (JWT and a new user seed) for `role` on `cluster`: for bootstrap tokens, which
   * are bearer secrets handed to the cluster's owner, and for fleets whose agents are given their
   * credentials rather than registering.
   */
  async mintCreds(role: BusRoleName, cluster: string, o: { ttlSeconds: number; nowSeconds: number }): Promise<MintedUser & { creds: string; publicKey: string }> {
    const user = createUser();
    const minted = await this.mint(role, cluster, user.getPublicKey(), o);
    return { ...minted, creds: credsText(minted.jwt, user), publicKey: user.getPublicKey() };
  }
}
