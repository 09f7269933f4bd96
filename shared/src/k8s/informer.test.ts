import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { pino } from "pino";
import type { KubernetesObject } from "@kubernetes/client-node";
import type { KubeClients } from "./clients.js";
import { Informer, type InformerEvent } from "./informer.js";

const cm = (name: string): KubernetesObject => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "ns", resourceVersion: "1" } });

/** List answers given in turn (an Error is thrown); the watch connects and stays quiet. */
function fakeClients(answers: (Error | KubernetesObject[])[]) {
  const lists: number[] = [];
  const clients = {
    objects: {
      list: async () => {
        lists.push(Date.now());
        const a = answers[Math.min(lists.length - 1, answers.length - 1)]!;
        if (a instanceof Error) throw a;
        return { items: a, metadata: { resourceVersion: "1" } };
      },
    },
    watch: { watch: async () => ({ abort: () => undefined }) },
  };
  return { clients: clients as unknown as KubeClients, lists };
}

const resource = { group: "", version: "v1", plural: "configmaps", kind: "ConfigMap" };
const logger = pino({ level: "silent" });

describe("Informer", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("restarts a failed list with the shared backoff until it succeeds, then is synced", async () => {
    const unavailable = Object.assign(new Error("service unavailable"), { code: 503 });
    const f = fakeClients([unavailable, unavailable, unavailable, [cm("a")]]);
    const inf = new Informer<KubernetesObject>({ clients: f.clients, resource, logger, backoff: { baseMs: 100, maxMs: 1_000, jitter: 0 } });
    let synced = false;
    void inf.synced.then(() => (synced = true));
    await inf.start();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(f.lists.map((t) => t - f.lists[0]!)).toEqual([0, 100, 300, 700]);
    expect(synced).toBe(true);
    expect(inf.list().map((o) => o.metadata?.name)).toEqual(["a"]);
    await inf.stop();
  });

  it("hands every cached object to the handlers again at each resync, until stopped", async () => {
    const f = fakeClients([[cm("a"), cm("b")]]);
    const inf = new Informer<KubernetesObject>({ clients: f.clients, resource, logger, resyncMs: 1_000 });
    const events: InformerEvent[] = [];
    inf.on((e) => events.push(e));
    await inf.start();
    await vi.advanceTimersByTimeAsync(2_500);
    expect(events).toEqual(["add", "add", "resync", "resync", "resync", "resync"]);
    await inf.stop();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(events).toHaveLength(6);
  });

  it("tells onStatus each list's outcome: the error classified (403 is Forbidden), then undefined once a list works", async () => {
    const forbidden = Object.assign(new Error("configmaps is forbidden"), { code: 403 });
    const f = fakeClients([forbidden, [cm("a")]]);
    const seen: (string | undefined)[] = [];
    const inf = new Informer<KubernetesObject>({ clients: f.clients, resource, logger, backoff: { baseMs: 100, maxMs: 1_000, jitter: 0 }, onStatus: (e) => seen.push(e?.code) });
    await inf.start();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(seen).toEqual(["Forbidden", undefined]);
    await inf.stop();
  });
});
