import { ChartSourceError } from "./errors.js";
import { redactURL } from "./urls.js";

export type FetchLike = typeof globalThis.fetch;

/** An Authorization header and the one origin it may go to. */
export interface OriginAuth {
  origin: string;
  header: string;
}

export interface GetOptions {
  /** What is fetched, for messages: "index.yaml", "chart", "manifest". */
  what: string;
  maxBytes: number;
  accept?: string;
  auth?: OriginAuth;
}

export interface GetResult {
  status: number;
  headers: Headers;
  /** The body of a 2xx answer; empty otherwise. */
  body: Buffer;
  /** Where the answer came from, after redirects. */
  url: URL;
}

const MAX_REDIRECTS = 5;

/**
 * GETs over Node's fetch with a deadline for the whole exchange and a bound on the body. Redirects are
 * followed here rather than by fetch so the Authorization header is dropped the moment a hop leaves the
 * origin it was meant for (a registry redirecting a blob to object storage, an index entry on a CDN).
 * A network failure or the deadline is Unreachable; a body over the bound is TooLarge.
 */
export class BoundedHttp {
  constructor(
    private readonly fetchImpl: FetchLike,
    private readonly timeoutMs: number,
  ) {}

  async get(start: URL, options: GetOptions): Promise<GetResult> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    let url = start;
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = {};
      if (options.accept !== undefined) headers.accept = options.accept;
      if (options.auth !== undefined && options.auth.origin === url.origin) headers.authorization = options.auth.header;
      const res = await this.send(url, headers, signal, options.what);
      const location = res.headers.get("location");
      if (res.status >= 300 && res.status < 400 && location !== null) {
        await res.body?.cancel();
        if (hop >= MAX_REDIRECTS) throw new ChartSourceError("Unreachable", redactURL(start), `GET ${redactURL(start)} (${options.what}): more than ${MAX_REDIRECTS} redirects`);
        url = new URL(location, url);
        continue;
      }
      if (res.status < 200 || res.status >= 300) {
        await res.body?.cancel();
        return { status: res.status, headers: res.headers, body: Buffer.alloc(0), url };
      }
      const body = await this.readBounded(res, url, options, signal);
      return { status: res.status, headers: res.headers, body, url };
    }
  }

  private async send(url: URL, headers: Record<string, string>, signal: AbortSignal, what: string): Promise<Response> {
    try {
      return await this.fetchImpl(url, { headers, signal, redirect: "manual" });
    } catch (err) {
      throw this.unreachable(url, what, err, signal);
    }
  }

  private async readBounded(res: Response, url: URL, options: GetOptions, signal: AbortSignal): Promise<Buffer> {
    const tooLarge = (): ChartSourceError =>
      new ChartSourceError("TooLarge", redactURL(url), `GET ${redactURL(url)}: the ${options.what} is over ${options.maxBytes} bytes, the most accepted`);
    const declared = Number(res.headers.get("content-length") ?? NaN);
    if (declared > options.maxBytes) {
      await res.body?.cancel();
      throw tooLarge();
    }
    if (res.body === null) return Buffer.alloc(0);
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > options.maxBytes) {
          await reader.cancel();
          throw tooLarge();
        }
        chunks.push(value);
      }
    } catch (err) {
      if (err instanceof ChartSourceError) throw err;
      throw this.unreachable(url, options.what, err, signal);
    }
    return Buffer.concat(chunks);
  }

  private unreachable(url: URL, what: string, err: unknown, signal: AbortSignal): ChartSourceError {
    const why = signal.aborted ? `no answer within ${this.timeoutMs} ms` : describeNetworkError(err);
    return new ChartSourceError("Unreachable", redactURL(url), `GET ${redactURL(url)} (${what}): ${why}`, { cause: err });
  }
}

/** undici hides the socket error in `cause` ("fetch failed" → "connect ECONNREFUSED 127.0.0.1:1"). */
function describeNetworkError(err: unknown): string {
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error && cause.message !== "") return cause.message;
  return err instanceof Error ? err.message : String(err);
}

/** `Basic base64(user:password)`. */
export function basicAuth(creds: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString("base64")}`;
}

/** The reason and message for a non-2xx answer that is not a redirect. */
export function statusError(res: GetResult, what: string, notFound: "ChartNotFound" | "VersionNotFound" | "InvalidRepository"): ChartSourceError {
  const where = redactURL(res.url);
  if (res.status === 401) return new ChartSourceError("Unauthorized", where, `GET ${where} (${what}): 401 Unauthorized; check the credentials in credentialsSecretRef`);
  if (res.status === 403) return new ChartSourceError("Forbidden", where, `GET ${where} (${what}): 403 Forbidden; the credentials may not read it`);
  if (res.status === 404) return new ChartSourceError(notFound, where, `GET ${where} (${what}): 404 Not Found`);
  if (res.status >= 500 || res.status === 429 || res.status === 408) return new ChartSourceError("Unreachable", where, `GET ${where} (${what}): ${res.status}; will retry`);
  return new ChartSourceError("InvalidRepository", where, `GET ${where} (${what}): unexpected status ${res.status}`);
}
