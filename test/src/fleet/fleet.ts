import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ApiextensionsV1Api, CoreV1Api, CustomObjectsApi, type KubeConfig } from "@kubernetes/client-node";
import { crdModel, hubCrds, resources } from "@flotilla/shared";
import { BOOTSTRAP_TOKEN_TYPE, credsFromSeed } from "@flotilla/hub";
import { CONTROL_PLANE_STOP_GRACE_MS, STOP_ORDER, startControlPlane, type ControlPlane } from "../harness/controlplane.js";
import { ensureBinaries } from "../harness/binaries.js";
import { startNats, type NatsServer } from "../harness/nats.js";
import { freePort } from "../harness/ports.js";
import { spawnProcess, readTail, type ManagedProcess, type ProcessExit } from "../harness/processes.js";
import { silentLogger, type HarnessLogger } from "../harness/logger.js";
import { WorkloadSimulator } from "../harness/simulator/simulator.js";
import { agentEntryPath, agentNodeFlags, flotillaCliPath } from "./cli-path.js";
import { devClusterLabels, devClusterName, type FleetFile } from "./fleet-file.js";
import { identityKubeconfig } from "./rbac.js";

/** The stages of `Fleet.stop()`, in order; each is logged as "fleet stop: stage done". */
export const FLEET_STOP_STAGES = ["agents", "hubs", "simulators", ...STOP_ORDER, "nats"] as const;
export type FleetStopStage = (typeof FLEET_STOP_STAGES)[number];

/** Hub and agent stop within 5 s of SIGTERM by themselves (their stop deadline); SIGKILL after this. */
const FLOTILLA_STOP_GRACE_MS = 6_000;

export interface FleetOptions {
  clusters: number;
  /** Absolute directory for all state and logs; created if missing. */
  dir: string;
  logger?: HarnessLogger;
  /** Agent presence heartbeat; short in dev and tests so lapses show quickly. */
  heartbeatSeconds?: number;
  presenceGraceSeconds?: number;
  resyncSeconds?: number;
  leaseDurationSeconds?: number;
  /** Simulated workloads become ready after this long. */
  readyDelayMs?: number;
  startHub?: boolean;
  startAgents?: boolean;
  /** Spoke control planes started at once (each is ~300-500 MB and busy for seconds on 2 cores). */
  startConcurrency?: number;
  /** The helm the hub renders charts with; default the pinned one (`ensureBinaries().helm`). */
  helm?: string;
  /**
   * How agents get their bus credentials when NATS has auth (the default): `register` (default), as a
   * cluster owner would: a bootstrap token per cluster, the agent joins and keeps what the hub mints
   * for it; `given`: creds minted by the harness, passed with --nats-creds (no hub needed to start).
   */
  agentCredentials?: "register" | "given";
  /** Life of the credentials the hub mints for clusters (`--credentials-ttl`); default the hub's (a day). */
  credentialsTtlSeconds?: number;
  /** More `flotilla hub` flags (after the fleet's, so they win); `startHub` may add more per start. */
  hubArgs?: readonly string[];
  /**
   * The Node arguments that start the `flotilla` CLI the hub runs as (its entry and any Node flags);
   * default this repository's (`flotillaCliPath()`). An image's production tree, for one.
   */
  hubEntry?: readonly string[];
}

/** The hub's namespace: its Lease and the bootstrap tokens. */
export const HUB_NAMESPACE = "flotilla-system";
/** The Secret on each spoke where a registered agent keeps its credentials (the agent's default). */
const AGENT_CREDENTIALS_SECRET = "flotilla-agent-credentials";
const CREDS_WAIT_MS = 30_000;

export interface FleetProcess {
  proc: ManagedProcess;
  metricsUrl: string;
}

/**
 * The local dev fleet (DESIGN §8): NATS, a hub control plane, N spoke control planes with the hub's
 * CRDs and one accepted ManagedCluster each, the hub and one agent per spoke as real `flotilla`
 * processes, and a workload simulator per spoke. Used by `flotilla dev up` and the end-to-end tests.
 */
