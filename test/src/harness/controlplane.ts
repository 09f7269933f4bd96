import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from "@kubernetes/client-node";
import { ensureBinaries, type Binaries } from "./binaries.js";
import { issueClientCert, writeClusterCerts, type ClusterCerts } from "./certs.js";
import { writeCertKubeconfig } from "./kubeconfig.js";
import { silentLogger, type HarnessLogger } from "./logger.js";
import { Apiserver } from "./apiserver.js";
import { httpGet } from "./http.js";
import { freePort, isAddressInUse } from "./ports.js";
import { readTail, spawnProcess, type ManagedProcess } from "./processes.js";
import { spawnUntilReady, waitUntilReady } from "./ready.js";
import { makeTempDir, removeDir } from "./tmp.js";

export interface ControlPlaneOptions {
  /** Cluster name: kubeconfig cluster/context names and the temp dir label. */
  name: string;
  /** Where certs, data and logs go; a fresh temp dir when absent. */
  dir?: string;
  /** Keep `dir` on stop. Default: true when `dir` was given, false for a temp dir. */
  keepDir?: boolean;
  /** Run kube-controller-manager (namespace, GC, service accounts, RBAC aggregation, root CA). Default: true when the binary exists. */
  controllerManager?: boolean;
  /** Default: `ensureBinaries({ log })`. */
  binaries?: Binaries;
  log?: HarnessLogger;
  /** For /readyz of kube-apiserver; default 60 s. */
  readyTimeoutMs?: number;
  /** Processes outlive this Node process (see `SpawnOptions.detached`). */
  detached?: boolean;
}

export interface ControlPlaneTimings {
  certsMs: number;
  etcdMs: number;
  apiserverMs: number;
  /** Until the controller manager has aggregated RBAC roles and published the root CA; 0 without it. */
  controllersMs: number;
  totalMs: number;
}

export interface ControlPlane {
  readonly name: string;
  /** `https://127.0.0.1:<port>` */
  readonly url: string;
  readonly dir: string;
  /** Admin kubeconfig (user `admin`, group `system:masters`). */
  readonly kubeconfigPath: string;
  readonly kubeConfig: KubeConfig;
  readonly caPem: string;
  readonly etcdUrl: string;
  /** The current processes' pids (kube-apiserver's changes when it is restarted). */
  readonly pids: { etcd: number; kubeApiserver: number; kubeControllerManager?: number };
  /**
   * The processes, for a fleet that stops each tier across all its control planes at once; always
   * the current ones (`kubeApiserver` is the new process after `startApiserver`).
   */
  readonly processes: ControlPlaneProcesses;
  readonly timings: ControlPlaneTimings;
  /** Stops kube-apiserver, kube-controller-manager, etcd; removes `dir` unless kept. Idempotent. */
  stop(): Promise<void>;
  /**
   * Stops kube-apiserver alone (SIGTERM, SIGKILL after `graceMs`, default its stop grace), as an API
   * server going down would; etcd, the controller manager and every client keep running. Measured: it
   * stops listening at once on SIGTERM, but while clients (the controller manager, agents) hold
   * watches it does not exit by itself (still there after 30 s), so the SIGKILL ends it.
   */
  stopApiserver(graceMs?: number): Promise<void>;
  /**
   * Starts kube-apiserver again on the same port with the same certs and etcd, so every kubeconfig
   * still works, and resolves once /readyz passes; a no-op while it runs.
   */
  startApiserver(): Promise<void>;
  /**
   * Writes a kubeconfig for a client-certificate identity (CN = user, O = groups) and returns its path
   * (default `<dir>/<user>.kubeconfig`). Users outside `system:masters` are subject to RBAC.
   */
  writeUserKubeconfig(user: string, groups?: readonly string[], path?: string): Promise<string>;
}

export interface ControlPlaneProcesses {
  etcd: ManagedProcess;
  kubeApiserver: ManagedProcess;
  kubeControllerManager?: ManagedProcess;
}

/**
 * The order of stopping: controller managers, API servers, etcd. Measured: an API server told to stop
 * while a controller manager still holds its watches open does not exit by itself (20 s, then SIGKILL);
 * stopped after the controller manager, it exits 0 in about a second.
 */
