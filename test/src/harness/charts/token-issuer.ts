import { createSign, generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What a user may do in repositories whose name starts with `prefix`. */
export interface Grant {
  prefix: string;
  actions: string[];
}

export interface TokenIssuerOptions {
  /** The registry's `auth.token.service`; the token's audience. */
  service: string;
  /** The registry's `auth.token.issuer`; the token's `iss`. */
  issuer: string;
  /** username → password and grants. Requests without credentials get an anonymous token granting nothing. */
  users: Record<string, { password: string; grants: Grant[] }>;
}

/**
 * A Docker registry token issuer (the distribution token spec) on loopback, for the registry's
 * `auth.token` mode: `GET /token?service=…&scope=repository:<name>:<actions>` with optional basic
 * credentials → `{token}`, an RS256 JWT whose `access` claim holds what the user's grants allow of the
 * scope. Wrong credentials are 401. What is not granted is left out of the token (as Docker Hub does), so
 * the registry answers `insufficient_scope`; with `denyWith = "forbid"` the issuer answers 403 instead
 * (401 to an anonymous request).
 */
export interface TokenIssuer {
  /** `http://127.0.0.1:<port>/token`: the registry's realm. */
  readonly realm: string;
  /** The JWKS document (public key) the registry's `auth.token.jwks` file holds. */
  readonly jwks: { keys: object[] };
  /** How a scope the user lacks is refused; switch it between requests. */
  denyWith: "narrow" | "forbid";
  /** Token requests answered, by status. */
  readonly requests: { status: number; user: string | undefined; scope: string }[];
  stop(): Promise<void>;
}

export async function startTokenIssuer(options: TokenIssuerOptions): Promise<TokenIssuer> {
  const issuer = new LocalTokenIssuer(options);
  await issuer.listen();
  return issuer;
}

class LocalTokenIssuer implements TokenIssuer {
  denyWith: "narrow" | "forbid" = "narrow";
  readonly requests: { status: number; user: string | undefined; scope: string }[] = [];
  readonly jwks: { keys: object[] };
  private readonly privateKey: KeyObject;
  private readonly kid = randomBytes(8).toString("hex");
  private readonly server: Server;
  private port = 0;

  constructor(private readonly options: TokenIssuerOptions) {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    this.privateKey = privateKey;
    this.jwks = { keys: [{ ...publicKey.export({ format: "jwk" }), kid: this.kid, alg: "RS256", use: "sig" }] };
    this.server = createServer((req, res) => this.serve(req, res));
  }

  get realm(): string {
    return `http://127.0.0.1:${this.port}/token`;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(0, "127.0.0.1", () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private serve(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://x");
    const scopes = url.searchParams.getAll("scope");
    const answer = (status: number, body: object, user?: string): void => {
      this.requests.push({ status, user, scope: scopes.join(" ") });
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    if (url.pathname !== "/token") return answer(404, { error: "not found" });
    const who = this.authenticate(req.headers.authorization);
    if (who === "denied") return answer(401, { error: "invalid credentials" });
    const access = scopes.flatMap((s) => this.allowed(who, s));
    const asked = scopes.flatMap((s) => parseScope(s)?.actions ?? []).length;
    const given = access.reduce((n, a) => n + a.actions.length, 0);
    if (this.denyWith === "forbid" && given < asked) {
      return who === undefined ? answer(401, { error: "authentication required" }) : answer(403, { error: "scope not granted" }, who);
    }
    const token = this.sign({ sub: who ?? "", access });
    return answer(200, { token, access_token: token, expires_in: 300 }, who);
  }

  /** The user name, undefined for an anonymous request, "denied" for wrong credentials. */
  private authenticate(header: string | undefined): string | undefined | "denied" {
    if (header === undefined) return undefined;
    const [scheme, value] = header.split(" ");
    if (scheme?.toLowerCase() !== "basic" || value === undefined) return "denied";
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const user = decoded.slice(0, colon);
    return colon > 0 && this.options.users[user]?.password === decoded.slice(colon + 1) ? user : "denied";
  }

  private allowed(user: string | undefined, scope: string): { type: string; name: string; actions: string[] }[] {
    const parsed = parseScope(scope);
    if (parsed === undefined || user === undefined) return [];
    const grants = (this.options.users[user]?.grants ?? []).filter((g) => parsed.name.startsWith(g.prefix));
    const actions = parsed.actions.filter((a) => grants.some((g) => g.actions.includes(a)));
    return actions.length === 0 ? [] : [{ type: parsed.type, name: parsed.name, actions }];
  }

  private sign(claims: { sub: string; access: object[] }): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: "RS256", typ: "JWT", kid: this.kid };
    const payload = {
      iss: this.options.issuer,
      aud: this.options.service,
      iat: now,
      nbf: now - 5,
      exp: now + 300,
      jti: randomBytes(8).toString("hex"),
      ...claims,
    };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
    const signature = createSign("RSA-SHA256").update(input).sign(this.privateKey);
    return `${input}.${b64url(signature)}`;
  }
}

/** `repository:charts/cm:pull,push` → its parts; undefined when malformed. */
function parseScope(scope: string): { type: string; name: string; actions: string[] } | undefined {
  const first = scope.indexOf(":");
  const last = scope.lastIndexOf(":");
  if (first < 0 || last <= first) return undefined;
  return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions: scope.slice(last + 1).split(",").filter(Boolean) };
}

function b64url(data: string | Buffer): string {
  return Buffer.from(data).toString("base64url");
}
