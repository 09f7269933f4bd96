// The agent's hook runner on a real API server: hooks in Helm's order, a Job hook waited for by watch
// until its status says Complete or Failed, before-hook-creation replacing a leftover, the delete
// policies, the deadline, and stop. The control plane runs no job controller (and no kubelet), so the
// test plays the job controller: it writes the Job's status through the status subresource, as the
// workload simulator's pure `statusPatch` says the controller would.
import { BatchV1Api, CoreV1Api, type V1Job } from "@kubernetes/client-node";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADDON_NAME_LABEL, createLogger, makeClients, type KubeObject } from "@flotilla/shared";
import { RawObjectApi } from "../../../agent/src/apply/object-api.js";
import { phaseHooks, splitHooks, type Hook } from "../../../agent/src/hooks/plan.js";
import { HookRunner } from "../../../agent/src/hooks/runner.js";
import { agentMetrics } from "../../../agent/src/metrics.js";
import { startControlPlane, type ControlPlane } from "../harness/controlplane.js";
import { finishJob as writeJobStatus } from "../harness/simulator/finish-job.js";
import { waitFor } from "../e2e/support.js";

const logger = createLogger({ level: "silent" });
const NS = "hooks";
const ADDON = "demo";

/** A hook as the applier's prepare leaves it: labelled with its addon, in its namespace. */
function hookObject(kind: "Job" | "ConfigMap", name: string, annotations: Record<string, string>): KubeObject {
  const metadata = { name, namespace: NS, labels: { [ADDON_NAME_LABEL]: ADDON }, annotations };
  if (kind === "ConfigMap") return { apiVersion: "v1", kind, metadata, data: { at: "hook" } };
  return {
    apiVersion: "batch/v1", kind, metadata,
    spec: { backoffLimit: 0, template: { spec: { restartPolicy: "Never", containers: [{ name: "run", image: "busybox", command: ["true"] }] } } },
  };
}
const hooksOf = (...objects: KubeObject[]): Hook[] => splitHooks(objects, 30_000).hooks;

let cp: ControlPlane;
let batch: BatchV1Api;
let core: CoreV1Api;
let runner: HookRunner;
let registry: Registry;

const finishJob = (name: string, outcome: "ready" | "fail"): Promise<void> => writeJobStatus(batch, NS, name, outcome);
const job = (name: string): Promise<V1Job | undefined> => batch.readNamespacedJob({ name, namespace: NS }).catch(() => undefined);
const runs = async (phase: string, result: string): Promise<number> =>
  ((await registry.getSingleMetric("flotilla_agent_hook_runs_total")?.get())?.values.find((v) => v.labels.phase === phase && v.labels.result === result)?.value ?? 0);

beforeAll(async () => {
  cp = await startControlPlane({ name: "hooks-runner", controllerManager: false });
  batch = cp.kubeConfig.makeApiClient(BatchV1Api);
  core = cp.kubeConfig.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: NS } } });
  registry = new Registry();
  runner = new HookRunner({ api: RawObjectApi.forConfig(cp.kubeConfig), watch: makeClients(cp.kubeConfig).watch, logger, runs: agentMetrics(registry).hookRuns });
});
afterAll(async () => {
  await cp?.stop();
});

