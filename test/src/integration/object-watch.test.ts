// The agent's ObjectWatch on a real API server: one informer per kind, by the addon label; what it
// caches, the tombstones it keeps for deleted and unlabelled objects, and kinds served later.
import { CoreV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADDON_NAME_LABEL, createLogger, makeClients } from "@flotilla/shared";
import { Applier } from "../../../agent/src/apply/applier.js";
import { RawObjectApi } from "../../../agent/src/apply/object-api.js";
import { ObjectWatch } from "../../../agent/src/watch/object-watch.js";
import { startControlPlane, type ControlPlane } from "../harness/controlplane.js";

async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let cp: ControlPlane;
let core: CoreV1Api;
let watch: ObjectWatch;
const changes: string[] = [];
beforeAll(async () => {
  cp = await startControlPlane({ name: "object-watch", controllerManager: false });
  core = cp.kubeConfig.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: "w" } } });
  const api = RawObjectApi.forConfig(cp.kubeConfig);
  watch = new ObjectWatch({
    clients: makeClients(cp.kubeConfig), resolve: (v, k) => api.resourceOf(v, k), logger: createLogger({ level: "silent" }),
    onChange: (addon, event, obj) => changes.push(`${addon} ${event} ${obj.metadata?.name ?? ""}`),
  });
});
afterAll(async () => {
  await watch?.stop();
  await cp?.stop();
});

const ref = (name: string) => ({ group: "", version: "v1", kind: "ConfigMap", namespace: "w", name });

describe("ObjectWatch on a real API server", () => {
  it("caches labelled objects of the kinds asked for, once listed, and keeps tombstones", async () => {
    await core.createNamespacedConfigMap({ namespace: "w", body: { metadata: { name: "mine", labels: { [ADDON_NAME_LABEL]: "a" } }, data: { k: "1" } } });
    await core.createNamespacedConfigMap({ namespace: "w", body: { metadata: { name: "other" }, data: { k: "1" } } });
    expect(watch.lookup(ref("mine"))).toBe("unknown");
    const t0 = performance.now();
    await watch.ensure([ref("mine"), { group: "widgets.example.com", version: "v1", kind: "Widget" }]);
    // listed well before ensure's own bound (5 s)
    expect(performance.now() - t0).toBeLessThan(4_000);
    expect(watch.lookup(ref("mine"))).toMatchObject({ metadata: { name: "mine" } });
    expect(watch.lookup(ref("other"))).toBeUndefined();
    expect(watch.lookup({ group: "widgets.example.com", version: "v1", kind: "Widget", name: "x" })).toBe("unknown");

    const uid = (watch.lookup(ref("mine")) as { metadata: { uid: string } }).metadata.uid;
    // losing the label takes it out of the watch: a tombstone, and its addon is still told
    await core.patchNamespacedConfigMap({ namespace: "w", name: "mine", body: [{ op: "remove", path: `/metadata/labels/${ADDON_NAME_LABEL.replace("/", "~1")}` }] });
    await until("unlabelled object gone from the cache", () => watch.lookup(ref("mine")) === undefined);
    expect(watch.deletedUid(ref("mine"))).toBe(uid);
    expect(changes).toContain("a delete mine");
    await core.deleteNamespacedConfigMap({ namespace: "w", name: "mine" });

    await core.createNamespacedConfigMap({ namespace: "w", body: { metadata: { name: "mine", labels: { [ADDON_NAME_LABEL]: "a" } } } });
    await until("re-created object cached", () => watch.lookup(ref("mine")) !== undefined);
    expect(watch.deletedUid(ref("mine"))).toBeUndefined();
  });

  it("tells the applier who holds an object, so a cold apply reads nothing back", async () => {
    let reads = 0;
    class CountingApi extends RawObjectApi {
      override async get(...args: Parameters<RawObjectApi["get"]>) {
        reads++;
        return super.get(...args);
      }
    }
    const api = cp.kubeConfig.makeApiClient(CountingApi);
    const applier = new Applier({ api, cache: watch, logger: createLogger({ level: "silent" }) });
    const maps = Array.from({ length: 20 }, (_, i) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: `cold-${i}`, namespace: "w", labels: { [ADDON_NAME_LABEL]: "b" } }, data: {} }));
    const out = await applier.apply(maps, { owned: new Set() });
    expect(out.error).toBeUndefined();
    expect(out.applied).toHaveLength(20);
    expect(reads).toBe(0);
  });
});
