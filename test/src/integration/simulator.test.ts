import { AppsV1Api, BatchV1Api, CoreV1Api, type V1Deployment, type V1PodTemplateSpec } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startControlPlane, type ControlPlane } from "../harness/controlplane.js";
import { WorkloadSimulator } from "../harness/simulator/simulator.js";
import { SIMULATE_ANNOTATION } from "@flotilla/shared";

const NS = "sim";
const labels = (app: string) => ({ app });
const template = (app: string): V1PodTemplateSpec => ({
  metadata: { labels: labels(app) },
  spec: { containers: [{ name: "main", image: "registry.invalid/app:1" }] },
});
const failing = { [SIMULATE_ANNOTATION]: "fail" };

async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function condition(obj: { status?: { conditions?: { type: string; status: string; reason?: string }[] } }, type: string) {
  return obj.status?.conditions?.find((c) => c.type === type);
}

describe("workload simulator against a real control plane", () => {
  let cp: ControlPlane;
  let sim: WorkloadSimulator;
  let apps: AppsV1Api;
  let batch: BatchV1Api;

  beforeAll(async () => {
    cp = await startControlPlane({ name: "sim" });
    sim = new WorkloadSimulator({ kubeConfig: cp.kubeConfig, readyDelayMs: 200 });
    await sim.start();
    apps = cp.kubeConfig.makeApiClient(AppsV1Api);
    batch = cp.kubeConfig.makeApiClient(BatchV1Api);
    await cp.kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: NS } } });
  });

  afterAll(async () => {
    await sim?.stop();
    await cp?.stop();
  });

  const deployment = (name: string, annotations: Record<string, string> = {}, replicas = 2): V1Deployment => ({
    metadata: { name, annotations },
    spec: { replicas, selector: { matchLabels: labels(name) }, template: template(name) },
  });

  it("makes a Deployment Available, and follows a new generation", async () => {
    const t0 = Date.now();
    await apps.createNamespacedDeployment({ namespace: NS, body: deployment("web") });
    const ready = await eventually(
      () => apps.readNamespacedDeployment({ name: "web", namespace: NS }),
      (d) => condition(d, "Available")?.status === "True",
    );
    process.stderr.write(`[harness figures] simulator: Deployment Available after ${Date.now() - t0} ms (readyDelayMs 200)\n`);
    expect(ready.status).toMatchObject({ observedGeneration: 1, replicas: 2, readyReplicas: 2, availableReplicas: 2, updatedReplicas: 2 });
    expect(condition(ready, "Progressing")).toMatchObject({ status: "True", reason: "NewReplicaSetAvailable" });

    await apps.patchNamespacedDeploymentScale(
      { name: "web", namespace: NS, body: [{ op: "replace", path: "/spec/replicas", value: 3 }] },
    );
    const scaled = await eventually(
      () => apps.readNamespacedDeployment({ name: "web", namespace: NS }),
      (d) => d.status?.observedGeneration === 2,
    );
    expect(scaled.status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3 });
  });

  it("fails a Deployment annotated to fail", async () => {
    await apps.createNamespacedDeployment({ namespace: NS, body: deployment("broken", failing) });
    const failed = await eventually(
      () => apps.readNamespacedDeployment({ name: "broken", namespace: NS }),
      (d) => condition(d, "Progressing")?.status === "False",
    );
    expect(condition(failed, "Progressing")).toMatchObject({ reason: "ProgressDeadlineExceeded" });
    expect(condition(failed, "Available")).toMatchObject({ status: "False" });
    expect(failed.status?.availableReplicas ?? 0).toBe(0);
  });

  it("makes StatefulSets and DaemonSets ready, or not when annotated to fail", async () => {
    const sts = (name: string, annotations: Record<string, string> = {}) => ({
      metadata: { name, annotations },
      spec: { replicas: 2, serviceName: name, selector: { matchLabels: labels(name) }, template: template(name) },
    });
    const ds = (name: string, annotations: Record<string, string> = {}) => ({
      metadata: { name, annotations },
      spec: { selector: { matchLabels: labels(name) }, template: template(name) },
    });
    await apps.createNamespacedStatefulSet({ namespace: NS, body: sts("db") });
    await apps.createNamespacedStatefulSet({ namespace: NS, body: sts("db-broken", failing) });
    await apps.createNamespacedDaemonSet({ namespace: NS, body: ds("agent") });
    await apps.createNamespacedDaemonSet({ namespace: NS, body: ds("agent-broken", failing) });

    const db = await eventually(() => apps.readNamespacedStatefulSet({ name: "db", namespace: NS }), (s) => s.status?.observedGeneration === 1);
    expect(db.status).toMatchObject({ replicas: 2, readyReplicas: 2, availableReplicas: 2, updatedReplicas: 2 });
    expect(db.status?.currentRevision).toBe(db.status?.updateRevision);
    const dbBroken = await eventually(
      () => apps.readNamespacedStatefulSet({ name: "db-broken", namespace: NS }),
      (s) => s.status?.observedGeneration === 1,
    );
    expect(dbBroken.status?.readyReplicas ?? 0).toBe(0);

    const agent = await eventually(() => apps.readNamespacedDaemonSet({ name: "agent", namespace: NS }), (d) => d.status?.observedGeneration === 1);
    expect(agent.status).toMatchObject({ desiredNumberScheduled: 1, numberReady: 1, numberAvailable: 1, updatedNumberScheduled: 1 });
    const agentBroken = await eventually(
      () => apps.readNamespacedDaemonSet({ name: "agent-broken", namespace: NS }),
      (d) => d.status?.observedGeneration === 1,
    );
    expect(agentBroken.status).toMatchObject({ numberReady: 0, numberUnavailable: 1 });
  });

  it("completes a Job, and fails one annotated to fail", async () => {
    const job = (name: string, annotations: Record<string, string> = {}) => ({
      metadata: { name, annotations },
      spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "main", image: "registry.invalid/job:1" }] } } },
    });
    await batch.createNamespacedJob({ namespace: NS, body: job("migrate") });
    await batch.createNamespacedJob({ namespace: NS, body: job("migrate-broken", failing) });
    const done = await eventually(() => batch.readNamespacedJob({ name: "migrate", namespace: NS }), (j) => condition(j, "Complete")?.status === "True");
    expect(done.status?.succeeded).toBe(1);
    const { startTime, completionTime } = done.status ?? {};
    expect(completionTime).toBeInstanceOf(Date);
    expect(completionTime!.getTime()).toBeGreaterThanOrEqual(startTime!.getTime());
    const broken = await eventually(
      () => batch.readNamespacedJob({ name: "migrate-broken", namespace: NS }),
      (j) => condition(j, "Failed")?.status === "True",
    );
    expect(broken.status?.failed).toBe(1);
    expect(condition(broken, "Complete")).toBeUndefined();
  });
});
