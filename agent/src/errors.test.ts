import { describe, expect, it } from "vitest";
import { ApiException } from "@kubernetes/client-node";
import { ApplyError, ClaimedError } from "./errors.js";

const ref = { kind: "Deployment", namespace: "ns", name: "web" };
const status = (code: number, message: string) => new ApiException(code, "Unsuccessful HTTP Request", { kind: "Status", code, message }, {});

describe("ApplyError", () => {
  it.each([
    { name: "422 Invalid", err: status(422, 'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1'), code: "Invalid", retryable: false },
    { name: "403 Forbidden", err: status(403, "forbidden"), code: "Forbidden", retryable: false },
    { name: "500 untypable body (unknown field)", err: status(500, "failed to create typed patch object (ns/web; apps/v1, Kind=Deployment): .spec.replica: field not declared in schema"), code: "Invalid", retryable: false },
    { name: "403 namespace terminating", err: status(403, 'configmaps "c" is forbidden: unable to create new content in namespace ns because it is being terminated'), code: "NamespaceTerminating", retryable: true },
    { name: "500 other", err: status(500, "etcdserver: request timed out"), code: "Retryable", retryable: true },
    { name: "404 namespace not found", err: status(404, 'namespaces "ns" not found'), code: "NotFound", retryable: true },
    { name: "409 conflict", err: status(409, "conflict"), code: "Conflict", retryable: true },
    { name: "409 apply conflict", err: status(409, 'Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: .data.greeting'), code: "Conflict", retryable: false },
    { name: "held by another addon", err: new ClaimedError("first"), code: "Conflict", retryable: false },
    { name: "network", err: new Error("connect ECONNREFUSED"), code: "Retryable", retryable: true },
  ])("$name", ({ err, code, retryable }) => {
    const e = new ApplyError(ref, err);
    expect({ code: e.code, retryable: e.retryable }).toEqual({ code, retryable });
    expect(e.message.startsWith("Deployment ns/web: ")).toBe(true);
    expect(e.ownership).toBe(code === "Conflict" && !retryable);
  });

  it("carries the API server's own message", () => {
    expect(new ApplyError(ref, status(422, "spec.replicas: Invalid value: -1")).message).toBe("Deployment ns/web: spec.replicas: Invalid value: -1");
  });
});
