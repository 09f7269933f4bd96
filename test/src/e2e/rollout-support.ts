import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { CoreV1Api, CustomObjectsApi, type KubeConfig } from "@kubernetes/client-node";
import { ADDON_NAME_LABEL, SIMULATE_ANNOTATION, resources, type ClusterManagementAddOn, type RolloutPhase, type RolloutStrategy } from "@flotilla/shared";
import { flotillaCliPath } from "../fleet/cli-path.js";
import type { Fleet } from "../fleet/fleet.js";
import { formatTimeline, type Timeline } from "../harness/timeline/timeline.js";
import { demoAddon, metric, waitFor, type Hub } from "./support.js";

const run = promisify(execFile);

/**
 * The demo addon with the given rollout strategy, its Deployment failing in the simulator wherever
 * `.Values.simulate` is "fail" (it is "ok" by default).
 */
export function rolloutAddon(name: string, rolloutStrategy: RolloutStrategy, greeting = "one"): ClusterManagementAddOn {
  const cma = demoAddon(name, { greeting });
  const manifests = (cma.spec.source.manifests ?? []).map((m) =>
    m.kind === "Deployment" ? { ...m, metadata: { ...(m.metadata as object), annotations: { [SIMULATE_ANNOTATION]: "{{ .Values.simulate }}" } } } : m,
  );
  const placements = (cma.spec.installStrategy?.placements ?? []).map((p) => ({ ...p, rolloutStrategy }));
  return { ...cma, spec: { ...cma.spec, source: { manifests }, values: { ...cma.spec.values, simulate: "ok" }, installStrategy: { type: "Placements", placements } } };
}

/** The merge patch that sets every placement's rollout strategy (merge patches replace lists whole). */
export function strategyPatch(cma: ClusterManagementAddOn, rolloutStrategy: RolloutStrategy): object {
  const placements = (cma.spec.installStrategy?.placements ?? []).map((p) => ({ ...p, rolloutStrategy }));
  return { spec: { installStrategy: { type: "Placements", placements } } };
}

/**
 * Installs the addon with strategy All (every cluster at once: quick), waits until it is Available on
 * each of `clusters` and fully rolled out, then switches it to `strategy` (no new revision: the rollout
 * strategy is not content). Returns the installed revision.
 */
export async function installThenSwitch(hub: Hub, name: string, strategy: RolloutStrategy, clusters: readonly string[], greeting = "one"): Promise<string> {
  const cma = rolloutAddon(name, { type: "All" }, greeting);
  await hub.install(cma, clusters);
  const installed = await waitPhase(hub, name, "Succeeded");
  await hub.patchCma(name, strategyPatch(cma, strategy));
  await waitTaken(hub, name);
  return installed.updateRevision ?? "";
}

/** Waits until the hub has acted on the CMA's latest spec (its status is of the current generation). */
export async function waitTaken(hub: Hub, addon: string): Promise<void> {
  await waitFor(`the hub to act on ${addon}'s latest spec`, async () => {
    const cma = await hub.getCma(addon);
    return cma?.metadata?.generation !== undefined && cma.status?.observedGeneration === cma.metadata.generation;
  });
}

/** Waits until the CMA's rollout is in `phase` with currentRevision / updateRevision as they then are. */
export async function waitPhase(hub: Hub, addon: string, phase: RolloutPhase, opts: { revision?: string; reason?: string; timeoutMs?: number } = {}) {
  return waitFor(`${addon}'s rollout ${phase}${opts.reason ? `/${opts.reason}` : ""}${opts.revision ? ` on ${opts.revision}` : ""}`, async () => {
    const st = (await hub.getCma(addon))?.status;
    const r = st?.rollout;
    const ok = r?.phase === phase && (!opts.reason || r.reason === opts.reason) && (!opts.revision || st?.updateRevision === opts.revision);
    return ok ? st : undefined;
  }, opts.timeoutMs ?? 120_000);
}

/** Changes the greeting (a new revision) and returns the new update revision. */
export async function changeGreeting(hub: Hub, addon: string, greeting: string, extra: Record<string, unknown> = {}): Promise<string> {
  const before = (await hub.getCma(addon))?.status?.updateRevision;
  await hub.patchCma(addon, { spec: { values: { greeting, ...extra } } });
  return hub.nextRevision(addon, before);
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `flotilla rollout ARGS --kubeconfig <hub>`; a non-zero exit is a result, not an error. */
export async function rolloutCli(fleet: Fleet, ...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [flotillaCliPath(), "rollout", ...args, "--kubeconfig", fleet.hub.kubeconfigPath], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string; killed?: boolean };
    if (typeof e.code !== "number") throw err; // it did not run, or ran past its timeout
    return { code: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

/** Reasons of the Events recorded on a CMA (in `default`, as for any cluster-scoped object), oldest first. */
export async function cmaEvents(kc: KubeConfig, addon: string): Promise<{ uid: string; reason: string; type: string; message: string }[]> {
  const list = await kc.makeApiClient(CoreV1Api).listNamespacedEvent({
    namespace: "default",
    fieldSelector: `involvedObject.kind=ClusterManagementAddOn,involvedObject.name=${addon}`,
  });
  // Event times have whole seconds; the resource version orders events made within one
  const rv = (e: { metadata?: { resourceVersion?: string } }) => Number(e.metadata?.resourceVersion ?? 0);
  return [...list.items]
    .sort((a, b) => rv(a) - rv(b))
    .map((e) => ({ uid: e.metadata?.uid ?? "", reason: e.reason ?? "", type: e.type ?? "", message: e.message ?? "" }));
}

/** The reasons among `reasons` that the events have, in their order (repeats kept: each step should be told once). */
export const story = (events: readonly { reason: string }[], reasons: readonly string[]): string[] => events.map((e) => e.reason).filter((r) => reasons.includes(r));

/** AddOnRevision objects of an addon. */
export async function revisionCount(kc: KubeConfig, addon: string): Promise<number> {
  const r = resources.addOnRevisions;
  const list = (await kc.makeApiClient(CustomObjectsApi).listClusterCustomObject({ group: r.group, version: r.version, plural: r.plural, labelSelector: `${ADDON_NAME_LABEL}=${addon}` })) as { items: unknown[] };
  return list.items.length;
}

/** Reconciles of CMAs the hub has finished, whatever their result (its work-queue histogram). */
export async function cmaReconciles(metricsUrl: string): Promise<number> {
  return metric(metricsUrl, "flotilla_reconcile_duration_seconds_count", { queue: "cma" });
}

/** The timeline, for a failed assertion's message. */
export const shown = (t: Timeline): string => `timeline:\n${formatTimeline(t)}`;
