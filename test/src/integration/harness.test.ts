import { stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { CoreV1Api, KubeConfig, VersionApi } from "@kubernetes/client-node";
import { Kvm } from "@nats-io/kv";
import { connect } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBinaries, type Binaries } from "../harness/binaries.js";
import { startControlPlane, type ControlPlane } from "../harness/controlplane.js";
import { ProcessStartError } from "../harness/errors.js";
import { startNats, type NatsServer } from "../harness/nats.js";
import { pidAlive } from "../harness/processes.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";
import { waitFor } from "../e2e/support.js";

const K8S_VERSION = "v1.35.4";

function report(what: string, figures: object): void {
  process.stderr.write(`[harness figures] ${what}: ${JSON.stringify(figures)}\n`);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function statusOf(err: unknown): number | undefined {
  return (err as { code?: number }).code;
}

let binaries: Binaries;
beforeAll(async () => {
  binaries = await ensureBinaries();
});

describe("one control plane alone", () => {
  it("starts, serves the pinned version, and stops without leftovers", async () => {
    const t0 = Date.now();
    const cp = await startControlPlane({ name: "solo", binaries });
    report("one control plane alone", { wallMs: Date.now() - t0, ...cp.timings });
    try {
      const version = await cp.kubeConfig.makeApiClient(VersionApi).getCode();
      expect(version.gitVersion).toBe(K8S_VERSION);
    } finally {
      await cp.stop();
    }
    expect(Object.values(cp.pids).filter(pidAlive)).toEqual([]);
    expect(await exists(cp.dir)).toBe(false);
  });
});

describe("a control plane that cannot start", () => {
  it("fails fast with the tail of the process log, and cleans up what it started", async () => {
    const scratch = await makeTempDir("fake-apiserver");
    try {
      const fake = join(scratch, "kube-apiserver");
      await writeFile(fake, "#!/bin/sh\necho 'E1121 fake apiserver: cannot serve'\nexit 3\n", { mode: 0o755 });
      const err = await startControlPlane({ name: "broken", binaries: { ...binaries, kubeApiserver: fake }, controllerManager: false }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ProcessStartError);
      const message = (err as Error).message;
      expect(message).toMatch(/kube-apiserver exited \(code 3/);
      expect(message).toContain("E1121 fake apiserver: cannot serve");
      const logFile = /last lines of (\S+kube-apiserver\.log)/.exec(message)?.[1];
      expect(logFile).toMatch(/^\/.+\/kube-apiserver\.log$/);
      expect(await exists(dirname(logFile!))).toBe(false); // etcd stopped, dir removed
    } finally {
      await removeDir(scratch);
    }
  });
});

describe("two control planes and NATS started in parallel", () => {
  let a: ControlPlane;
  let b: ControlPlane;
  let nats: NatsServer;

  beforeAll(async () => {
    const t0 = Date.now();
    const natsStarted = startNats().then((server) => {
      report("nats-server", { wallMs: Date.now() - t0 });
      return server;
    });
    [a, b, nats] = await Promise.all([
      startControlPlane({ name: "cluster-a", binaries }),
      startControlPlane({ name: "cluster-b", binaries }),
      natsStarted,
    ]);
    report("two control planes + nats in parallel", { wallMs: Date.now() - t0, a: a.timings, b: b.timings });
  });

  // Stopping is checked here rather than in a last `it`, so no test depends on running before it.
  afterAll(async () => {
    if (!a || !b || !nats) return; // the start failed and says so
    const pids = [...Object.values(a.pids), ...Object.values(b.pids), nats.pid!];
    const dirs = [a.dir, b.dir, nats.dir];
    await Promise.all([a.stop(), b.stop(), nats.dispose()]);
    expect(pids.filter(pidAlive), "pids still alive after stop").toEqual([]);
    for (const dir of dirs) expect(await exists(dir), `${dir} still there after stop`).toBe(false);
    expect(nats.pid).toBeUndefined();
  });

  it("each reports the pinned Kubernetes version", async () => {
    for (const cp of [a, b]) {
      const version = await cp.kubeConfig.makeApiClient(VersionApi).getCode();
      expect(version.gitVersion).toBe(K8S_VERSION);
      expect(version.minor).toBe("35");
    }
  });

  it("enforces RBAC: a user without bindings is forbidden, admin is not", async () => {
    const aliceConfig = new KubeConfig();
    aliceConfig.loadFromFile(await a.writeUserKubeconfig("alice", ["developers"]));
    const err = await aliceConfig.makeApiClient(CoreV1Api).listNamespace().then(() => undefined, (e: unknown) => e);
    expect(statusOf(err)).toBe(403);
    const namespaces = await a.kubeConfig.makeApiClient(CoreV1Api).listNamespace();
    expect(namespaces.items.map((ns) => ns.metadata?.name)).toContain("default");
  });

  it("keeps the clusters independent", async () => {
    await a.kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: "only-in-a" } } });
    const err = await b.kubeConfig
      .makeApiClient(CoreV1Api)
      .readNamespace({ name: "only-in-a" })
      .then(() => undefined, (e: unknown) => e);
    expect(statusOf(err)).toBe(404);
    expect(a.url).not.toBe(b.url);
  });

  it("runs the controller manager: aggregated roles and namespace deletion", async () => {
    const core = a.kubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: "to-delete" } } });
    await core.deleteNamespace({ name: "to-delete" });
    await waitFor("namespace to-delete gone", () => core.readNamespace({ name: "to-delete" }).then(() => false, (e: unknown) => statusOf(e) === 404), 30_000);
  });

  it("restarts one API server on its port with its certs and etcd: a client keeps its kubeconfig", async () => {
    const core = b.kubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: "before-restart" } } });
    const url = b.url;
    const pidBefore = b.pids.kubeApiserver;
    const t0 = Date.now();
    await b.stopApiserver();
    const stopMs = Date.now() - t0;
    expect(pidAlive(pidBefore)).toBe(false);
    expect(b.processes.kubeApiserver.exitStatus()).toBeDefined();
    expect(pidAlive(b.pids.etcd)).toBe(true);
    const down = await core.readNamespace({ name: "before-restart" }).then(() => undefined, (e: unknown) => e);
    expect(down).toBeInstanceOf(Error);

    const t1 = Date.now();
    await b.startApiserver();
    report("kube-apiserver stop and start", { stopMs, startMs: Date.now() - t1 });
    expect(b.url).toBe(url);
    expect(b.pids.kubeApiserver).not.toBe(pidBefore);
    expect(b.processes.kubeApiserver.pid).toBe(b.pids.kubeApiserver);
    // the same client object, certs and port: the data in etcd is served again
    const ns = await waitFor("namespace read after the restart", () => core.readNamespace({ name: "before-restart" }), 10_000);
    expect(ns.metadata?.name).toBe("before-restart");
    await b.startApiserver(); // a no-op while it runs
    expect(b.processes.kubeApiserver.pid).toBe(b.pids.kubeApiserver);
  });

  it("runs JetStream KV, and a restart keeps the data and the port", async () => {
    const port = nats.port;
    const pidBefore = nats.pid;
    let nc = await connect(nats.clientOptions());
    try {
      const kv = await new Kvm(nc).create("harness");
      await kv.put("greeting", "hello");
      expect((await kv.get("greeting"))?.string()).toBe("hello");
    } finally {
      await nc.close();
    }

    const t0 = Date.now();
    await nats.restart();
    report("nats-server restart", { wallMs: Date.now() - t0 });
    expect(nats.port).toBe(port);
    expect(nats.pid).not.toBe(pidBefore);
    expect(pidAlive(pidBefore!)).toBe(false);

    nc = await connect(nats.clientOptions());
    try {
      const kv = await new Kvm(nc).open("harness");
      expect((await kv.get("greeting"))?.string()).toBe("hello");
    } finally {
      await nc.close();
    }
  });
});
