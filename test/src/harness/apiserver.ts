import { join } from "node:path";
import type { ClusterCerts } from "./certs.js";
import { httpGet } from "./http.js";
import { freePort, isAddressInUse } from "./ports.js";
import { readTail, type ManagedProcess } from "./processes.js";
import { spawnUntilReady } from "./ready.js";

/** What one kube-apiserver of a control plane is started with; the same every time it is (re)started. */
export interface ApiserverSetup {
  binary: string;
  /** The control plane's dir: certs, log, `apiserver-certs/`. */
  dir: string;
  certs: ClusterCerts;
  etcdUrl: string;
  /** For /readyz on each start. */
  readyTimeoutMs: number;
  detached: boolean;
}

/** Starts with a fresh port: tries before giving up when another process takes the port first. */
const FRESH_PORT_ATTEMPTS = 3;
/** Restarts on the same port: tries before giving up when the port is (still) taken. */
const SAME_PORT_ATTEMPTS = 5;

export const apiserverUrl = (port: number): string => `https://127.0.0.1:${port}`;

/**
 * The command line (pure). Everything a client depends on — port, serving cert, CA, service-account
 * issuer and keys, etcd — comes from the setup and the port, so a restart with the same inputs serves
 * the same cluster to the same kubeconfigs.
 */
export function apiserverArgs(s: Pick<ApiserverSetup, "dir" | "etcdUrl"> & { files: ClusterCerts["files"] }, port: number): string[] {
  const { files } = s;
  return [
    `--etcd-servers=${s.etcdUrl}`,
    "--bind-address=127.0.0.1",
    "--advertise-address=127.0.0.1",
    `--secure-port=${port}`,
    `--cert-dir=${join(s.dir, "apiserver-certs")}`,
    `--tls-cert-file=${files.servingCert}`,
    `--tls-private-key-file=${files.servingKey}`,
    `--client-ca-file=${files.caCert}`,
    `--service-account-issuer=${apiserverUrl(port)}`,
    `--service-account-key-file=${files.serviceAccountPub}`,
    `--service-account-signing-key-file=${files.serviceAccountKey}`,
    "--authorization-mode=RBAC",
    "--service-cluster-ip-range=10.0.0.0/24",
    "--allow-privileged=true",
    "--disable-admission-plugins=ServiceAccount",
    "--endpoint-reconciler-type=none",
  ];
}

/**
 * One control plane's kube-apiserver: started on a free loopback port, then stopped and started again
 * on that same port (same certs, same etcd), as an API server restarted in place would be.
 */
export class Apiserver {
  private current: ManagedProcess;
  private starting: Promise<void> | undefined;

  private constructor(
    private readonly setup: ApiserverSetup,
    readonly port: number,
    first: ManagedProcess,
  ) {
    this.current = first;
  }

  /** Starts on a fresh free port (retried if another process takes it first) and waits for /readyz. */
  static async start(setup: ApiserverSetup): Promise<Apiserver> {
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      try {
        return new Apiserver(setup, port, await spawnApiserver(setup, port));
      } catch (err) {
        if (attempt >= FRESH_PORT_ATTEMPTS || !isAddressInUse(await readTail(logFile(setup), 20))) throw err;
      }
    }
  }

  get url(): string {
    return apiserverUrl(this.port);
  }

  /** The running process, or the last one once it is stopped. */
  get process(): ManagedProcess {
    return this.current;
  }

  get running(): boolean {
    return this.current.exitStatus() === undefined;
  }

  /** SIGTERM, SIGKILL after `graceMs`; etcd, certs and the port stay for `start()`. Idempotent. */
  async stop(graceMs: number): Promise<void> {
    await this.settled();
    await this.current.stop(graceMs);
  }

  /** Resolves once no start is under way, so `process` is the one to stop (none is left behind). */
  async settled(): Promise<void> {
    await this.starting?.catch(() => undefined);
  }

  /** Starts it again on the same port and waits for /readyz; a no-op while it runs. */
  start(): Promise<void> {
    if (this.running) return this.starting ?? Promise.resolve();
    this.starting ??= this.startAgain().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async startAgain(): Promise<void> {
    // The port was ours; a clash is another process that took it meanwhile (or the old socket not yet
    // released): wait a little and try again.
    for (let attempt = 1; ; attempt++) {
      try {
        this.current = await spawnApiserver(this.setup, this.port);
        return;
      } catch (err) {
        if (attempt >= SAME_PORT_ATTEMPTS || !isAddressInUse(await readTail(logFile(this.setup), 20))) throw err;
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  }
}

const logFile = (s: Pick<ApiserverSetup, "dir">): string => join(s.dir, "kube-apiserver.log");

async function spawnApiserver(s: ApiserverSetup, port: number): Promise<ManagedProcess> {
  const url = apiserverUrl(port);
  const { certs } = s;
  return spawnUntilReady({
    name: "kube-apiserver",
    command: s.binary,
    logFile: logFile(s),
    detached: s.detached,
    args: apiserverArgs({ dir: s.dir, etcdUrl: s.etcdUrl, files: certs.files }, port),
  }, {
    what: "kube-apiserver /readyz",
    timeoutMs: s.readyTimeoutMs,
    intervalMs: 150,
    check: async () => {
      const res = await httpGet(`${url}/readyz`, { ca: certs.ca.certPem, cert: certs.admin.certPem, key: certs.admin.keyPem });
      return res.status === 200;
    },
  });
}
