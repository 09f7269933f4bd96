import { describe, expect, it } from "vitest";
import { pino } from "pino";
import { Registry } from "prom-client";
import type { AddonReport, Clock, DesiredBundle, DriftPolicy, KubeObject } from "@flotilla/shared";
import type { Applier } from "../apply/applier.js";
import type { BundleRead, DesiredReader } from "../bus/desired-reader.js";
import type { HealthCollector } from "../health/collect.js";
import { AddonHooks } from "../hooks/addon-hooks.js";
import type { HookPhase } from "../hooks/plan.js";
import type { InventoryItem, ObjectRef } from "../inventory/ref.js";
import type { AppliedAddOnStore } from "../inventory/store.js";
import { agentMetrics } from "../metrics.js";
import { ApplyError } from "../errors.js";
import { AddonReconciler, type AddonReconcilerOptions } from "./addon-reconciler.js";
import { AddonStates } from "./addon-states.js";
import { AgentState } from "./state.js";

const RESYNC = 30_000;
const deployment: KubeObject = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "server", namespace: "demo-ns" } };
const preInstall: KubeObject = { apiVersion: "batch/v1", kind: "Job", metadata: { name: "migrate", namespace: "demo-ns", annotations: { "helm.sh/hook": "pre-install" } } };
const postInstall: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "notify", namespace: "demo-ns", annotations: { "helm.sh/hook": "post-install" } } };
const bundle = (driftPolicy: DriftPolicy = "Correct", objects = [deployment]): DesiredBundle => ({
  version: 1, kind: "DesiredBundle", cluster: "c1", addon: "demo", revision: "demo-1", installNamespace: "demo-ns", driftPolicy, objects,
});

/** The reconciler with every dependency faked; `t` is the time its clock reads. */
function setup(o: { read?: () => BundleRead; driftPolicy?: DriftPolicy; watched?: boolean; failHook?: HookPhase; identity?: AddonReconcilerOptions["identity"] } = {}) {
  const state = new AgentState();
  state.index = { version: 1, kind: "DesiredIndex", cluster: "c1", addons: { demo: { revision: "demo-1", digest: "d1" } } };
  const calls = { reads: 0, applies: 0, saves: 0, puts: [] as AddonReport[], hooks: [] as string[] };
  const deleted = new Map<string, string>(); // name → uid deleted
  const cache = new Map<string, KubeObject>(); // name → the watch's copy (watched mode)
  const applied: KubeObject[][] = [];
  let uid = 0;
  const env = { t: 1_000_000 };
  const clock: Clock = { now: () => env.t, setTimer: () => ({ cancel: () => {} }), sleep: async () => {} };
  const reader = {
    async readBundle(): Promise<BundleRead> {
      calls.reads++;
      return o.read ? o.read() : { kind: "ok", bundle: bundle(o.driftPolicy, o.failHook ? [deployment, preInstall, postInstall] : [deployment]), revision: 1 };
    },
  };
  const applier = {
    prepare: async (b: DesiredBundle) => b.objects,
    async apply(objects: KubeObject[]) {
      calls.applies++;
      applied.push(objects);
      const u = `uid-${++uid}`;
      const live = (x: KubeObject): KubeObject => ({ ...x, metadata: { ...x.metadata, uid: u, resourceVersion: String(10 * uid), managedFields: [ours] } });
      for (const x of objects) cache.set(x.metadata.name, live(x));
      return { applied: objects.map((x) => ({ item: { group: "apps", version: "v1", kind: x.kind, namespace: x.metadata.namespace, name: x.metadata.name, uid: u } as InventoryItem, live: live(x) })) };
    },
    delete: async () => ({ deleted: [], skipped: [], failed: [] }),
  };
  const store = { save: async () => void calls.saves++, remove: async () => {} };
  const collector = { collect: async () => ({ health: { total: 1, ready: 1, failed: 0, problems: [] }, resources: [] }) };
  const metrics = agentMetrics(new Registry());
  const runner = {
    async runPhase(_addon: string, phase: HookPhase, hooks: readonly { object: KubeObject }[]) {
      calls.hooks.push(...hooks.map((h) => `${phase} ${h.object.metadata.name}`));
      const failed = phase === o.failHook && hooks[0] ? { hook: hooks[0], phase, result: "failed" as const, reason: "Failed" as const, message: `${phase} hook Job demo-ns/migrate: Job failed: BackoffLimitExceeded` } : undefined;
      return { results: [], ...(failed ? { failed } : {}) };
    },
  };
  const r = new AddonReconciler({
    cluster: "c1", state,
    reader: () => reader as unknown as DesiredReader,
    applier: applier as unknown as Applier,
    hooks: new AddonHooks({ runner: runner as never, applier: applier as unknown as Applier, defaultTimeoutMs: 1000 }),
    store: store as unknown as AppliedAddOnStore,
    watch: {
      ensure: async () => {},
      deletedUid: (ref: ObjectRef) => deleted.get(ref.name),
      lookup: (ref: ObjectRef) => (deleted.has(ref.name) ? undefined : o.watched ? cache.get(ref.name) : "unknown"),
    },
    collector: collector as unknown as HealthCollector,
    writer: { putReport: (rep: AddonReport) => void calls.puts.push(rep), deleteReport: () => {} },
    metrics, states: new AddonStates(metrics.addons), logger: pino({ level: "silent" }),
    healthPollMs: 2000, resyncMs: RESYNC, reapplyMs: 10 * RESYNC, clock, ...(o.identity ? { identity: o.identity } : {}),
  });
  return { r, calls, env, deleted, state, cache, applied, metrics, applier };
}

