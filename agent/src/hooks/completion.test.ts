import { describe, expect, it } from "vitest";
import type { KubeObject } from "@flotilla/shared";
import { hookCompletion } from "./completion.js";

const job = (conditions?: object[]): KubeObject => ({ apiVersion: "batch/v1", kind: "Job", metadata: { name: "j" }, ...(conditions ? { status: { conditions } } : {}) });
const pod = (phase?: string, extra: object = {}): KubeObject => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, status: { ...(phase ? { phase } : {}), ...extra } });
const JOB = { group: "batch", kind: "Job" };
const POD = { group: "", kind: "Pod" };

describe("hookCompletion", () => {
  it.each([
    { name: "Job without status: running", ref: JOB, obj: job(), expected: undefined },
    { name: "Job Complete", ref: JOB, obj: job([{ type: "Complete", status: "True" }]), expected: { ok: true } },
    { name: "Job SuccessCriteriaMet first", ref: JOB, obj: job([{ type: "SuccessCriteriaMet", status: "True" }]), expected: { ok: true } },
    { name: "Job Complete=False: running", ref: JOB, obj: job([{ type: "Complete", status: "False" }]), expected: undefined },
    { name: "Job Failed", ref: JOB, obj: job([{ type: "Failed", status: "True", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit" }]), expected: { ok: false, message: "Job failed: BackoffLimitExceeded: Job has reached the specified backoff limit" } },
    { name: "Job FailureTarget first", ref: JOB, obj: job([{ type: "FailureTarget", status: "True", reason: "DeadlineExceeded" }]), expected: { ok: false, message: "Job failed: DeadlineExceeded" } },
    { name: "Pod Pending: running", ref: POD, obj: pod("Pending"), expected: undefined },
    { name: "Pod Succeeded", ref: POD, obj: pod("Succeeded"), expected: { ok: true } },
    { name: "Pod Failed", ref: POD, obj: pod("Failed", { reason: "Evicted" }), expected: { ok: false, message: "Pod failed: Evicted" } },
    { name: "any other kind: done once applied", ref: { group: "", kind: "ConfigMap" }, obj: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } }, expected: { ok: true } },
    { name: "a Job of another group is not a Job", ref: { group: "example.com", kind: "Job" }, obj: job(), expected: { ok: true } },
    { name: "gone while waited for", ref: JOB, obj: undefined, expected: { ok: false, message: "deleted before it finished" } },
  ])("$name", ({ ref, obj, expected }) => {
    expect(hookCompletion(ref, obj)).toEqual(expected);
  });
});
