import type { NatsConnection } from "@nats-io/transport-node";
import { fromSeed } from "@nats-io/nkeys";
import { decode, encodeAccount, type Account } from "@nats-io/jwt";
import { FlotillaError, classifyBusError, type Clock, type Logger } from "@flotilla/shared";
import type { IssuerFile } from "./issuer-file.js";
import { withRevocations } from "./revocations.js";

const REQUEST_TIMEOUT_MS = 5_000;

/**
 * Revokes public keys in the Flotilla account: reads the account's current JWT from the server (the
 * resolver holds the truth, so two hubs or a restart lose nothing), adds the keys, re-signs it with the
 * operator signing key and pushes it through the system account. The server then closes every
 * connection of a revoked key at once and refuses its JWTs from then on. Updates run one at a time.
 */
export class AccountRevoker {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly o: {
      issuer: IssuerFile;
      /** A connection as the system account's user (the issuer file's `systemCreds`). */
      system: () => Promise<NatsConnection>;
      logger: Logger;
      clock: Clock;
    },
  ) {}

  /** Resolves once the server has taken the new list (or nothing needed changing). */
  revoke(publicKeys: readonly string[], why: string): Promise<void> {
    const run = this.chain.then(() => this.update(publicKeys, why));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async update(publicKeys: readonly string[], why: string): Promise<void> {
    const nc = await this.o.system();
    const account = this.o.issuer.account;
    try {
      const found = await nc.request(`$SYS.REQ.ACCOUNT.${account}.CLAIMS.LOOKUP`, "", { timeout: REQUEST_TIMEOUT_MS });
      const current = decode<Account>(found.string());
      const now = Math.floor(this.o.clock.now() / 1000);
      const { list, changed } = withRevocations(current.nats.revocations, publicKeys, now);
      if (!changed) return;
      const signer = fromSeed(new TextEncoder().encode(this.o.issuer.operatorSigningKey));
      const jwt = await encodeAccount(current.name, account, { ...current.nats, revocations: list }, { signer });
      const reply = await nc.request("$SYS.REQ.CLAIMS.UPDATE", jwt, { timeout: REQUEST_TIMEOUT_MS });
      const r = reply.json<{ data?: { code?: number; message?: string }; error?: { code?: number; description?: string } }>();
      if (r.data?.code !== 200) throw new FlotillaError("Retryable", `the server refused the account update: ${r.error?.description ?? r.data?.message ?? reply.string()}`);
      this.o.logger.info({ keys: publicKeys.length, revocations: Object.keys(list).length, why }, "revoked bus credentials");
    } catch (err) {
      throw err instanceof FlotillaError ? err : classifyBusError(err);
    }
  }
}