const ours = { manager: "flotilla-agent", operation: "Apply", fieldsV1: { "f:spec": { "f:replicas": {} } } };
/** The cached copy after another manager took `.spec.replicas` with an update. */
const takenBy = (o: KubeObject, manager: string): KubeObject => ({
  ...o,
  metadata: { ...o.metadata, resourceVersion: `${o.metadata.resourceVersion as string}1`, managedFields: [{ ...ours, fieldsV1: {} }, { manager, operation: "Update", fieldsV1: { "f:spec": { "f:replicas": {} } } }] },
});
const drifted = (rep: AddonReport | undefined) => rep?.conditions.find((c) => c.type === "Drifted");

describe("AddonReconciler: what is due follows from the facts and the time", () => {
  it("applies a new bundle once, then again a resync period later when its kinds are not watched; re-sends an unchanged report (and re-asserts the record) only every re-apply period", async () => {
    const { r, calls, env } = setup();
    expect(await r.reconcile("demo")).toEqual({ requeueAfterMs: RESYNC });
    expect([calls.reads, calls.applies, calls.puts.length]).toEqual([1, 1, 1]);
    env.t += 1000;
    expect(await r.reconcile("demo")).toEqual({ requeueAfterMs: RESYNC - 1000 });
    expect([calls.reads, calls.applies, calls.puts.length]).toEqual([1, 1, 1]);
    env.t += RESYNC;
    await r.reconcile("demo");
    expect([calls.reads, calls.applies, calls.puts.length]).toEqual([1, 2, 1]);
    const saves = calls.saves;
    env.t += 10 * RESYNC;
    await r.reconcile("demo");
    expect([calls.applies, calls.puts.length]).toEqual([3, 2]);
    expect(calls.saves).toBeGreaterThan(saves);
  });

  it("with driftPolicy Report leaves drift alone but still re-sends the report every re-apply period", async () => {
    const { r, calls, env } = setup({ driftPolicy: "Report" });
    await r.reconcile("demo");
    env.t += 10 * RESYNC;
    await r.reconcile("demo");
    expect([calls.applies, calls.puts.length]).toEqual([1, 2]);
  });

  it("sends an unchanged report again once the sent ones are forgotten (the bus came back)", async () => {
    const { r, calls, state } = setup();
    await r.reconcile("demo");
    await r.reconcile("demo");
    expect(calls.puts.length).toBe(1);
    state.forgetSentReports();
    await r.reconcile("demo");
    expect(calls.puts.length).toBe(2);
  });

  it("re-applies when an applied object was deleted by someone else, not when an older copy was", async () => {
    const { r, calls, env, deleted } = setup();
    await r.reconcile("demo");
    deleted.set("server", "uid-0");
    env.t += 10;
    await r.reconcile("demo");
    expect(calls.applies).toBe(1);
    deleted.set("server", "uid-1");
    await r.reconcile("demo");
    expect(calls.applies).toBe(2);
    // the re-applied object has a new uid: the old tombstone no longer counts
    await r.reconcile("demo");
    expect(calls.applies).toBe(2);
  });

  it("does not read a dropped bundle again until a resync period has passed", async () => {
    const { r, calls, env } = setup({ read: () => ({ kind: "invalid", invalid: { ok: false, reason: "NotJSON", error: "x" } }) });
    expect(await r.reconcile("demo")).toEqual({ requeueAfterMs: RESYNC });
    expect(calls.puts.at(-1)?.conditions.find((c) => c.type === "Applied")?.reason).toBe("InvalidBundle");
    env.t += RESYNC - 1;
    await r.reconcile("demo");
    expect(calls.reads).toBe(1);
    env.t += 1;
    await r.reconcile("demo");
    expect(calls.reads).toBe(2);
  });

  it("a failing pre-install hook fails the revision: nothing else applied, Degraded, tried again only at resync", async () => {
    const { r, calls, env } = setup({ failHook: "pre-install" });
    expect(await r.reconcile("demo")).toEqual({ requeueAfterMs: RESYNC });
    expect(calls.hooks).toEqual(["pre-install migrate"]);
    expect(calls.applies).toBe(0);
    // what the hub saw while the hook ran, then the failure
    expect(calls.puts.map((p) => p.conditions.find((c) => c.type === "Applied")?.message).slice(-2)).toEqual([
      "running pre-install hooks: Job demo-ns/migrate", "pre-install hook Job demo-ns/migrate: Job failed: BackoffLimitExceeded",
    ]);
    const conds = Object.fromEntries((calls.puts.at(-1)?.conditions ?? []).map((c) => [c.type, `${c.status}/${c.reason}`]));
    expect(conds).toMatchObject({ Applied: "False/HookFailed", Degraded: "True/HookFailed" });
    expect(calls.puts.at(-1)?.conditions.find((c) => c.type === "Applied")?.message).toMatch(/pre-install hook Job demo-ns\/migrate: Job failed/);
    env.t += RESYNC - 1;
    await r.reconcile("demo");
    expect(calls.hooks).toHaveLength(1);
    env.t += 1;
    await r.reconcile("demo");
    expect(calls.hooks).toHaveLength(2);
  });

  it("runs install hooks once: a resync re-apply of the applied revision runs none", async () => {
    const { r, calls, env } = setup({ failHook: "post-delete" });
    await r.reconcile("demo");
    expect([calls.hooks, calls.applies]).toEqual([["pre-install migrate", "post-install notify"], 1]);
    env.t += RESYNC;
    await r.reconcile("demo");
    expect([calls.hooks, calls.applies]).toEqual([["pre-install migrate", "post-install notify"], 2]);
  });

  it("a failing post-install hook leaves the revision not applied: the objects are recorded, and the retry runs every hook again", async () => {
    const { r, calls, env, state } = setup({ failHook: "post-install" });
    await r.reconcile("demo");
    expect([calls.hooks, calls.applies]).toEqual([["pre-install migrate", "post-install notify"], 1]);
    expect(calls.puts.at(-1)?.conditions.find((c) => c.type === "Applied")).toMatchObject({ status: "False", reason: "HookFailed" });
    const rec = state.records.get("demo");
    expect(rec?.appliedRevision).toBeUndefined();
    expect(rec?.inventory.map((i) => i.name)).toEqual(["server"]);
    expect(rec?.hooks?.map((h) => h.metadata.name)).toEqual(["migrate", "notify"]);
    env.t += RESYNC;
    await r.reconcile("demo");
    expect(calls.hooks).toEqual(["pre-install migrate", "post-install notify", "pre-install migrate", "post-install notify"]);
  });
});

