import type { Logger } from "pino";
import type { ChartCache } from "./cache.js";
import type { BoundedHttp } from "./http.js";
import type { PlainHTTP } from "./urls.js";

/** A chart as a ClusterManagementAddOn names it (`spec.source.helm`). */
export interface ChartRef {
  /** `https://…` chart repository or `oci://host[:port]/path` registry path. */
  repoURL: string;
  chart: string;
  /** Exact version or semver range; empty: the latest non-prerelease. */
  version?: string;
  /** `sha256:<hex>` the chart must have. */
  digest?: string;
}

/** The keys `username` and `password` of the Secret `credentialsSecretRef` names (as Flux reads them). */
export interface Credentials {
  username: string;
  password: string;
}

export interface ResolvedChart {
  /** The exact version picked. */
  version: string;
  /** `sha256:<hex>` of the chart archive: what an AddOnRevision records. */
  digest: string;
  /** Where it came from: the archive URL, or `oci://host/repo:tag`; no credentials. */
  url: string;
  /** The verified archive in the cache. */
  path: string;
  /** True when no chart bytes were downloaded (the digest was known and cached). */
  fromCache: boolean;
}

export interface ChartLimits {
  /** A chart archive larger than this is refused (TooLarge). */
  maxChartBytes: number;
  /** A repository index larger than this is refused (TooLarge). */
  maxIndexBytes: number;
  /** OCI manifests, tag lists and token answers larger than this are refused. */
  maxManifestBytes: number;
}

export const DEFAULT_LIMITS: ChartLimits = {
  maxChartBytes: 20 * 1024 * 1024,
  maxIndexBytes: 20 * 1024 * 1024,
  // distribution refuses manifests over 4 MiB itself
  maxManifestBytes: 4 * 1024 * 1024,
};

/** What a source (HTTP repository, OCI registry) works with. */
export interface SourceContext {
  http: BoundedHttp;
  cache: ChartCache;
  limits: ChartLimits;
  plainHTTP: PlainHTTP;
  logger: Logger;
}

/** One kind of chart source, chosen by the repoURL's scheme. */
export type ChartSource = (ctx: SourceContext, ref: ChartRef, creds: Credentials | undefined) => Promise<ResolvedChart>;
