/**
 * Error classes with a code and a cause (STYLE §5). At the edge, unknown errors become one of these
 * through `classifyKubeError` (Kubernetes), `classifyBusError` (NATS) or `classifyError` (anything),
 * so callers decide by code, not by string matching. The work queue acts on the code: Terminal and
 * Invalid are not retried, Conflict is requeued at once, everything else backs off.
 */
export const ERROR_CODES = ["NotFound", "Conflict", "Gone", "Invalid", "Forbidden", "Retryable", "Terminal"] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
export const isErrorCode = (v: unknown): v is ErrorCode => typeof v === "string" && (ERROR_CODES as readonly string[]).includes(v);

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

/**
 * Any error as a FlotillaError: ours as they are; an error that names one of our codes in `code`
 * (such as the agent's ApplyError) at its word; a Kubernetes API error by its status; anything else
 * (network, timeouts, bugs) Retryable, because a failure is retried, never guessed about.
 */
export function classifyError(err: unknown): FlotillaError {
  if (err instanceof FlotillaError) return err;
  const code = typeof err === "object" && err !== null ? (err as { code?: unknown }).code : undefined;
  if (isErrorCode(code)) return new FlotillaError(code, errorMessage(err), { cause: err });
  if (httpStatusOf(err) !== undefined) return classifyKubeError(err);
  return new FlotillaError("Retryable", errorMessage(err), { cause: err });
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
