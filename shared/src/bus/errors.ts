import { JetStreamApiCodes, JetStreamApiError } from "@nats-io/jetstream";
import { AuthorizationError, PermissionViolationError } from "@nats-io/transport-node";
import { errorMessage, FlotillaError } from "../errors.js";

/**
 * A compare-and-set write that lost: the key's last revision is not the one the writer expected
 * (JetStream 10071 "wrong last sequence", or 10164 when the expected one is unknown to the stream).
 * Told apart by the server's error code: a timeout or a lost connection is not a conflict.
 */
export function isWrongLastSequence(err: unknown): boolean {
  return (
    err instanceof JetStreamApiError &&
    (err.code === JetStreamApiCodes.StreamWrongLastSequence || err.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}

/**
 * A bus error as a FlotillaError: a lost compare-and-set is Conflict, a refused permission Forbidden,
 * everything else (timeouts, disconnects, no responders, server errors) Retryable.
 */
export function classifyBusError(err: unknown): FlotillaError {
  if (err instanceof FlotillaError) return err;
  const code = isWrongLastSequence(err) ? "Conflict" : err instanceof PermissionViolationError || err instanceof AuthorizationError ? "Forbidden" : "Retryable";
  return new FlotillaError(code, errorMessage(err), { cause: err });
}
