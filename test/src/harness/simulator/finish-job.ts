import { PatchStrategy, setHeaderOptions, type BatchV1Api } from "@kubernetes/client-node";
import { SIMULATE_ANNOTATION } from "@flotilla/shared";
import { statusPatch, type WorkloadObject } from "./status.js";

const MERGE = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

/**
 * Plays the job controller for one Job, when a test decides (a bare control plane has none): writes
 * the status it would reach, Complete (SuccessCriteriaMet first) or Failed (FailureTarget first),
 * through the status subresource, as the workload simulator's `statusPatch` says.
 */
export async function finishJob(batch: BatchV1Api, namespace: string, name: string, outcome: "ready" | "fail"): Promise<void> {
  const job = (await batch.readNamespacedJob({ name, namespace })) as unknown as WorkloadObject;
  const seen = outcome === "fail" ? { ...job, metadata: { ...job.metadata, annotations: { ...job.metadata?.annotations, [SIMULATE_ANNOTATION]: "fail" } } } : job;
  const patch = statusPatch("Job", seen, new Date());
  if (patch) await batch.patchNamespacedJobStatus({ name, namespace, body: patch }, MERGE);
}
