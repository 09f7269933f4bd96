import type { Logger } from "pino";
import { ChartCache } from "./cache.js";
import { normalizeDigest } from "./digest.js";
import { ChartSourceError } from "./errors.js";
import { BoundedHttp, type FetchLike } from "./http.js";
import { resolveFromHttpRepo } from "./http-repo.js";
import { resolveFromOci } from "./oci-repo.js";
import { DEFAULT_LIMITS, type ChartLimits, type ChartRef, type ChartSource, type Credentials, type ResolvedChart, type SourceContext } from "./types.js";
import { redactURL, type PlainHTTP } from "./urls.js";

export interface ChartFetcherOptions {
  /** Where verified charts are kept, by digest. */
  cacheDir: string;
  logger: Logger;
  /** Default: Node's global fetch. */
  fetch?: FetchLike;
  /** Deadline of one HTTP exchange, body included. Default 30 s. */
  timeoutMs?: number;
  limits?: Partial<ChartLimits>;
  /**
   * When an oci:// registry is spoken to over plain HTTP: "never" (the default: https only, as helm
   * without `--plain-http`), "loopback" (127.0.0.0/8, ::1 and localhost, where a test or a port-forward
   * runs a registry), or "always".
   */
  plainHTTP?: PlainHTTP;
}

const SOURCES: Record<string, ChartSource> = {
  "http:": resolveFromHttpRepo,
  "https:": resolveFromHttpRepo,
  "oci:": resolveFromOci,
};

/**
 * Resolves a chart reference to one verified archive on disk: the version picked, its digest checked
 * against every digest that was promised, the archive checked to be the chart asked for. Every failure
 * is a ChartSourceError whose `reason` is the condition reason. The caller reads the Secret and passes
 * its `username` and `password`.
 */
export class ChartFetcher {
  private readonly ctx: SourceContext;

  constructor(options: ChartFetcherOptions) {
    this.ctx = {
      http: new BoundedHttp(options.fetch ?? globalThis.fetch, options.timeoutMs ?? 30_000),
      cache: new ChartCache(options.cacheDir),
      limits: { ...DEFAULT_LIMITS, ...options.limits },
      plainHTTP: options.plainHTTP ?? "never",
      logger: options.logger.child({ component: "charts" }),
    };
  }

  /** Path of a cached chart by digest (it may not exist). */
  cachePath(digest: string): string {
    return this.ctx.cache.pathOf(digest);
  }

  async resolve(ref: ChartRef, creds?: Credentials): Promise<ResolvedChart> {
    let scheme: string;
    try {
      scheme = new URL(ref.repoURL).protocol;
    } catch {
      throw new ChartSourceError("InvalidRepository", redactURL(ref.repoURL), `repoURL is not a URL: ${redactURL(ref.repoURL)}`);
    }
    const source = SOURCES[scheme];
    if (source === undefined) throw new ChartSourceError("InvalidRepository", redactURL(ref.repoURL), `repoURL ${redactURL(ref.repoURL)}: expected http://, https:// or oci://`);
    let pinned: string | undefined;
    if (ref.digest !== undefined && ref.digest !== "") {
      pinned = normalizeDigest(ref.digest);
      if (pinned === undefined || !ref.digest.startsWith("sha256:")) {
        throw new ChartSourceError("DigestMismatch", redactURL(ref.repoURL), `spec.source.helm.digest ${ref.digest.slice(0, 80)} is not sha256:<64 hex>`);
      }
    }
    return source(this.ctx, { ...ref, digest: pinned }, creds);
  }
}
