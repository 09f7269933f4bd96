import { ADDON_NAME_LABEL, FlotillaError, classifyKubeError, httpStatusOf, kubeErrorMessage } from "@flotilla/shared";
import { describeRef, type ObjectRef } from "./inventory/ref.js";

/**
 * An object the spoke API server would not take. `retryable` says whether trying again unchanged can
 * help (5xx, timeouts, a namespace or kind not there yet) or not (422 Invalid, 403, a 409 conflict): both
 * are reported; the first is retried with backoff, the second at the next resync or revision.
 * `code` is one of the shared ErrorCodes or "NamespaceTerminating", so `classifyError` takes it at its
 * word (a terminating namespace reads as Retryable).
 */
export class ApplyError extends Error {
  readonly retryable: boolean;
  readonly code: string;
  readonly httpStatus: number | undefined;
  /** Refused because someone else owns the object or a field of it (the report says Conflict). */
  readonly ownership: boolean;
  constructor(ref: Pick<ObjectRef, "kind" | "namespace" | "name">, cause: unknown) {
    super(`${describeRef(ref)}: ${kubeErrorMessage(cause)}`, { cause });
    this.name = "ApplyError";
    this.httpStatus = httpStatusOf(cause);
    // Server-side apply answers a body its schema cannot type (unknown field, wrong type) with a 500,
    // though retrying it unchanged can never succeed.
    const untypable = this.httpStatus === 500 && /failed to create typed patch object/.test(this.message);
    // A namespace still being deleted (the addon was removed and added back) refuses new objects
    // with a 403 for a few seconds; that passes.
    const terminating = this.httpStatus === 403 && /because it is being terminated/.test(this.message);
    this.code = untypable ? "Invalid" : terminating ? "NamespaceTerminating" : classifyKubeError(cause).code;
    // A field another manager owns (server-side apply without force) or an object another addon
    // holds: trying again unchanged gives the same answer. Other 409s (a delete racing) pass.
    this.ownership = cause instanceof ClaimedError || (this.httpStatus === 409 && /Apply failed with \d+ conflict/.test(this.message));
    this.retryable = this.code !== "Invalid" && this.code !== "Forbidden" && !this.ownership;
  }
}

/** An object the addon would apply that another addon already holds: the first addon keeps it. */
export class ClaimedError extends FlotillaError {
  constructor(readonly owner: string) {
    super("Conflict", `already managed by addon ${owner} (label ${ADDON_NAME_LABEL}); the first addon keeps it`);
    this.name = "ClaimedError";
  }
}

/** A CRD that did not become Established in time, or whose names were rejected. */
export class CrdNotEstablishedError extends Error {
  constructor(name: string, detail: string) {
    super(`CustomResourceDefinition ${name} not established: ${detail}`);
    this.name = "CrdNotEstablishedError";
  }
}