export class Fleet {
  readonly spokes = new Map<string, ControlPlane>();
  readonly hubs = new Map<string, FleetProcess>();
  readonly agents = new Map<string, FleetProcess>();
  /** Each agent's creds file: given (`--nats-creds`) or bootstrap (`--bootstrap-creds`). */
  private readonly agentCreds = new Map<string, string>();
  private readonly simulators = new Map<string, WorkloadSimulator>();
  private readonly log: HarnessLogger;

  private constructor(
    readonly opts: FleetOptions,
    readonly nats: NatsServer,
    readonly hub: ControlPlane,
  ) {
    this.log = opts.logger ?? silentLogger;
  }

  static async start(opts: FleetOptions): Promise<Fleet> {
    const log = opts.logger ?? silentLogger;
    opts = { ...opts, helm: opts.helm ?? (await ensureBinaries({ log })).helm };
    await mkdir(join(opts.dir, "logs"), { recursive: true });
    const t0 = Date.now();
    const nats = await startNats({ dir: join(opts.dir, "nats") });
    let hub: ControlPlane | undefined;
    let fleet: Fleet | undefined;
    try {
      hub = await startControlPlane({ name: "hub", dir: join(opts.dir, "clusters", "hub") });
      fleet = new Fleet(opts, nats, hub);
      log.info({ ms: Date.now() - t0 }, "hub control plane ready");
      await fleet.installHubCrds();
      await hub.kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: HUB_NAMESPACE } } });
      const names = Array.from({ length: opts.clusters }, (_, i) => devClusterName(i + 1));
      const concurrency = opts.startConcurrency ?? 2;
      for (let i = 0; i < names.length; i += concurrency) {
        await Promise.all(names.slice(i, i + concurrency).map((n) => fleet!.addSpoke(n)));
      }
      log.info({ ms: Date.now() - t0, clusters: names.length }, "control planes ready");
      if (opts.startHub ?? true) await fleet.startHub();
      if (opts.startAgents ?? true) await Promise.all(names.map((n) => fleet!.startAgent(n)));
      return fleet;
    } catch (err) {
      if (fleet) await fleet.stop();
      else {
        await hub?.stop();
        await nats.dispose();
      }
      throw err;
    }
  }

  get hubKubeConfig(): KubeConfig {
    return this.hub.kubeConfig;
  }

  /** cluster-1 … cluster-N in order (spokes start in parallel, so the map's order is arrival order). */
  clusterNames(): string[] {
    const n = (name: string) => Number(name.split("-").pop());
    return [...this.spokes.keys()].sort((a, b) => n(a) - n(b));
  }

  spoke(name: string): ControlPlane {
    const s = this.spokes.get(name);
    if (!s) throw new Error(`no spoke named ${name}`);
    return s;
  }

  /** Starts a spoke control plane, its simulator, and registers it on the hub as an accepted cluster. */
  private async addSpoke(name: string): Promise<void> {
    const i = Number(name.split("-").pop());
    const cp = await startControlPlane({ name, dir: join(this.opts.dir, "clusters", name) });
    this.spokes.set(name, cp);
    // the agent's namespace, as its install makes it (deploy/rbac/agent.yaml)
    await cp.kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: HUB_NAMESPACE } } });
    const sim = new WorkloadSimulator({ kubeConfig: cp.kubeConfig, readyDelayMs: this.opts.readyDelayMs ?? 300 });
    await sim.start();
    this.simulators.set(name, sim);
    const r = resources.managedClusters;
    await this.hub.kubeConfig.makeApiClient(CustomObjectsApi).createClusterCustomObject({
      group: r.group,
      version: r.version,
      plural: r.plural,
      body: {
        apiVersion: `${r.group}/${r.version}`,
        kind: r.kind,
        metadata: { name, labels: devClusterLabels(i) },
        spec: { hubAcceptsClient: true },
      },
    });
    if (this.registers) await this.createBootstrapToken(name);
  }

  /** Whether agents register with a bootstrap token (rather than being given credentials). */
  get registers(): boolean {
    return this.nats.auth !== undefined && (this.opts.agentCredentials ?? "register") === "register";
  }

  /** A bootstrap token for `cluster` (`join-<cluster>` in the hub's namespace), as an admin makes one. */
  async createBootstrapToken(cluster: string, o: { name?: string; autoAccept?: boolean; labels?: string; expiration?: string } = {}): Promise<string> {
    const name = o.name ?? `join-${cluster}`;
    await this.hub.kubeConfig.makeApiClient(CoreV1Api).createNamespacedSecret({
      namespace: HUB_NAMESPACE,
      body: {
        metadata: { name },
        type: BOOTSTRAP_TOKEN_TYPE,
        stringData: { cluster, "auto-accept": String(o.autoAccept ?? false), ...(o.labels ? { labels: o.labels } : {}), ...(o.expiration ? { expiration: o.expiration } : {}) },
      },
    });
    return name;
  }

  /** The bus credentials the hub minted into a bootstrap token, once it has (the hub must be running). */
  async bootstrapCreds(token: string, timeoutMs = CREDS_WAIT_MS): Promise<string> {
    const core = this.hub.kubeConfig.makeApiClient(CoreV1Api);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await core.readNamespacedSecret({ namespace: HUB_NAMESPACE, name: token });
      const creds = s.data?.creds;
      if (creds) return Buffer.from(creds, "base64").toString("utf8");
      if (Date.now() > deadline) throw new Error(`bootstrap token ${token} got no credentials within ${timeoutMs} ms: is a hub running with --nats-issuer?`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The credentials a registered agent keeps on its spoke, as a creds file (once it has joined). */
  async registeredCreds(cluster: string, timeoutMs = CREDS_WAIT_MS): Promise<string> {
    const core = this.spoke(cluster).kubeConfig.makeApiClient(CoreV1Api);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await core.readNamespacedSecret({ namespace: HUB_NAMESPACE, name: AGENT_CREDENTIALS_SECRET }).catch(() => undefined);
      const get = (k: string) => (s?.data?.[k] ? Buffer.from(s.data[k], "base64").toString("utf8") : undefined);
      const seed = get("seed");
      const jwt = get("jwt");
      if (seed && jwt) return credsFromSeed(jwt, seed);
      if (Date.now() > deadline) throw new Error(`the agent of ${cluster} has not stored its credentials within ${timeoutMs} ms (has it joined?)`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private async installHubCrds(): Promise<void> {
    const api = this.hub.kubeConfig.makeApiClient(ApiextensionsV1Api);
    // crdModel: client-node's typed models rename x-kubernetes-* keys; raw objects would lose them
    for (const crd of hubCrds) await api.createCustomResourceDefinition({ body: crdModel(crd) });
    const deadline = Date.now() + 30_000;
    for (const crd of hubCrds) {
      const name = crd.metadata.name;
      for (;;) {
        const got = await api.readCustomResourceDefinition({ name });
        if (got.status?.conditions?.some((c) => c.type === "Established" && c.status === "True")) break;
        if (Date.now() > deadline) throw new Error(`CRD ${name} not Established within 30 s`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  private async spawnFlotilla(kind: "hub" | "agent", id: string, entry: string[], args: string[]): Promise<FleetProcess> {
    const port = await freePort();
    const proc = await spawnProcess({
      name: `${kind}-${id}`,
      command: process.execPath,
      args: [...entry, ...args, "--metrics-addr", `127.0.0.1:${port}`],
      logFile: join(this.opts.dir, "logs", `${kind}-${id}.log`),
    });
    const metricsUrl = `http://127.0.0.1:${port}`;
    // ready once /healthz answers (the process parsed its flags and connected its parts)
    const deadline = Date.now() + 30_000;
    for (;;) {
      const st = proc.exitStatus();
      if (st) throw new Error(`${kind} ${id} exited (${st.code ?? st.signal}) during start:\n${await readTail(proc.logFile)}`);
      const ok = await fetch(`${metricsUrl}/healthz`).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`${kind} ${id} did not serve /healthz within 30 s:\n${await readTail(proc.logFile)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return { proc, metricsUrl };
  }

  /** Starts a hub process (several may run: one leads, the others wait). */
  async startHub(id = "hub-0", extraArgs: readonly string[] = []): Promise<FleetProcess> {
    const p = await this.spawnFlotilla("hub", id, [...(this.opts.hubEntry ?? [flotillaCliPath()]), "hub"], [
      "--kubeconfig", await identityKubeconfig(this.hub, "hub"), // deploy/rbac/hub.yaml, not the admin (fleet/rbac.ts)
      "--nats", this.nats.url,
      ...(this.nats.hubCredsFile ? ["--nats-creds", this.nats.hubCredsFile] : []),
      ...(this.nats.issuerFile ? ["--nats-issuer", this.nats.issuerFile] : []),
      "--namespace", HUB_NAMESPACE,
      ...(this.opts.credentialsTtlSeconds ? ["--credentials-ttl", String(this.opts.credentialsTtlSeconds)] : []),
      "--presence-grace", String(this.opts.presenceGraceSeconds ?? 6),
      "--lease-duration", String(this.opts.leaseDurationSeconds ?? 4),
      "--leader-id", id,
      "--helm", this.opts.helm ?? "helm",
      "--chart-cache-dir", join(this.opts.dir, "charts"),
      // the chart registries of the tests listen on loopback without TLS
      "--chart-plain-http", "loopback",
      ...(this.opts.hubArgs ?? []),
      ...extraArgs,
    ]);
    this.hubs.set(id, p);
    return p;
  }

  async stopHub(id = "hub-0"): Promise<ProcessExit | undefined> {
    const exit = await this.hubs.get(id)?.proc.stop(FLOTILLA_STOP_GRACE_MS);
    this.hubs.delete(id);
    return exit;
  }

  /**
   * Kills a hub with SIGKILL, as a crash or an OOM kill would: no shutdown of its own (its leader
   * Lease is not released, nothing in flight is finished). Start it again with `startHub`.
   */
  async killHub(id = "hub-0"): Promise<ProcessExit | undefined> {
    const exit = await this.hubs.get(id)?.proc.kill();
    this.hubs.delete(id);
    return exit;
  }

  /**
   * Starts the agent of `cluster`: by default through its lean entry point (`flotilla-agent`, what its
   * image runs, with the Node flags of its first line), through the one CLI (`flotilla agent`), or as
   * the given Node arguments (a benchmark's variant).
   */
  async startAgent(cluster: string, via: "lean" | "cli" | { node: readonly string[]; args?: readonly string[] } = "lean"): Promise<FleetProcess> {
    const entry = via === "lean" ? [...agentNodeFlags(), agentEntryPath()] : via === "cli" ? [flotillaCliPath(), "agent"] : [...via.node];
    const creds = await this.credsOf(cluster);
    const p = await this.spawnFlotilla("agent", cluster, entry, [
      "--cluster", cluster,
      "--kubeconfig", await identityKubeconfig(this.spoke(cluster), "agent"), // deploy/rbac/agent.yaml (fleet/rbac.ts)
      "--nats", this.nats.url,
      ...(creds ? [this.registers ? "--bootstrap-creds" : "--nats-creds", creds] : []),
      "--heartbeat", String(this.opts.heartbeatSeconds ?? 1),
      "--resync", String(this.opts.resyncSeconds ?? 10),
      ...(typeof via === "object" ? (via.args ?? []) : []), // last, so they win over the fleet's
    ]);
    this.agents.set(cluster, p);
    return p;
  }

  /**
   * The creds file the agent of `cluster` starts with, made on first use: its bootstrap token's
   * credentials (registering) or its own minted ones (given); undefined when NATS runs without auth.
   */
  private async credsOf(cluster: string): Promise<string | undefined> {
    if (!this.nats.auth) return undefined;
    let path = this.agentCreds.get(cluster);
    if (!path) {
      if (this.registers) {
        path = join(this.opts.dir, "creds", `${cluster}.bootstrap.creds`);
        await mkdir(join(this.opts.dir, "creds"), { recursive: true });
        await writeFile(path, await this.bootstrapCreds(`join-${cluster}`), { mode: 0o600 });
      } else {
        path = await this.nats.mintCreds(cluster);
      }
      this.agentCreds.set(cluster, path);
    }
    return path;
  }

  async stopAgent(cluster: string): Promise<ProcessExit | undefined> {
    const exit = await this.agents.get(cluster)?.proc.stop(FLOTILLA_STOP_GRACE_MS);
    this.agents.delete(cluster);
    return exit;
  }

  /**
   * Kills the agent of `cluster` with SIGKILL, as a crash, an OOM kill or a node lost would: no
   * shutdown of its own (the queue is not drained, nothing in flight finishes, no last report).
   * Start it again with `startAgent`.
   */
  async killAgent(cluster: string): Promise<ProcessExit | undefined> {
    const exit = await this.agents.get(cluster)?.proc.kill();
    this.agents.delete(cluster);
    return exit;
  }

  /** Writes `fleet.json` and one kubeconfig per cluster into `dir`; returns the fleet file. */
  async writeFleetFile(dir = this.opts.dir): Promise<FleetFile> {
    const hubKubeconfig = join(dir, "hub.kubeconfig");
    await copyFile(this.hub.kubeconfigPath, hubKubeconfig);
    const clusters: FleetFile["clusters"] = [];
    for (const name of this.clusterNames()) {
      const kubeconfig = join(dir, `${name}.kubeconfig`);
      await copyFile(this.spoke(name).kubeconfigPath, kubeconfig);
      const natsCreds = await this.agentCredsCopy(name, dir);
      clusters.push({ name, kubeconfig, ...(natsCreds ? { natsCreds } : {}) });
    }
    const creds = this.nats.hubCredsFile;
    const file: FleetFile = { hub: { kubeconfig: hubKubeconfig }, clusters, nats: { url: this.nats.url, ...(creds ? { creds } : {}) } };
    await writeFile(join(dir, "fleet.json"), JSON.stringify(file, null, 2) + "\n");
    return file;
  }

  /** A copy of the credentials the agent of `cluster` connects with, in `dir`; undefined without auth. */
  private async agentCredsCopy(cluster: string, dir: string): Promise<string | undefined> {
    if (!this.registers) return this.credsOf(cluster);
    const path = join(dir, `${cluster}.creds`);
    await writeFile(path, await this.registeredCreds(cluster), { mode: 0o600 });
    return path;
  }

  /**
   * Stops everything in order: agents, hubs and simulators (they say goodbye on a live bus and API),
   * then each control-plane tier across all clusters (controller managers, API servers, etcd), then
   * NATS. Every step is bounded, so a fleet stops within seconds whatever state it is in.
   */
  async stop(): Promise<void> {
    const stage = async (name: FleetStopStage, ps: (Promise<unknown> | undefined)[]) => {
      const t0 = Date.now();
      const results = await Promise.allSettled(ps);
      // a process that had to be killed did not stop by itself in its grace: say so
      const killed = results.filter((r) => r.status === "fulfilled" && (r.value as { signal?: unknown } | undefined)?.signal === "SIGKILL").length;
      this.log.info({ stage: name, ms: Date.now() - t0, killed }, "fleet stop: stage done");
    };
    await stage("agents", [...this.agents.keys()].map((c) => this.stopAgent(c)));
    await stage("hubs", [...this.hubs.keys()].map((h) => this.stopHub(h)));
    await stage("simulators", [...this.simulators.values()].map((s) => s.stop()));
    this.simulators.clear();
    const planes = [...this.spokes.values(), this.hub];
    for (const tier of STOP_ORDER) await stage(tier, planes.map((p) => p.processes[tier]?.stop(CONTROL_PLANE_STOP_GRACE_MS[tier])));
    await Promise.allSettled(planes.map((p) => p.stop())); // all stopped by now: removes what is not kept
    this.spokes.clear();
    await stage("nats", [this.nats.dispose()]);
    this.log.info({}, "fleet stopped");
  }
}