export const STOP_ORDER = ["kubeControllerManager", "kubeApiserver", "etcd"] as const satisfies readonly (keyof ControlPlaneProcesses)[];

/** SIGTERM → SIGKILL grace per process: a stopped dev fleet is gone within 10 s. */
export const CONTROL_PLANE_STOP_GRACE_MS: Readonly<Record<(typeof STOP_ORDER)[number], number>> = {
  kubeControllerManager: 2_000,
  kubeApiserver: 5_000, // ~1 s alone; several at once on 2 cores take longer
  etcd: 2_000,
};

const PORT_ATTEMPTS = 3;
const KCM_CONTROLLERS = [
  "namespace-controller",
  "garbage-collector-controller",
  "serviceaccount-controller",
  "serviceaccount-token-controller",
  "clusterrole-aggregation-controller",
  "root-ca-certificate-publisher-controller",
];

/** Starts etcd + kube-apiserver (+ kube-controller-manager) and resolves once /readyz passes. */
export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const log = options.log ?? silentLogger;
  const t0 = Date.now();
  const binaries = options.binaries ?? (await ensureBinaries({ log }));
  const dir = options.dir ?? (await makeTempDir(`cp-${options.name}`));
  const keepDir = options.keepDir ?? options.dir !== undefined;
  await mkdir(dir, { recursive: true });
  let api: Apiserver | undefined;
  // what to stop if the start fails part way; kube-apiserver through its owner, which knows the current process
  const started: Partial<ControlPlaneProcesses> = {
    get kubeApiserver() {
      return api?.process;
    },
  };
  const detached = options.detached ?? false;
  try {
    const tCerts = Date.now();
    const certs = await writeClusterCerts(dir, options.name);
    const certsMs = Date.now() - tCerts;

    const tEtcd = Date.now();
    const etcd = await startEtcd(binaries.etcd, dir, detached);
    started.etcd = etcd.proc;
    const etcdMs = Date.now() - tEtcd;

    const tApi = Date.now();
    const apiserver = await Apiserver.start({ binary: binaries.kubeApiserver, dir, certs, etcdUrl: etcd.url, readyTimeoutMs: options.readyTimeoutMs ?? 60_000, detached });
    api = apiserver;
    const apiserverMs = Date.now() - tApi;

    const kubeconfigPath = join(dir, "admin.kubeconfig");
    const kubeConfig = await writeCertKubeconfig(kubeconfigPath, {
      clusterName: options.name,
      server: apiserver.url,
      caPem: certs.ca.certPem,
      user: "admin",
      ...certs.admin,
    });

    let kcm: ManagedProcess | undefined;
    let controllersMs = 0;
    const wantKcm = options.controllerManager ?? binaries.kubeControllerManager !== undefined;
    if (wantKcm) {
      if (binaries.kubeControllerManager === undefined) {
        throw new Error(`${options.name}: controllerManager requested but no kube-controller-manager binary`);
      }
      const tKcm = Date.now();
      kcm = await startControllerManager(binaries.kubeControllerManager, dir, certs, kubeconfigPath, detached);
      started.kubeControllerManager = kcm;
      await waitForControllers(kubeConfig, kcm);
      controllersMs = Date.now() - tKcm;
    }

    const timings = { certsMs, etcdMs, apiserverMs, controllersMs, totalMs: Date.now() - t0 };
    log.info({ cluster: options.name, url: apiserver.url, dir, ...timings }, "control plane ready");

    // a getter: whoever stops it (this control plane, or a fleet tier by tier) reaches the current process
    const processes: ControlPlaneProcesses = {
      etcd: etcd.proc,
      get kubeApiserver() {
        return apiserver.process;
      },
      ...(kcm ? { kubeControllerManager: kcm } : {}),
    };
    let stopping: Promise<void> | undefined;
    return {
      name: options.name,
      url: apiserver.url,
      dir,
      kubeconfigPath,
      kubeConfig,
      caPem: certs.ca.certPem,
      etcdUrl: etcd.url,
      get pids() {
        return { etcd: etcd.proc.pid, kubeApiserver: apiserver.process.pid, ...(kcm ? { kubeControllerManager: kcm.pid } : {}) };
      },
      processes,
      timings,
      stop() {
        stopping ??= apiserver.settled().then(() => stopAll(started, keepDir ? undefined : dir)).then(() => log.info({ cluster: options.name }, "control plane stopped"));
        return stopping;
      },
      stopApiserver(graceMs = CONTROL_PLANE_STOP_GRACE_MS.kubeApiserver) {
        return apiserver.stop(graceMs);
      },
      startApiserver() {
        if (stopping) return Promise.reject(new Error(`${options.name}: control plane is stopped`));
        return apiserver.start();
      },
      async writeUserKubeconfig(user, groups = [], path) {
        const target = path ?? join(dir, `${user.replace(/[^A-Za-z0-9_.-]/g, "_")}.kubeconfig`);
        const pair = await issueClientCert(certs.ca, user, groups);
        await writeCertKubeconfig(target, { clusterName: options.name, server: apiserver.url, caPem: certs.ca.certPem, user, ...pair });
        return target;
      },
    };
  } catch (err) {
    await stopAll(started, keepDir ? undefined : dir);
    throw err;
  }
}

