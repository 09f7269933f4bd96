import { FlotillaError, type ErrorCode } from "@flotilla/shared";

/**
 * Why a helm render failed; the reasons double as the MCA `Rendered` condition reason and a metric label.
 * `RenderFailed`: helm ran and refused (schema, template error, kubeVersion constraint) or could not run;
 * `InvalidManifest`: helm's output holds something that is not a Kubernetes object;
 * `RenderTimeout`: helm did not finish within the deadline and was killed;
 * `KubeVersionUnknown`: the cluster's agent has not reported its Kubernetes version yet (helm would
 * silently assume its own), so nothing was rendered; render again once it has.
 */
export const HELM_RENDER_REASONS = ["RenderFailed", "InvalidManifest", "RenderTimeout", "KubeVersionUnknown"] as const;
export type HelmRenderReason = (typeof HELM_RENDER_REASONS)[number];

/**
 * A render that gave no objects. By default a timeout and an unknown version are Retryable and the rest
 * Invalid (the same inputs fail the same way); a helm that could not be started at all is Retryable too
 * (the caller says so).
 */
export class HelmRenderError extends FlotillaError {
  readonly reason: HelmRenderReason;
  constructor(reason: HelmRenderReason, message: string, options?: ErrorOptions & { code?: ErrorCode }) {
    super(options?.code ?? (reason === "RenderTimeout" || reason === "KubeVersionUnknown" ? "Retryable" : "Invalid"), message, options);
    this.reason = reason;
    this.name = "HelmRenderError";
  }
}

/** Helm's stderr as a condition message: blank lines dropped, trimmed, at most `max` characters. */
export function boundedStderr(stderr: string, max = 2000): string {
  const text = stderr
    .split("\n")
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== "")
    .join("\n")
    .trim();
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
