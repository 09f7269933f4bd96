import { readFile } from "node:fs/promises";
import type { NatsConnection } from "@nats-io/transport-node";
import { connectBus, drainWithin, type Clock, type Logger } from "@flotilla/shared";
import { AccountRevoker } from "./account-revoker.js";
import { CredentialIssuer } from "./issuer.js";
import { parseIssuerFile } from "./issuer-file.js";
import { BundleSealer } from "./seal.js";

/** The hub's minting and revoking, from its `--nats-issuer` file; one per hub process. */
export interface BusCredentials {
  issuer: CredentialIssuer;
  revoker: AccountRevoker;
  /** Seals bundles to the encryption key each agent registered. */
  sealer: BundleSealer;
  close(): Promise<void>;
}

export async function loadBusCredentials(o: { file: string; natsUrl: string; logger: Logger; clock: Clock }): Promise<BusCredentials> {
  const kit = parseIssuerFile(await readFile(o.file, "utf8"), o.file);
  const logger = o.logger.child({ component: "credentials" });
  let system: Promise<NatsConnection> | undefined;
  const abort = new AbortController();
  // The system account's connection is opened on the first revocation, and kept.
  const connectSystem = () =>
    (system ??= connectBus({ url: o.natsUrl, creds: kit.systemCreds, name: "flotilla-hub-system", logger, signal: abort.signal, clock: o.clock }));
  return {
    issuer: new CredentialIssuer(kit),
    revoker: new AccountRevoker({ issuer: kit, system: connectSystem, logger, clock: o.clock }),
    sealer: new BundleSealer(kit.sealingKey),
    close: async () => {
      abort.abort();
      const nc = await system?.catch(() => undefined);
      if (nc) await drainWithin(nc, logger);
    },
  };
}