/** Stops in STOP_ORDER (controllers, apiserver, etcd), then removes `dir` if given. */
async function stopAll(processes: Partial<ControlPlaneProcesses>, dir: string | undefined): Promise<void> {
  for (const tier of STOP_ORDER) await processes[tier]?.stop(CONTROL_PLANE_STOP_GRACE_MS[tier]);
  if (dir !== undefined) await removeDir(dir);
}

/** Spawns with a fresh free port, retrying when another process took the port first. */
async function withFreePort<T extends { proc: ManagedProcess }>(start: (port: number) => Promise<T>, logFile: string): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return await start(port);
    } catch (err) {
      if (attempt >= PORT_ATTEMPTS || !isAddressInUse(await readTail(logFile, 20))) throw err;
    }
  }
}

async function startEtcd(binary: string, dir: string, detached: boolean): Promise<{ proc: ManagedProcess; url: string }> {
  const logFile = join(dir, "etcd.log");
  return withFreePort(async (port) => {
    const url = `http://127.0.0.1:${port}`;
    const proc = await spawnUntilReady({
      name: "etcd",
      command: binary,
      logFile,
      detached,
      args: [
        `--data-dir=${join(dir, "etcd")}`,
        `--listen-client-urls=${url}`,
        `--advertise-client-urls=${url}`,
        "--listen-peer-urls=http://127.0.0.1:0",
        "--unsafe-no-fsync=true",
        "--logger=zap",
      ],
    }, {
      what: "etcd /health",
      timeoutMs: 20_000,
      intervalMs: 50,
      check: async () => (await httpGet(`${url}/health`)).status === 200,
    });
    return { proc, url };
  }, logFile);
}

async function startControllerManager(
  binary: string,
  dir: string,
  certs: ClusterCerts,
  kubeconfigPath: string,
  detached: boolean,
): Promise<ManagedProcess> {
  return spawnProcess({
    name: "kube-controller-manager",
    command: binary,
    logFile: join(dir, "kube-controller-manager.log"),
    detached,
    args: [
      `--kubeconfig=${kubeconfigPath}`,
      `--controllers=${KCM_CONTROLLERS.join(",")}`,
      "--leader-elect=false",
      `--service-account-private-key-file=${certs.files.serviceAccountKey}`,
      `--root-ca-file=${certs.files.caCert}`,
      // no serving endpoint: nothing scrapes it, and several control planes would share its port
      "--secure-port=0",
    ],
  });
}

/** Waits until the controller manager's effects are visible: aggregated `view` role, root CA config map. */
async function waitForControllers(kubeConfig: KubeConfig, kcm: ManagedProcess): Promise<void> {
  const rbac = kubeConfig.makeApiClient(RbacAuthorizationV1Api);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  await waitUntilReady({
    what: "kube-controller-manager (aggregated ClusterRole view, ConfigMap default/kube-root-ca.crt)",
    process: kcm,
    timeoutMs: 30_000,
    intervalMs: 150,
    check: async () => {
      const view = await rbac.readClusterRole({ name: "view" });
      if ((view.rules ?? []).length === 0) return false;
      await core.readNamespacedConfigMap({ name: "kube-root-ca.crt", namespace: "default" });
      return true;
    },
  });
}
