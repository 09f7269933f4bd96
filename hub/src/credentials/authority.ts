import { createAccount, createCurve, createOperator, createUser, fromSeed, type KeyPair } from "@nats-io/nkeys";
import { encodeAccount, encodeOperator, encodeUser, fmtCreds, newScopedSigner, type Account } from "@nats-io/jwt";
import { BUS_ROLES, type BusRole, type BusRoleName } from "@flotilla/shared";
import type { IssuerFile } from "./issuer-file.js";

/**
 * A bus trust chain made from scratch (what `flotilla nats init` writes, and what the harness and the
 * dev fleet run on): an operator with a signing key, the system account, and the one account all
 * Flotilla users live in, whose JetStream holds the KV buckets. The account has one scoped signing key
 * per role (`agent`, `bootstrap`): a user signed with it gets the role's template with its own name,
 * the cluster, in place of `{{name()}}`, and nothing else.
 */
export interface BusAuthority {
  operatorJwt: string;
  system: { publicKey: string; jwt: string };
  account: { publicKey: string; jwt: string };
  /** The hub's own user: everything in the account (it creates the buckets and writes every key). */
  hubCreds: string;
  issuer: IssuerFile;
}

export interface BusAuthorityOptions {
  /** Most connections in the Flotilla account (agents, hubs, CLIs). Default 20,000. */
  maxConnections?: number;
}

/** The template of a role, with the user's name where the cluster goes. */
export const roleTemplate = (role: BusRoleName): BusRole => BUS_ROLES[role]("{{name()}}");

const UNLIMITED = { subs: -1, data: -1, payload: -1, imports: -1, exports: -1, wildcards: true, leaf: -1 };

export async function createBusAuthority(opts: BusAuthorityOptions = {}): Promise<BusAuthority> {
  const operator = createOperator();
  const operatorSigner = createOperator();
  const system = createAccount();
  const account = createAccount();
  const signers = { agent: createAccount(), bootstrap: createAccount() } satisfies Record<BusRoleName, KeyPair>;

  const operatorJwt = await encodeOperator("flotilla", operator, {
    signing_keys: [operatorSigner.getPublicKey()],
    system_account: system.getPublicKey(),
  });
  const systemJwt = await encodeAccount("SYS", system, { limits: { ...UNLIMITED, conn: -1 } }, { signer: operatorSigner });
  const accountJwt = await encodeAccount("FLOTILLA", account, flotillaAccount(signers, opts), { signer: operatorSigner });
  const sysUser = createUser();
  const systemCreds = credsText(await encodeUser("flotilla-hub-sys", sysUser, system), sysUser);
  const hubUser = createUser();
  const hubCreds = credsText(await encodeUser("flotilla-hub", hubUser, account), hubUser);
  return {
    operatorJwt,
    system: { publicKey: system.getPublicKey(), jwt: systemJwt },
    account: { publicKey: account.getPublicKey(), jwt: accountJwt },
    hubCreds,
    issuer: {
      version: 1,
      account: account.getPublicKey(),
      signingKeys: { agent: seedOf(signers.agent), bootstrap: seedOf(signers.bootstrap) },
      operatorSigningKey: seedOf(operatorSigner),
      systemCreds,
      sealingKey: seedOf(createCurve()),
    },
  };
}

/** The Flotilla account's claims: JetStream on, a connection cap, and a scoped signing key per role. */
export function flotillaAccount(signers: Record<BusRoleName, KeyPair>, opts: BusAuthorityOptions): Partial<Account> {
  const scoped = (Object.keys(signers) as BusRoleName[]).map((role) => {
    const t = roleTemplate(role);
    return newScopedSigner(signers[role], role, {
      pub: t.permissions.pub,
      sub: t.permissions.sub,
      ...(t.permissions.resp ? { resp: t.permissions.resp } : {}),
      subs: t.limits.subs,
      payload: t.limits.payload,
      data: -1,
      // plain client connections only: no websocket, leaf node or MQTT door around the permissions
      allowed_connection_types: ["STANDARD"],
    });
  });
  return {
    signing_keys: scoped,
    limits: {
      ...UNLIMITED,
      conn: opts.maxConnections ?? 20_000,
      mem_storage: -1,
      disk_storage: -1,
      streams: -1,
      consumer: -1,
    },
  };
}

/**
 * The server's side of the chain, to include in nats-server's configuration: trust the operator, and
 * keep account JWTs in a full resolver at `resolverDir`, preloaded with ours, so the hub can push a new
 * revocation list through the system account at run time.
 */
export function serverAuthConfig(a: Pick<BusAuthority, "operatorJwt" | "system" | "account">, resolverDir: string): string {
  return [
    `operator: ${JSON.stringify(a.operatorJwt)}`,
    `system_account: ${JSON.stringify(a.system.publicKey)}`,
    `resolver: { type: full, dir: ${JSON.stringify(resolverDir)}, allow_delete: false, interval: "2m", timeout: "1.9s" }`,
    `resolver_preload: {`,
    `  ${a.system.publicKey}: ${JSON.stringify(a.system.jwt)}`,
    `  ${a.account.publicKey}: ${JSON.stringify(a.account.jwt)}`,
    `}`,
    "",
  ].join("\n");
}

export const credsText = (jwt: string, user: KeyPair): string => new TextDecoder().decode(fmtCreds(jwt, user));
/** A creds file from a JWT and the seed of its user key (as an agent stores them). */
export const credsFromSeed = (jwt: string, seed: string): string => credsText(jwt, fromSeed(new TextEncoder().encode(seed)));
const seedOf = (kp: KeyPair): string => new TextDecoder().decode(kp.getSeed());
