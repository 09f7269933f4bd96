import { parseChallenge, pullScope, type Challenge } from "./challenge.js";
import { ChartSourceError } from "./errors.js";
import { basicAuth, statusError, type BoundedHttp, type GetOptions, type GetResult } from "./http.js";
import { isPlainObject } from "../render/values.js";
import type { Credentials } from "./types.js";
import { redactURL, type OciLocation } from "./urls.js";

/**
 * GETs against one OCI repository, answering the registry's challenge once: `Bearer` → a token from the
 * realm (with the basic credentials when there are any, as docker and helm send them) → retry with it;
 * `Basic` → retry with the credentials. The header is kept for the following requests of this resolve,
 * and only ever sent to the registry's origin (the realm gets the credentials, never the token).
 */
export class OciSession {
  private authHeader: string | undefined;

  constructor(
    private readonly http: BoundedHttp,
    private readonly location: OciLocation,
    private readonly creds: Credentials | undefined,
    private readonly maxTokenBytes: number,
  ) {}

  /** A 2xx answer, or the ChartSourceError for the status (404 → `notFound`). */
  async get(path: string, options: GetOptions, notFound: "ChartNotFound" | "VersionNotFound"): Promise<GetResult> {
    const url = new URL(path, this.location.registry);
    let res = await this.http.get(url, this.withAuth(options));
    let challenge: Challenge | undefined;
    if (res.status === 401 && this.authHeader === undefined) {
      challenge = parseChallenge(res.headers.get("www-authenticate"));
      this.authHeader = await this.answer(challenge, res);
      res = await this.http.get(url, this.withAuth(options));
    }
    if (res.status >= 200 && res.status < 300) return res;
    if (res.status === 401) {
      // A token the registry finds too narrow: for known credentials, they may not read this repository;
      // without credentials (an anonymous token) it is a login that is missing.
      const after = parseChallenge(res.headers.get("www-authenticate"));
      if (after.scheme === "bearer" && after.error === "insufficient_scope" && this.creds !== undefined) {
        throw new ChartSourceError("Forbidden", redactURL(res.url), `GET ${redactURL(res.url)} (${options.what}): the token issuer granted no pull access to ${this.location.display}`);
      }
    }
    throw statusError(res, options.what, notFound);
  }

  private withAuth(options: GetOptions): GetOptions {
    return this.authHeader === undefined ? options : { ...options, auth: { origin: this.location.registry.origin, header: this.authHeader } };
  }

  private async answer(challenge: Challenge, res: GetResult): Promise<string> {
    if (challenge.scheme === "basic") {
      if (this.creds === undefined) throw statusError(res, `${this.location.display} (basic auth; no credentials given)`, "ChartNotFound");
      return basicAuth(this.creds);
    }
    if (challenge.scheme === "bearer") return `Bearer ${await this.token(challenge)}`;
    throw new ChartSourceError("Unauthorized", redactURL(res.url), `GET ${redactURL(res.url)}: 401 with a challenge this client cannot answer: ${challenge.raw.slice(0, 120)}`);
  }

  private async token(challenge: Extract<Challenge, { scheme: "bearer" }>): Promise<string> {
    let realm: URL;
    try {
      realm = new URL(challenge.realm);
    } catch {
      throw new ChartSourceError("InvalidRepository", this.location.display, `${this.location.display}: the registry's token realm is not a URL: ${challenge.realm.slice(0, 120)}`);
    }
    if (challenge.service !== undefined) realm.searchParams.set("service", challenge.service);
    realm.searchParams.set("scope", challenge.scope ?? pullScope(this.location.repository));
    const auth = this.creds === undefined ? undefined : { origin: realm.origin, header: basicAuth(this.creds) };
    const res = await this.http.get(realm, { what: "registry token", maxBytes: this.maxTokenBytes, accept: "application/json", auth });
    if (res.status !== 200) throw statusError(res, `registry token for ${this.location.display}`, "ChartNotFound");
    let doc: unknown;
    try {
      doc = JSON.parse(res.body.toString("utf8"));
    } catch {
      doc = undefined;
    }
    const token = isPlainObject(doc) ? (doc.token ?? doc.access_token) : undefined;
    if (typeof token !== "string" || token === "") {
      throw new ChartSourceError("InvalidRepository", redactURL(realm), `${redactURL(realm)}: the token answer has no token`);
    }
    return token;
  }
}
