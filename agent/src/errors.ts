import { classifyKubeError, httpStatusOf, kubeErrorMessage } from "@flotilla/shared";
import { describeRef, type ObjectRef } from "./inventory/ref.js";

/**
 * An object the spoke API server would not take. `retryable` says whether trying again unchanged can
 * help (5xx, timeouts, a conflict, a namespace or kind not there yet) or not (422 Invalid, 403): both
 * are reported; the first is retried with backoff, the second at the next resync or revision.
 * `code` is one of the shared ErrorCodes or "NamespaceTerminating", so `classifyError` takes it at its
 * word (a terminating namespace reads as Retryable).
 */
export class ApplyError extends Error {
  readonly retryable: boolean;
  readonly code: string;
  readonly httpStatus: number | undefined;
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
    this.retryable = this.code !== "Invalid" && this.code !== "Forbidden";
  }
}

/** A CRD that did not become Established in time, or whose names were rejected. */
export class CrdNotEstablishedError extends Error {
  constructor(name: string, detail: string) {
    super(`CustomResourceDefinition ${name} not established: ${detail}`);
    this.name = "CrdNotEstablishedError";
  }
}
