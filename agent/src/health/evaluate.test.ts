import { describe, expect, it } from "vitest";
import { evaluateObject, summarize, type LiveObject } from "./evaluate.js";

const dep = (spec: Record<string, unknown>, status: Record<string, unknown>, generation = 2): LiveObject => ({ kind: "Deployment", metadata: { generation }, spec, status });
const availableTrue = { type: "Available", status: "True", reason: "MinimumReplicasAvailable" };

describe("Deployment", () => {
  it.each<{ name: string; obj: LiveObject; ready: boolean; failed: boolean; message?: string }>([
    { name: "ready", obj: dep({ replicas: 2 }, { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2, conditions: [availableTrue] }), ready: true, failed: false },
    { name: "observedGeneration behind", obj: dep({ replicas: 2 }, { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2, conditions: [availableTrue] }), ready: false, failed: false, message: "waiting for the controller to observe the latest spec" },
    { name: "no status yet", obj: dep({ replicas: 1 }, {}), ready: false, failed: false, message: "waiting for the controller to observe the latest spec" },
    { name: "default replicas is 1", obj: dep({}, { observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 1, conditions: [availableTrue] }), ready: true, failed: false },
    { name: "not all updated", obj: dep({ replicas: 3 }, { observedGeneration: 2, replicas: 3, updatedReplicas: 2, availableReplicas: 3, conditions: [availableTrue] }), ready: false, failed: false, message: "2 of 3 replicas updated" },
    { name: "old replicas still around", obj: dep({ replicas: 2 }, { observedGeneration: 2, replicas: 3, updatedReplicas: 2, availableReplicas: 2, conditions: [availableTrue] }), ready: false, failed: false, message: "1 old replicas pending termination" },
    { name: "not enough available", obj: dep({ replicas: 2 }, { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 1, conditions: [availableTrue] }), ready: false, failed: false, message: "1 of 2 replicas available" },
    { name: "Available=False", obj: dep({ replicas: 1 }, { observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 1, conditions: [{ type: "Available", status: "False" }] }), ready: false, failed: false, message: "not Available" },
    { name: "zero replicas needs no Available", obj: dep({ replicas: 0 }, { observedGeneration: 2 }), ready: true, failed: false },
    {
      name: "progress deadline exceeded",
      obj: dep({ replicas: 1 }, { observedGeneration: 2, conditions: [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded", message: "ReplicaSet web-1 has timed out progressing." }, { type: "Available", status: "False" }] }),
      ready: false, failed: true, message: "progress deadline exceeded: ReplicaSet web-1 has timed out progressing.",
    },
    { name: "being deleted", obj: { ...dep({ replicas: 0 }, { observedGeneration: 2 }), metadata: { generation: 2, deletionTimestamp: "2026-01-01T00:00:00Z" } }, ready: false, failed: false, message: "being deleted" },
  ])("$name", ({ obj, ready, failed, message }) => {
    const h = evaluateObject(obj);
    expect({ ready: h.ready, failed: h.failed, message: h.ready ? undefined : h.message }).toEqual({ ready, failed, message });
  });
});

describe("other kinds", () => {
  it.each<{ name: string; obj: LiveObject; ready: boolean; failed?: boolean }>([
    { name: "StatefulSet ready", obj: { kind: "StatefulSet", metadata: { generation: 1 }, spec: { replicas: 2 }, status: { observedGeneration: 1, readyReplicas: 2, updatedReplicas: 2, currentRevision: "r1", updateRevision: "r1" } }, ready: true },
    { name: "StatefulSet rolling", obj: { kind: "StatefulSet", metadata: { generation: 1 }, spec: { replicas: 2 }, status: { observedGeneration: 1, readyReplicas: 2, updatedReplicas: 2, currentRevision: "r1", updateRevision: "r2" } }, ready: false },
    { name: "StatefulSet not ready", obj: { kind: "StatefulSet", metadata: { generation: 1 }, spec: { replicas: 2 }, status: { observedGeneration: 1, readyReplicas: 1, updatedReplicas: 2 } }, ready: false },
    { name: "DaemonSet ready", obj: { kind: "DaemonSet", metadata: { generation: 1 }, status: { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 } }, ready: true },
    { name: "DaemonSet updating", obj: { kind: "DaemonSet", metadata: { generation: 1 }, status: { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 2, numberAvailable: 3 } }, ready: false },
    { name: "Job complete", obj: { kind: "Job", status: { conditions: [{ type: "Complete", status: "True" }] } }, ready: true },
    { name: "Job running", obj: { kind: "Job", status: { active: 1 } }, ready: false },
    { name: "Job failed", obj: { kind: "Job", status: { conditions: [{ type: "Failed", status: "True", reason: "BackoffLimitExceeded" }] } }, ready: false, failed: true },
    { name: "CRD established", obj: { kind: "CustomResourceDefinition", status: { conditions: [{ type: "Established", status: "True" }] } }, ready: true },
    { name: "CRD pending", obj: { kind: "CustomResourceDefinition", status: {} }, ready: false },
    { name: "CRD names conflict", obj: { kind: "CustomResourceDefinition", status: { conditions: [{ type: "NamesAccepted", status: "False", reason: "PluralConflict" }] } }, ready: false, failed: true },
    { name: "PVC bound", obj: { kind: "PersistentVolumeClaim", status: { phase: "Bound" } }, ready: true },
    { name: "PVC pending", obj: { kind: "PersistentVolumeClaim", status: { phase: "Pending" } }, ready: false },
    { name: "Namespace", obj: { kind: "Namespace", status: { phase: "Active" } }, ready: true },
    { name: "ConfigMap", obj: { kind: "ConfigMap" }, ready: true },
    { name: "CR Ready=True", obj: { kind: "Certificate", status: { conditions: [{ type: "Ready", status: "True" }] } }, ready: true },
    { name: "CR Ready=False", obj: { kind: "Certificate", status: { conditions: [{ type: "Ready", status: "False", reason: "Pending" }] } }, ready: false },
    { name: "CR Ready=True but stale", obj: { kind: "Certificate", metadata: { generation: 3 }, status: { observedGeneration: 2, conditions: [{ type: "Ready", status: "True" }] } }, ready: false },
    { name: "CR Stalled", obj: { kind: "Certificate", status: { conditions: [{ type: "Stalled", status: "True" }, { type: "Ready", status: "False" }] } }, ready: false, failed: true },
    { name: "CR Reconciling", obj: { kind: "Widget", status: { conditions: [{ type: "Reconciling", status: "True" }] } }, ready: false },
    { name: "CR Reconciling wins over Ready=True", obj: { kind: "Widget", status: { conditions: [{ type: "Ready", status: "True" }, { type: "Reconciling", status: "True" }] } }, ready: false },
    { name: "CR generation not observed, no Ready", obj: { kind: "Widget", metadata: { generation: 4 }, status: { observedGeneration: 3 } }, ready: false },
    { name: "CR generation observed, no conditions", obj: { kind: "Widget", metadata: { generation: 4 }, status: { observedGeneration: 4 } }, ready: true },
    { name: "CR Ready=True written for an older generation", obj: { kind: "Widget", metadata: { generation: 4 }, status: { conditions: [{ type: "Ready", status: "True", observedGeneration: 3 }] } }, ready: false },
    { name: "CR Ready=True for this generation", obj: { kind: "Widget", metadata: { generation: 4 }, status: { conditions: [{ type: "Ready", status: "True", observedGeneration: 4 }] } }, ready: true },
    { name: "CR Stalled for an older generation does not fail", obj: { kind: "Widget", metadata: { generation: 4 }, status: { conditions: [{ type: "Stalled", status: "True", observedGeneration: 3 }, { type: "Ready", status: "False", observedGeneration: 3 }] } }, ready: false, failed: false },
    { name: "CR Stalled before the generation is observed only waits", obj: { kind: "Widget", metadata: { generation: 4 }, status: { observedGeneration: 3, conditions: [{ type: "Stalled", status: "True" }] } }, ready: false, failed: false },
    { name: "ClusterIP Service", obj: { kind: "Service", spec: { type: "ClusterIP" } }, ready: true },
    { name: "Service without type", obj: { kind: "Service", spec: {} }, ready: true },
    { name: "LoadBalancer Service without address", obj: { kind: "Service", spec: { type: "LoadBalancer" }, status: { loadBalancer: {} } }, ready: false },
    { name: "LoadBalancer Service with empty ingress", obj: { kind: "Service", spec: { type: "LoadBalancer" }, status: { loadBalancer: { ingress: [] } } }, ready: false },
    { name: "LoadBalancer Service with an address", obj: { kind: "Service", spec: { type: "LoadBalancer" }, status: { loadBalancer: { ingress: [{ ip: "203.0.113.7" }] } } }, ready: true },
    { name: "LoadBalancer Service with a hostname", obj: { kind: "Service", spec: { type: "LoadBalancer" }, status: { loadBalancer: { ingress: [{ hostname: "lb.example.com" }] } } }, ready: true },
    { name: "PVC lost", obj: { kind: "PersistentVolumeClaim", status: { phase: "Lost" } }, ready: false, failed: true },
    { name: "Namespace terminating", obj: { kind: "Namespace", status: { phase: "Terminating" } }, ready: false },
    { name: "Job failed wins over Complete", obj: { kind: "Job", status: { conditions: [{ type: "Complete", status: "True" }, { type: "Failed", status: "True" }] } }, ready: false, failed: true },
  ])("$name", ({ obj, ready, failed = false }) => {
    expect({ ...evaluateObject(obj), message: undefined }).toEqual({ ready, failed, message: undefined });
  });
});

describe("summarize", () => {
  it("counts and keeps the first problems", () => {
    const s = summarize(
      [
        { name: "a", health: { ready: true, failed: false } },
        { name: "b", health: { ready: false, failed: false, message: "waiting" } },
        { name: "c", health: { ready: false, failed: true, message: "boom" } },
        { name: "d", health: { ready: false, failed: false } },
      ],
      2,
    );
    expect(s).toEqual({ total: 4, ready: 1, failed: 1, problems: ["b: waiting", "c: boom"] });
  });
});
