import { describe, expect, it } from "vitest";
import { healthView, ruleView } from "./health-view.js";
import { evaluateObject, type LiveObject } from "./evaluate.js";

describe("healthView", () => {
  it("drops data and keeps what readiness needs", () => {
    const dep = {
      apiVersion: "apps/v1", kind: "Deployment",
      metadata: { name: "web", namespace: "ns", uid: "u", generation: 2, labels: { a: "b" }, managedFields: [{}] },
      spec: { replicas: 2, template: { spec: { containers: [] } } },
      status: { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2, conditions: [{ type: "Available", status: "True" }] },
    };
    const v = healthView(dep);
    expect(v).toEqual({
      apiVersion: "apps/v1", kind: "Deployment",
      metadata: { name: "web", namespace: "ns", uid: "u", generation: 2 },
      spec: { replicas: 2 },
      status: dep.status,
    });
    expect(evaluateObject(v as LiveObject)).toEqual(evaluateObject(dep as LiveObject));
  });

  it("keeps nothing of a ConfigMap but its identity", () => {
    expect(healthView({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { big: "x".repeat(1000) } })).toEqual({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } });
  });

  it("keeps a Service's type, so a LoadBalancer is judged by its address", () => {
    const svc = { apiVersion: "v1", kind: "Service", metadata: { name: "lb" }, spec: { type: "LoadBalancer", ports: [{ port: 80 }] }, status: { loadBalancer: {} } };
    expect(healthView(svc).spec).toEqual({ type: "LoadBalancer" });
    expect(evaluateObject(healthView(svc) as LiveObject).ready).toBe(false);
  });

  it("keeps an object a health rule looks at whole, less managedFields", () => {
    const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "gate", labels: { a: "b" }, managedFields: [{ manager: "m" }] }, data: { ready: "true" } };
    expect(ruleView(cm)).toEqual({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "gate", labels: { a: "b" } }, data: { ready: "true" } });
  });
});
