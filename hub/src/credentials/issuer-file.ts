import { Type, type Static } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { FlotillaError } from "@flotilla/shared";

/**
 * The hub's minting kit (`--nats-issuer FILE`, a Secret in production): the seeds of the account's two
 * scoped signing keys (whatever the hub signs with them, the server confines the user to the template of
 * its role: one cluster's subjects), the operator signing key and system-account credentials, used only
 * to push the account's revocation list to the server. Written by `createBusAuthority`.
 */
export const issuerFileSchema = Type.Object(
  {
    version: Type.Literal(1),
    /** Public key of the account every Flotilla user lives in (`A…`). */
    account: Type.String({ pattern: "^A[A-Z2-7]{55}$" }),
    signingKeys: Type.Object({
      agent: Type.String({ pattern: "^SA[A-Z2-7]{56}$" }),
      bootstrap: Type.String({ pattern: "^SA[A-Z2-7]{56}$" }),
    }),
    /** Seed of an operator signing key (`SO…`): re-signs the account JWT with new revocations. */
    operatorSigningKey: Type.String({ pattern: "^SO[A-Z2-7]{56}$" }),
    /** A creds file of a system-account user, to look up and update the account's claims. */
    systemCreds: Type.String({ minLength: 1 }),
    /** Seed of the hub's curve key (`SX…`) that seals bundles to each agent; absent: one per hub process. */
    sealingKey: Type.Optional(Type.String({ pattern: "^SX[A-Z2-7]{56}$" })),
  },
  { additionalProperties: false },
);
export type IssuerFile = Static<typeof issuerFileSchema>;

export function parseIssuerFile(text: string, source: string): IssuerFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new FlotillaError("Invalid", `${source}: not JSON (${(err as Error).message})`);
  }
  const first = Value.Errors(issuerFileSchema, doc).First();
  // the message names the field, never its value: these are secrets
  if (first) throw new FlotillaError("Invalid", `${source}: ${first.path || "/"} ${first.message}`);
  return doc as IssuerFile;
}
