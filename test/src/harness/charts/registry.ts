import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import bcrypt from "bcryptjs";
import { stringify } from "yaml";
import { ensureRegistry } from "../binaries.js";
import { httpGet } from "../http.js";
import { silentLogger, type HarnessLogger } from "../logger.js";
import { freePort, isAddressInUse } from "../ports.js";
import { readTail, type ManagedProcess } from "../processes.js";
import { spawnUntilReady } from "../ready.js";
import { makeTempDir, removeDir } from "../tmp.js";
import { startTokenIssuer, type Grant, type TokenIssuer } from "./token-issuer.js";

export type RegistryAuth =
  | { mode: "none" }
  | { mode: "htpasswd"; users: Record<string, string> }
  | { mode: "token"; users: Record<string, { password: string; grants: Grant[] }> };

export interface RegistryOptions {
  auth: RegistryAuth;
  /** Default: `ensureRegistry()`. */
  binary?: string;
  log?: HarnessLogger;
}

/** A CNCF distribution registry on loopback (plain HTTP), with its storage in a temp dir. */
export interface Registry {
  /** `127.0.0.1:<port>`. */
  readonly host: string;
  /** `oci://127.0.0.1:<port>`; append a path (`/charts`). */
  readonly ociURL: string;
  readonly pid: number;
  /** The token issuer in `token` mode. */
  readonly issuer: TokenIssuer | undefined;
  /** Stops the registry (and its issuer) and removes its storage. */
  dispose(): Promise<void>;
}

const SERVICE = "flotilla-test-registry";
const ISSUER = "flotilla-test-token-issuer";
// Low bcrypt cost: the registry checks the hash on every request, and these are throwaway test users.
const BCRYPT_COST = 5;
const START_ATTEMPTS = 5;

/**
 * Starts the distribution registry with a generated config: filesystem storage, a free loopback port,
 * auth none | htpasswd (bcrypt) | token (our issuer, RS256 with a jwks file). Ready once `/v2/`
 * answers (200, or 401 with auth). `OTEL_TRACES_EXPORTER=none` keeps it from exporting traces.
 */
export async function startRegistry(options: RegistryOptions): Promise<Registry> {
  const log = options.log ?? silentLogger;
  const binary = options.binary ?? (await ensureRegistry({ log }));
  const dir = await makeTempDir("registry");
  let issuer: TokenIssuer | undefined;
  try {
    const auth = await authConfig(options.auth, dir, async (users) => (issuer = await startTokenIssuer({ service: SERVICE, issuer: ISSUER, users })));
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const config = join(dir, "config.yml");
      await writeFile(config, stringify(registryConfig(dir, port, auth)));
      const logFile = join(dir, "registry.log");
      try {
        const proc = await spawnUntilReady(
          { name: "registry", command: binary, args: ["serve", config], logFile, env: { OTEL_TRACES_EXPORTER: "none" } },
          { what: "registry /v2/", timeoutMs: 20_000, intervalMs: 50, check: async () => [200, 401].includes((await httpGet(`http://127.0.0.1:${port}/v2/`)).status) },
        );
        log.info({ port, pid: proc.pid, mode: options.auth.mode }, "registry ready");
        return new LocalRegistry(proc, port, dir, issuer);
      } catch (err) {
        if (attempt >= START_ATTEMPTS || !isAddressInUse(await readTail(logFile, 20))) throw err;
      }
    }
  } catch (err) {
    await issuer?.stop();
    await removeDir(dir);
    throw err;
  }
}

class LocalRegistry implements Registry {
  constructor(
    private readonly proc: ManagedProcess,
    private readonly port: number,
    private readonly dir: string,
    readonly issuer: TokenIssuer | undefined,
  ) {}

  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  get ociURL(): string {
    return `oci://${this.host}`;
  }

  get pid(): number {
    return this.proc.pid;
  }

  async dispose(): Promise<void> {
    await this.proc.stop(2000);
    await this.issuer?.stop();
    await removeDir(this.dir);
  }
}

type TokenUsers = Extract<RegistryAuth, { mode: "token" }>["users"];

async function authConfig(auth: RegistryAuth, dir: string, issue: (users: TokenUsers) => Promise<TokenIssuer>): Promise<object | undefined> {
  if (auth.mode === "none") return undefined;
  if (auth.mode === "htpasswd") {
    const path = join(dir, "htpasswd");
    const lines = Object.entries(auth.users).map(([user, password]) => `${user}:${bcrypt.hashSync(password, BCRYPT_COST)}`);
    await writeFile(path, `${lines.join("\n")}\n`);
    return { htpasswd: { realm: "flotilla-test", path } };
  }
  const issuer = await issue(auth.users);
  const jwks = join(dir, "jwks.json");
  await writeFile(jwks, JSON.stringify(issuer.jwks));
  return { token: { realm: issuer.realm, service: SERVICE, issuer: ISSUER, jwks, signingalgorithms: ["RS256"] } };
}

function registryConfig(dir: string, port: number, auth: object | undefined): object {
  return {
    version: 0.1,
    log: { level: "info", formatter: "text" },
    storage: { filesystem: { rootdirectory: join(dir, "data") }, delete: { enabled: true } },
    http: { addr: `127.0.0.1:${port}`, secret: randomBytes(16).toString("hex"), debug: { addr: "" } },
    ...(auth === undefined ? {} : { auth }),
  };
}