describe("AddonReconciler with addon identities", () => {
  /** An identity whose applier the API server refuses with a 403, recording what the reconciler asks of it. */
  function refusingIdentity(log: string[]) {
    const forbidden = Object.assign(new Error("forbidden"), { code: 403, body: { message: 'secrets "t" is forbidden: User "system:serviceaccount:flotilla-system:flotilla-addon-demo" cannot patch resource "secrets"' } });
    const applier = {
      prepare: async (b: DesiredBundle) => b.objects,
      apply: async () => (log.push("apply"), { applied: [], error: new ApplyError({ kind: "Secret", namespace: "demo-ns", name: "t" }, forbidden) }),
      delete: async () => (log.push("delete"), { deleted: [], skipped: [], failed: [] }),
    };
    return {
      applier: () => applier as unknown as Applier,
      ensure: async (b: DesiredBundle) => void log.push(`ensure ${b.addon}`),
      ensureForUninstall: async (addon: string) => void log.push(`ensure for uninstall ${addon}`),
      remove: async (addon: string) => void log.push(`remove ${addon}`),
    };
  }

  it("writes the identity before applying as it; a 403 is Applied=False/Forbidden, tried again only at the next resync", async () => {
    const log: string[] = [];
    const { r, calls, env } = setup({ identity: refusingIdentity(log) });
    expect(await r.reconcile("demo")).toEqual({ requeueAfterMs: RESYNC });
    expect(log).toEqual(["ensure demo", "apply"]);
    const applied = calls.puts.at(-1)?.conditions.find((c) => c.type === "Applied");
    expect(applied).toMatchObject({ status: "False", reason: "Forbidden" });
    expect(applied?.message).toMatch(/^Secret demo-ns\/t: .*flotilla-addon-demo/);
    env.t += RESYNC - 1;
    await r.reconcile("demo");
    expect(log).toEqual(["ensure demo", "apply"]);
    env.t += 1;
    await r.reconcile("demo");
    expect(log).toEqual(["ensure demo", "apply", "ensure demo", "apply"]);
  });

  it("corrects drift as the addon too", async () => {
    const log: string[] = [];
    const to: { inner?: Pick<Applier, "prepare" | "apply" | "delete"> } = {};
    const identity = {
      applier: () =>
        ({
          prepare: (b: DesiredBundle) => (to.inner as Pick<Applier, "prepare">).prepare(b),
          apply: (o: KubeObject[], c?: Parameters<Applier["apply"]>[1]) => (log.push(`apply as addon: ${o.map((x) => x.metadata.name).join(",")}`), (to.inner as Pick<Applier, "apply">).apply(o, c)),
          delete: (...a: Parameters<Applier["delete"]>) => (to.inner as Pick<Applier, "delete">).delete(...a),
        }) as unknown as Applier,
      ensure: async () => {},
      ensureForUninstall: async () => {},
      remove: async () => {},
    };
    const { r, cache, applier } = setup({ watched: true, identity });
    to.inner = applier as unknown as Pick<Applier, "prepare" | "apply" | "delete">;
    await r.reconcile("demo");
    cache.set("server", takenBy(cache.get("server") as KubeObject, "kubectl-edit"));
    await r.reconcile("demo");
    expect(log).toEqual(["apply as addon: server", "apply as addon: server"]);
  });

  it("uninstalls as the addon, then removes its identity", async () => {
    const log: string[] = [];
    const { r, state } = setup({ identity: refusingIdentity(log) });
    state.records.set("demo", { addon: "demo", revision: "demo-1", inventory: [], conditions: [] });
    state.index = { version: 1, kind: "DesiredIndex", cluster: "c1", addons: {} };
    await r.reconcile("demo");
    expect(log).toEqual(["ensure for uninstall demo", "delete", "remove demo"]);
  });
});

