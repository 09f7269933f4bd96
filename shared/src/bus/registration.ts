/**
 * Registration and credential renewal (DESIGN §5): request/reply on `flotilla.register.<cluster>`. An
 * agent holding only bootstrap credentials, or its own expiring ones, sends the public key of a key pair
 * it made itself; the hub answers with a JWT minted for that key (Accepted), or says why not yet
 * (Pending: waiting for `hubAcceptsClient`) or not at all (Denied). The seed never travels.
 */
import { Type, type Static } from "@sinclair/typebox";
import { DNS1123_LABEL } from "../api/constants.js";
import { PROTOCOL_VERSION } from "./messages.js";

/** Largest registration message either way; anything bigger is refused before it is parsed. */
export const MAX_REGISTRATION_BYTES = 16 * 1024;

const name = Type.String({ pattern: DNS1123_LABEL.source, maxLength: 63 });
const userKey = Type.String({ pattern: "^U[A-Z2-7]{55}$" });

export const registrationRequestSchema = Type.Object(
  {
    version: Type.Literal(PROTOCOL_VERSION),
    kind: Type.Literal("RegistrationRequest"),
    /** Must be the subject's cluster. */
    cluster: name,
    /** The agent's own NATS user public key (U…). */
    publicKey: userKey,
    /** The agent's curve public key (X…): the hub seals this cluster's bundles to it. */
    encryptionKey: Type.Optional(Type.String({ pattern: "^X[A-Z2-7]{55}$" })),
    agentVersion: Type.String({ maxLength: 64 }),
  },
  { additionalProperties: false },
);
export type RegistrationRequest = Static<typeof registrationRequestSchema>;

export const REGISTRATION_OUTCOMES = ["Accepted", "Pending", "Denied"] as const;
export type RegistrationOutcome = (typeof REGISTRATION_OUTCOMES)[number];

export const registrationResponseSchema = Type.Object(
  {
    version: Type.Literal(PROTOCOL_VERSION),
    kind: Type.Literal("RegistrationResponse"),
    cluster: name,
    outcome: Type.Unsafe<RegistrationOutcome>({ type: "string", enum: [...REGISTRATION_OUTCOMES] }),
    /** Accepted: the user JWT for the request's public key. */
    jwt: Type.Optional(Type.String({ maxLength: 8 * 1024 })),
    /** Accepted: when it expires (RFC 3339); the agent asks again well before. */
    expiryTime: Type.Optional(Type.String({ format: "date-time" })),
    /** Pending and Denied: why, for the agent's log. */
    message: Type.Optional(Type.String({ maxLength: 1024 })),
    /** Pending: ask again after this many seconds. */
    retryAfterSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
  },
  { additionalProperties: false },
);
export type RegistrationResponse = Static<typeof registrationResponseSchema>;