describe("HookRunner on a real API server", () => {
  it("runs a phase in order, waits for the Job until it is Complete, then applies hook-succeeded", async () => {
    const hooks = phaseHooks(hooksOf(
      hookObject("Job", "migrate", { "helm.sh/hook": "pre-install", "helm.sh/hook-delete-policy": "hook-succeeded" }),
      hookObject("ConfigMap", "settings", { "helm.sh/hook": "pre-install", "helm.sh/hook-weight": "-5" }),
    ), "pre-install");
    let settled = false;
    const run = runner.runPhase(ADDON, "pre-install", hooks).finally(() => (settled = true));
    const created = await waitFor("the hook Job is created", () => job("migrate"));
    const settings = await core.readNamespacedConfigMap({ name: "settings", namespace: NS });
    // weight -5 first: the ConfigMap existed before the Job was made
    expect(new Date(settings.metadata?.creationTimestamp ?? 0).getTime()).toBeLessThanOrEqual(new Date(created.metadata?.creationTimestamp ?? 0).getTime());
    expect(settled).toBe(false);
    await finishJob("migrate", "ready");
    const r = await run;
    expect(r.failed).toBeUndefined();
    expect(r.results.map((x) => `${x.hook.object.kind}/${x.hook.object.metadata.name}:${x.result}`)).toEqual(["ConfigMap/settings:succeeded", "Job/migrate:succeeded"]);
    await waitFor("hook-succeeded deleted the Job", async () => (await job("migrate")) === undefined, 10_000);
    // no delete policy: before-hook-creation, so the ConfigMap stays until the next run
    expect((await core.readNamespacedConfigMap({ name: "settings", namespace: NS })).metadata?.name).toBe("settings");
    expect(await runs("pre-install", "succeeded")).toBe(2);
  });

  it("before-hook-creation deletes a leftover and makes a new one; a Failed Job fails the hook and hook-failed deletes it", async () => {
    const [leftover] = hooksOf(hookObject("Job", "upgrade-db", { "helm.sh/hook": "pre-upgrade" }));
    const first = runner.runOne(ADDON, "pre-upgrade", leftover as Hook);
    await waitFor("the first Job", () => job("upgrade-db"));
    await finishJob("upgrade-db", "ready");
    expect((await first).result).toBe("succeeded");
    const oldUid = (await job("upgrade-db"))?.metadata?.uid;
    expect(oldUid).toBeDefined();

    const [again] = hooksOf(hookObject("Job", "upgrade-db", { "helm.sh/hook": "pre-upgrade", "helm.sh/hook-delete-policy": "before-hook-creation,hook-failed" }));
    const second = runner.runOne(ADDON, "pre-upgrade", again as Hook);
    const replaced = await waitFor("a new Job in place of the leftover", async () => {
      const j = await job("upgrade-db");
      return j?.metadata?.uid && j.metadata.uid !== oldUid ? j : undefined;
    });
    expect(replaced.status?.conditions ?? []).toEqual([]);
    await finishJob("upgrade-db", "fail");
    const r = await second;
    expect(r).toMatchObject({ result: "failed", reason: "Failed" });
    expect(r.result !== "succeeded" && r.message).toMatch(/^pre-upgrade hook Job hooks\/upgrade-db: Job failed: BackoffLimitExceeded/);
    await waitFor("hook-failed deleted the Job", async () => (await job("upgrade-db")) === undefined, 10_000);
  });

  it("fails a hook at its deadline (Timeout) and leaves an object that is not the addon's alone", async () => {
    const [slow] = hooksOf(hookObject("Job", "slow", { "helm.sh/hook": "pre-delete", "addon.flotilla.dev/hook-timeout": "1500ms" }));
    const t0 = Date.now();
    const r = await runner.runOne(ADDON, "pre-delete", slow as Hook);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1500);
    expect(r).toMatchObject({ result: "timeout", reason: "Timeout" });
    expect(r.result !== "succeeded" && r.message).toMatch(/Timeout: not finished within its deadline of 1.5s/);
    expect(await runs("pre-delete", "timeout")).toBe(0); // runOne is not counted; runPhase is

    await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: "theirs" }, data: { owner: "someone" } } });
    const [theirs] = hooksOf(hookObject("ConfigMap", "theirs", { "helm.sh/hook": "post-install" }));
    const r2 = await runner.runPhase(ADDON, "post-install", [theirs as Hook]);
    expect(r2.failed).toMatchObject({ reason: "NotOurs" });
    expect((await core.readNamespacedConfigMap({ name: "theirs", namespace: NS })).data).toEqual({ owner: "someone" });
    expect(await runs("post-install", "failed")).toBe(1);

    // a namespace that is not there (a pre-install hook before the addon's Namespace, a post-delete
    // hook after the uninstall deleted it) fails the hook instead of being retried forever
    const [lost] = hooksOf({ ...hookObject("ConfigMap", "lost", { "helm.sh/hook": "post-delete" }), metadata: { name: "lost", namespace: "gone", labels: { [ADDON_NAME_LABEL]: ADDON }, annotations: { "helm.sh/hook": "post-delete" } } });
    const r3 = await runner.runOne(ADDON, "post-delete", lost as Hook);
    expect(r3).toMatchObject({ result: "failed", reason: "Refused" });
    expect(r3.result !== "succeeded" && r3.message).toMatch(/namespaces "gone" not found/);
  });

  it("stops waiting when the agent stops", async () => {
    const abort = new AbortController();
    const stoppable = new HookRunner({ api: RawObjectApi.forConfig(cp.kubeConfig), watch: makeClients(cp.kubeConfig).watch, logger, runs: agentMetrics(new Registry()).hookRuns, signal: abort.signal });
    const [h] = hooksOf(hookObject("Job", "forever", { "helm.sh/hook": "post-install" }));
    const run = stoppable.runOne(ADDON, "post-install", h as Hook);
    await waitFor("the Job exists", () => job("forever"));
    abort.abort(new Error("stopping"));
    await expect(run).rejects.toThrow("stopping");
  });
});