describe("AddonReconciler: drift from the watch", () => {
  it("puts back only the object another manager changed, and says so in Drifted", async () => {
    const { r, calls, cache, applied, metrics } = setup({ watched: true });
    await r.reconcile("demo");
    expect(drifted(calls.puts.at(-1))).toMatchObject({ status: "False", reason: "NoDrift" });
    cache.set("server", takenBy(cache.get("server") as KubeObject, "kubectl-edit"));
    await r.reconcile("demo");
    expect(calls.applies).toBe(2);
    expect(applied[1]?.map((x) => x.metadata.name)).toEqual(["server"]);
    expect(drifted(calls.puts.at(-1))).toMatchObject({ status: "False", reason: "Corrected" });
    expect(drifted(calls.puts.at(-1))?.message).toContain("Deployment demo-ns/server: .spec.replicas changed by kubectl-edit");
    expect((await metrics.driftCorrections.get()).values).toEqual([{ value: 1, labels: { kind: "Deployment" } }]);
    // the correction is seen by the watch: nothing more to do
    await r.reconcile("demo");
    expect(calls.applies).toBe(2);
  });

  it("under driftPolicy Report only reports it, and stops once the field is back", async () => {
    const { r, calls, cache } = setup({ watched: true, driftPolicy: "Report" });
    await r.reconcile("demo");
    const before = cache.get("server") as KubeObject;
    cache.set("server", takenBy(before, "kubectl-edit"));
    await r.reconcile("demo");
    expect(calls.applies).toBe(1);
    expect(drifted(calls.puts.at(-1))).toMatchObject({ status: "True", reason: "DriftDetected" });
    cache.set("server", before);
    await r.reconcile("demo");
    expect(drifted(calls.puts.at(-1))).toMatchObject({ status: "False", reason: "NoDrift" });
  });

  it("with every kind watched, re-applies after reapplyMs, not every resync", async () => {
    const { r, calls, env } = setup({ watched: true });
    expect(await r.reconcile("demo")).toEqual({ requeueAfterMs: 10 * RESYNC });
    env.t += RESYNC;
    await r.reconcile("demo");
    expect(calls.applies).toBe(1);
    env.t += 9 * RESYNC;
    await r.reconcile("demo");
    expect(calls.applies).toBe(2);
  });
});
