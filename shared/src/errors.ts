/**
 * Error classes with a code and a cause (STYLE §5). At the edge, unknown errors become one of these
 * through `classifyKubeError`, so callers decide by class, not by string matching.
 */
export type ErrorCode = "NotFound" | "Conflict" | "Gone" | "Invalid" | "Forbidden" | "Retryable" | "Terminal";

export class FlotillaError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = `${code}Error`;
  }
}

export const isCode = (err: unknown, code: ErrorCode): boolean => err instanceof FlotillaError && err.code === code;
export const isNotFound = (err: unknown): boolean => isCode(err, "NotFound") || httpStatusOf(err) === 404;
export const isConflict = (err: unknown): boolean => isCode(err, "Conflict") || httpStatusOf(err) === 409;

/** HTTP status of a client-node ApiException (or a plain `{code|statusCode}`), if any. */
export function httpStatusOf(err: unknown): number | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const e = err as { code?: unknown; statusCode?: unknown };
  if (typeof e.code === "number") return e.code;
  if (typeof e.statusCode === "number") return e.statusCode;
  return undefined;
}

/** The API server's own message from a client-node ApiException body (a metav1.Status), if any. */
export function kubeErrorMessage(err: unknown): string {
  if (typeof err === "object" && err !== null) {
    const body = (err as { body?: unknown }).body;
    let status: unknown = body;
    if (typeof body === "string") {
      try {
        status = JSON.parse(body);
      } catch {
        status = undefined;
      }
    }
    const msg = (status as { message?: unknown } | undefined)?.message;
    if (typeof msg === "string" && msg) return msg;
  }
  return err instanceof Error ? err.message : String(err);
}

/** Kubernetes API error → FlotillaError with a code saying what the caller can do about it. */
export function classifyKubeError(err: unknown): FlotillaError {
  if (err instanceof FlotillaError) return err;
  const status = httpStatusOf(err);
  const message = kubeErrorMessage(err);
  const code: ErrorCode =
    status === 404 ? "NotFound"
    : status === 409 ? "Conflict"
    : status === 410 ? "Gone"
    : status === 400 || status === 422 ? "Invalid"
    : status === 401 || status === 403 ? "Forbidden"
    : "Retryable";
  return new FlotillaError(code, message, { cause: err });
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
