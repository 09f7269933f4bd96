import { chmod, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { credsAuthenticator, type ConnectionOptions } from "@nats-io/transport-node";
import { CredentialIssuer, createBusAuthority, serverAuthConfig, type BusAuthority } from "@flotilla/hub";
import type { BusRoleName } from "@flotilla/shared";
import { ensureBinaries } from "./binaries.js";
import { httpGet } from "./http.js";
import { silentLogger, type HarnessLogger } from "./logger.js";
import { isAddressInUse } from "./ports.js";
import { readTail, spawnProcess, type ManagedProcess } from "./processes.js";
import { waitUntilReady } from "./ready.js";
import { makeTempDir, removeDir } from "./tmp.js";

export interface NatsOptions {
  /** JetStream store, ports file and log; a fresh temp dir when absent. */
  dir?: string;
  /** Keep `dir` on dispose. Default: true when `dir` was given, false for a temp dir. */
  keepDir?: boolean;
  /** Client port; an OS-chosen free port when absent. Kept across restarts. */
  port?: number;
  /** Default: from `ensureBinaries()`. */
  binary?: string;
  log?: HarnessLogger;
  /** The server outlives this Node process (see `SpawnOptions.detached`). */
  detached?: boolean;
  /**
   * Decentralized JWT auth (DESIGN §5), the default: a fresh trust chain whose files are written into
   * `dir` (`auth.conf`, `hub.creds`, `issuer.json`), or the given one. `false`: no auth at all.
   */
  auth?: BusAuthority | false;
}

/** A nats-server with JetStream on loopback. */
export interface NatsServer {
  /** `nats://127.0.0.1:<port>`; stable across restarts. */
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** The running server's pid; undefined while stopped. */
  readonly pid: number | undefined;
  /** `http://127.0.0.1:<port>` of the monitoring endpoint (changes on restart); undefined while stopped. */
  readonly monitorUrl: string | undefined;
  /** Starts it again after `stop()`, on the same port with the same store. */
  start(): Promise<void>;
  /** SIGTERM (SIGKILL after a grace); the dir and port are kept for `start()`. */
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** Stops and removes the dir (unless kept). */
  dispose(): Promise<void>;
  /** The trust chain; undefined when the server runs without auth. */
  readonly auth: BusAuthority | undefined;
  /** Creds file of the hub's user (everything in the Flotilla account); undefined without auth. */
  readonly hubCredsFile: string | undefined;
  /** The hub's minting kit (`--nats-issuer`); undefined without auth. */
  readonly issuerFile: string | undefined;
  /**
   * Mints a creds file for `role` on `cluster` (a new user key, `ttlSeconds` default 30 days) into
   * `<dir>/creds/`, and returns its path. Throws without auth.
   */
  mintCreds(cluster: string, role?: BusRoleName, ttlSeconds?: number): Promise<string>;
  /** Options for a client of the hub's user (tests acting as the hub, or as an intruder without creds). */
  clientOptions(): ConnectionOptions;
}

interface PortsFile {
  nats?: string[];
  monitoring?: string[];
}

const START_ATTEMPTS = 5;

/** Starts nats-server with JetStream and resolves once `/healthz` passes. */
export async function startNats(options: NatsOptions = {}): Promise<NatsServer> {
  const log = options.log ?? silentLogger;
  const binary = options.binary ?? (await ensureBinaries({ log })).natsServer;
  const dir = options.dir ?? (await makeTempDir("nats"));
  const keepDir = options.keepDir ?? options.dir !== undefined;
  await mkdir(dir, { recursive: true });
  const auth = options.auth === false ? undefined : (options.auth ?? (await createBusAuthority()));
  if (auth) await writeAuthFiles(dir, auth);
  const server = new LocalNatsServer(binary, dir, keepDir, options.port, options.detached ?? false, log, auth);
  try {
    await server.start();
  } catch (err) {
    await server.dispose();
    throw err;
  }
  return server;
}

class LocalNatsServer implements NatsServer {
  private proc: ManagedProcess | undefined;
  private monitor: string | undefined;
  private boundPort: number | undefined;

  constructor(
    private readonly binary: string,
    readonly dir: string,
    private readonly keepDir: boolean,
    port: number | undefined,
    private readonly detached: boolean,
    private readonly log: HarnessLogger,
    readonly auth: BusAuthority | undefined,
  ) {
    this.boundPort = port;
  }

  get hubCredsFile(): string | undefined {
    return this.auth ? join(this.dir, HUB_CREDS) : undefined;
  }

  get issuerFile(): string | undefined {
    return this.auth ? join(this.dir, ISSUER) : undefined;
  }

  async mintCreds(cluster: string, role: BusRoleName = "agent", ttlSeconds = 30 * 24 * 3600): Promise<string> {
    if (!this.auth) throw new Error("this nats-server runs without auth: there are no credentials to mint");
    const minted = await new CredentialIssuer(this.auth.issuer).mintCreds(role, cluster, { ttlSeconds, nowSeconds: Math.floor(Date.now() / 1000) });
    const path = join(this.dir, "creds", `${cluster}.${role}.creds`);
    await mkdir(join(this.dir, "creds"), { recursive: true });
    await writeSecretFile(path, minted.creds);
    return path;
  }

  clientOptions(): ConnectionOptions {
    return { servers: this.url, ...(this.auth ? { authenticator: credsAuthenticator(new TextEncoder().encode(this.auth.hubCreds)) } : {}) };
  }

  get port(): number {
    if (this.boundPort === undefined) throw new Error("nats-server has not been started");
    return this.boundPort;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  get monitorUrl(): string | undefined {
    return this.monitor;
  }

  async start(): Promise<void> {
    if (this.proc) return;
    const t0 = Date.now();
    // With a port already chosen (a restart), a clash is another process's; wait and retry.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.startOnce();
        break;
      } catch (err) {
        const clash = isAddressInUse(await readTail(this.logFile, 20));
        if (attempt >= START_ATTEMPTS || !clash) throw err;
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
    this.log.info({ url: this.url, pid: this.pid, ms: Date.now() - t0 }, "nats-server ready");
  }

  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc) return;
    await proc.stop(NATS_STOP_GRACE_MS);
    this.proc = undefined;
    this.monitor = undefined;
    await rm(this.portsFile(proc.pid), { force: true });
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async dispose(): Promise<void> {
    await this.stop();
    if (!this.keepDir) await removeDir(this.dir);
  }

  private get logFile(): string {
    return join(this.dir, "nats-server.log");
  }

  private portsFile(pid: number): string {
    return join(this.dir, `nats-server_${pid}.ports`);
  }

  private async startOnce(): Promise<void> {
    const proc = await spawnProcess({
      name: "nats-server",
      command: this.binary,
      logFile: this.logFile,
      detached: this.detached,
      args: [
        "--jetstream",
        `--store_dir=${join(this.dir, "jetstream")}`,
        "--addr=127.0.0.1",
        // -1: the server takes a free port itself, reported in the ports file; later starts reuse it
        `--port=${this.boundPort ?? -1}`,
        "--http_port=-1",
        `--ports_file_dir=${this.dir}`,
        "--server_name=flotilla-harness",
        ...(this.auth ? [`--config=${join(this.dir, AUTH_CONF)}`] : []),
      ],
    });
    try {
      let ports: PortsFile | undefined;
      await waitUntilReady({
        what: "nats-server ports file and /healthz",
        process: proc,
        timeoutMs: 20_000,
        intervalMs: 50,
        check: async () => {
          ports ??= await readPortsFile(this.portsFile(proc.pid));
          const monitor = ports?.monitoring?.[0];
          return monitor !== undefined && (await httpGet(`${monitor}/healthz`)).status === 200;
        },
      });
      const client = ports?.nats?.[0];
      const port = client === undefined ? NaN : Number(new URL(client).port);
      if (!Number.isInteger(port) || port <= 0) throw new Error(`nats-server ports file has no client URL: ${JSON.stringify(ports)}`);
      this.boundPort = port;
      this.monitor = ports?.monitoring?.[0];
      this.proc = proc;
    } catch (err) {
      await proc.stop();
      throw err;
    }
  }
}

const AUTH_CONF = "auth.conf";
const HUB_CREDS = "hub.creds";
const ISSUER = "issuer.json";

/** The server's trust configuration, the hub's creds and its minting kit, readable by this user only. */
async function writeAuthFiles(dir: string, auth: BusAuthority): Promise<void> {
  await mkdir(join(dir, "jwt"), { recursive: true });
  await writeSecretFile(join(dir, AUTH_CONF), serverAuthConfig(auth, join(dir, "jwt")));
  await writeSecretFile(join(dir, HUB_CREDS), auth.hubCreds);
  await writeSecretFile(join(dir, ISSUER), JSON.stringify(auth.issuer, null, 2) + "\n");
}

async function writeSecretFile(path: string, text: string): Promise<void> {
  await writeFile(path, text, { mode: 0o600 });
  await chmod(path, 0o600); // an existing file keeps its mode on write
}

/** nats-server shuts down in milliseconds on SIGTERM; SIGKILL after this. */
const NATS_STOP_GRACE_MS = 2_000;

async function readPortsFile(path: string): Promise<PortsFile | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as PortsFile;
  } catch {
    return undefined; // not written yet (or half written)
  }
}
