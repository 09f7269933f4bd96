import { FlotillaError, type ErrorCode } from "@flotilla/shared";
import type { ChartRef } from "./types.js";

/** Why a chart could not be resolved; each one is used as the CMA condition reason as it is. */
export const CHART_SOURCE_REASONS = [
  "Unreachable",
  "Unauthorized",
  "Forbidden",
  "VersionNotFound",
  "ChartNotFound",
  "DigestMismatch",
  "NotAChart",
  "InvalidRepository",
  "TooLarge",
] as const;
export type ChartSourceReason = (typeof CHART_SOURCE_REASONS)[number];

// What the work queue does with each: a server down, a version not yet published or credentials not yet
// fixed may come right on their own (backoff); bytes that are not what was asked for will not.
const CODES: Record<ChartSourceReason, ErrorCode> = {
  Unreachable: "Retryable",
  Unauthorized: "Forbidden",
  Forbidden: "Forbidden",
  VersionNotFound: "NotFound",
  ChartNotFound: "NotFound",
  DigestMismatch: "Invalid",
  NotAChart: "Invalid",
  InvalidRepository: "Invalid",
  TooLarge: "Invalid",
};

/**
 * A chart source failed. `reason` is the condition reason; the message names the URL (never credentials)
 * and what was expected.
 */
export class ChartSourceError extends FlotillaError {
  readonly reason: ChartSourceReason;
  /** The URL that failed, without user info. */
  readonly url: string;
  constructor(reason: ChartSourceReason, url: string, message: string, options?: ErrorOptions) {
    super(CODES[reason], message, options);
    this.reason = reason;
    this.url = url;
    this.name = "ChartSourceError";
  }
}

export const isChartSourceError = (err: unknown, reason?: ChartSourceReason): err is ChartSourceError =>
  err instanceof ChartSourceError && (reason === undefined || err.reason === reason);

/** VersionNotFound naming what was asked and a few of the versions there are. */
export function versionNotFound(where: string, ref: ChartRef, offered: readonly string[], why: "InvalidConstraint" | "NoMatch"): ChartSourceError {
  const asked = ref.version === undefined || ref.version.trim() === "" ? "a non-prerelease version" : `version ${JSON.stringify(ref.version)}`;
  const detail = why === "InvalidConstraint" ? "the version is neither a version nor a semver range" : `offered: ${offered.slice(0, 10).join(", ") || "none"}${offered.length > 10 ? ", …" : ""}`;
  return new ChartSourceError("VersionNotFound", where, `${where}: no ${ref.chart} matching ${asked} (${detail})`);
}
