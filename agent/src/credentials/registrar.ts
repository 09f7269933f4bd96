import type { NatsConnection } from "@nats-io/transport-node";
import {
  PROTOCOL_VERSION,
  errorMessage,
  registerSubject,
  type BusCodec,
  type Clock,
  type Logger,
  type RegistrationResponse,
} from "@flotilla/shared";

const REQUEST_TIMEOUT_MS = 10_000;
/** No hub answered (none running, or none leading yet): ask again after this long. */
const NO_ANSWER_RETRY_MS = 5_000;
/** Refused: the admin may still make a token; ask again, less often. */
const DENIED_RETRY_MS = 30_000;

export interface RegistrarOptions {
  cluster: string;
  agentVersion: string;
  codec: BusCodec;
  logger: Logger;
  clock: Clock;
  signal: AbortSignal;
}

/**
 * Asks the hub for credentials for `publicKey` over `nc` (bootstrap credentials when joining, the
 * agent's own when renewing) until it gets them: Pending and no-answer are waited out, Denied is
 * logged and asked again later. Rejects only when `signal` aborts.
 */
export async function requestCredentials(nc: NatsConnection, keys: { publicKey: string; encryptionKey: string }, o: RegistrarOptions): Promise<{ jwt: string; expiryTime: string | undefined }> {
  const request = o.codec.encode({ version: PROTOCOL_VERSION, kind: "RegistrationRequest", cluster: o.cluster, publicKey: keys.publicKey, encryptionKey: keys.encryptionKey, agentVersion: o.agentVersion });
  let lastOutcome: string | undefined;
  for (;;) {
    o.signal.throwIfAborted();
    const answer = await ask(nc, request, o);
    if (answer.kind === "accepted") return { jwt: answer.jwt, expiryTime: answer.expiryTime };
    // Each change of answer is logged once, not every retry.
    if (answer.text !== lastOutcome) {
      if (answer.kind === "denied") o.logger.error({ reason: answer.text }, "the hub refused this cluster's registration; asking again later");
      else o.logger.info({ reason: answer.text }, "registration not granted yet; asking again");
      lastOutcome = answer.text;
    }
    await o.clock.sleep(answer.retryMs, o.signal);
  }
}

type Answer = { kind: "accepted"; jwt: string; expiryTime: string | undefined } | { kind: "wait" | "denied"; text: string; retryMs: number };

async function ask(nc: NatsConnection, request: Uint8Array, o: RegistrarOptions): Promise<Answer> {
  let data: Uint8Array;
  try {
    data = (await nc.request(registerSubject(o.cluster), request, { timeout: REQUEST_TIMEOUT_MS })).data;
  } catch (err) {
    return { kind: "wait", text: `no answer from the hub (${errorMessage(err)})`, retryMs: NO_ANSWER_RETRY_MS };
  }
  const r = o.codec.decode(data, "RegistrationResponse");
  if (!r.ok) return { kind: "wait", text: `unreadable answer (${r.error})`, retryMs: NO_ANSWER_RETRY_MS };
  const res: RegistrationResponse = r.value;
  if (res.outcome === "Accepted" && res.jwt) return { kind: "accepted", jwt: res.jwt, expiryTime: res.expiryTime };
  if (res.outcome === "Denied") return { kind: "denied", text: res.message ?? "denied", retryMs: DENIED_RETRY_MS };
  return { kind: "wait", text: res.message ?? res.outcome, retryMs: (res.retryAfterSeconds ?? 5) * 1000 };
}
