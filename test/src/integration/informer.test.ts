// The shared Informer on a real API server: list, then watch events; a list the server refuses is
// restarted with the shared backoff until it is allowed, and the cache then holds what was missed.
import { Writable } from "node:stream";
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api, type V1ConfigMap } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger, Informer, makeClients, type InformerEvent } from "@flotilla/shared";
import { startControlPlane, type ControlPlane } from "../harness/controlplane.js";

const configMaps = { group: "", version: "v1", plural: "configmaps", kind: "ConfigMap" };

/** Polls `probe` until it answers true (a condition, not a fixed sleep). */
async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A logger whose JSON lines are kept for the test to read. */
function capturingLogger() {
  const lines: { msg?: string; status?: number; retryInMs?: number }[] = [];
  const destination = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk)) as (typeof lines)[number]), done()) });
  return { logger: createLogger({ level: "debug", destination }), lines };
}

let cp: ControlPlane;
let core: CoreV1Api;
beforeAll(async () => {
  cp = await startControlPlane({ name: "informer", controllerManager: false });
  core = cp.kubeConfig.makeApiClient(CoreV1Api);
  for (const name of ["watched", "guarded"]) await core.createNamespace({ body: { metadata: { name } } });
});
afterAll(async () => {
  await cp?.stop();
});

const cm = (name: string, data: Record<string, string>): V1ConfigMap => ({ metadata: { name }, data });

describe("Informer on a real API server", () => {
  it("lists, then follows adds, updates and deletes", async () => {
    await core.createNamespacedConfigMap({ namespace: "watched", body: cm("before", { a: "1" }) });
    const { logger } = capturingLogger();
    const inf = new Informer<V1ConfigMap>({ clients: makeClients(cp.kubeConfig), resource: configMaps, namespace: "watched", logger });
    const events: string[] = [];
    inf.on((e: InformerEvent, o) => events.push(`${e} ${o.metadata?.name}`));
    try {
      await inf.start();
      await inf.synced;
      expect(inf.get("before", "watched")?.data).toEqual({ a: "1" });

      await core.createNamespacedConfigMap({ namespace: "watched", body: cm("after", { b: "1" }) });
      await until("the add", () => inf.get("after", "watched") !== undefined);
      await core.replaceNamespacedConfigMap({ name: "before", namespace: "watched", body: cm("before", { a: "2" }) });
      await until("the update", () => inf.get("before", "watched")?.data?.a === "2");
      await core.deleteNamespacedConfigMap({ name: "after", namespace: "watched" });
      await until("the delete", () => inf.get("after", "watched") === undefined);
      expect(events).toEqual(["add before", "add after", "update before", "delete after"]);
    } finally {
      await inf.stop();
    }
  });

  it("a list the server refuses is restarted with backoff until RBAC allows it, then the cache is complete", async () => {
    await core.createNamespacedConfigMap({ namespace: "guarded", body: cm("one", { a: "1" }) });
    const kc = new KubeConfig();
    kc.loadFromFile(await cp.writeUserKubeconfig("late-reader"));
    const { logger, lines } = capturingLogger();
    const inf = new Informer<V1ConfigMap>({
      clients: makeClients(kc), resource: configMaps, namespace: "guarded", logger, backoff: { baseMs: 100, maxMs: 400, jitter: 0 },
    });
    let synced = false;
    void inf.synced.then(() => (synced = true));
    const refusals = () => lines.filter((l) => l.msg === "watch failed; restarting" && l.status === 403);
    try {
      await inf.start();
      await until("three refused lists", () => refusals().length >= 3);
      expect(synced).toBe(false);
      expect(refusals().slice(0, 3).map((l) => l.retryInMs)).toEqual([100, 200, 400]);

      await core.createNamespacedConfigMap({ namespace: "guarded", body: cm("two", { a: "2" }) });
      const rbac = cp.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
      await rbac.createNamespacedRole({ namespace: "guarded", body: { metadata: { name: "reader" }, rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch"] }] } });
      await rbac.createNamespacedRoleBinding({
        namespace: "guarded",
        body: { metadata: { name: "reader" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "reader" }, subjects: [{ kind: "User", name: "late-reader", apiGroup: "rbac.authorization.k8s.io" }] },
      });
      await until("the informer to sync", () => synced);
      expect(inf.list("guarded").map((o) => o.metadata?.name).sort()).toEqual(["one", "two"]);
      // and it keeps watching from there
      await core.createNamespacedConfigMap({ namespace: "guarded", body: cm("three", { a: "3" }) });
      await until("the add after recovery", () => inf.get("three", "guarded") !== undefined);
    } finally {
      await inf.stop();
    }
  });
});
