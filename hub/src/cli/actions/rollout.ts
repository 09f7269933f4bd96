import { PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { stringify } from "yaml";
import { ADDON_NAME_LABEL, classifyKubeError, FlotillaError, isConflict, loadKubeConfig, makeClients, resources, retryUntil, type AddOnRevision, type ClusterManagementAddOn } from "@flotilla/shared";
import { PROMOTE_ANNOTATION } from "../../api/names.js";
import { withPromotion } from "../../rollout/approvals.js";
import { lostPlacementValues, specFromRevision, undoTarget } from "../../rollout/undo.js";
import { historyRows } from "../history.js";
import { promotionFor } from "../promote.js";
import { formatTable } from "../table.js";

export interface RolloutOptions {
  kubeconfig?: string;
}

const CMA = resources.clusterManagementAddOns;
const REV = resources.addOnRevisions;
const merge = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

function clients(o: RolloutOptions) {
  return makeClients(loadKubeConfig(o.kubeconfig)).custom;
}

async function getCma(custom: ReturnType<typeof clients>, addon: string): Promise<ClusterManagementAddOn> {
  try {
    return (await custom.getClusterCustomObject({ group: CMA.group, version: CMA.version, plural: CMA.plural, name: addon })) as ClusterManagementAddOn;
  } catch (err) {
    const e = classifyKubeError(err);
    throw e.code === "NotFound" ? new FlotillaError("NotFound", `clustermanagementaddon ${addon} not found`, { cause: err }) : e;
  }
}

async function listRevisions(custom: ReturnType<typeof clients>, addon: string): Promise<AddOnRevision[]> {
  const list = (await custom.listClusterCustomObject({ group: REV.group, version: REV.version, plural: REV.plural, labelSelector: `${ADDON_NAME_LABEL}=${addon}` })) as { items?: AddOnRevision[] };
  return list.items ?? [];
}

/** `flotilla rollout pause|resume ADDON`: sets `spec.paused` (no new cluster starts; in-flight ones finish). */
export async function setPaused(addon: string, paused: boolean, o: RolloutOptions): Promise<void> {
  await clients(o).patchClusterCustomObject({ group: CMA.group, version: CMA.version, plural: CMA.plural, name: addon, body: { spec: { paused } } }, merge);
  process.stdout.write(`clustermanagementaddon/${addon} ${paused ? "paused" : "resumed"}\n`);
}

/** `flotilla rollout history ADDON`: the addon's revisions, what became of each, and why each was made. */
export async function history(addon: string, o: RolloutOptions & { output: "table" | "json" | "yaml" }): Promise<void> {
  const custom = clients(o);
  const [cma, revs] = await Promise.all([getCma(custom, addon), listRevisions(custom, addon)]);
  if (o.output === "json") return void process.stdout.write(JSON.stringify({ items: revs }, null, 2) + "\n");
  if (o.output === "yaml") return void process.stdout.write(stringify({ items: revs }));
  const rows = historyRows(revs, cma.status, new Date());
  process.stdout.write(rows.length ? formatTable(["revision", "name", "age", "status", "change-cause"], rows) : `No revisions of ${addon}.\n`);
}

/** Conflicts (the hub writes the CMA status often during a rollout): re-read and try again a few times, quickly. */
const CONFLICT_RETRY = { policy: { baseMs: 50, maxMs: 1_000 }, maxAttempts: 5, isRetryable: isConflict };

/**
 * `flotilla rollout undo ADDON [--to-revision N]`: copies an old revision's content back into the CMA,
 * like `kubectl rollout undo`. The content hash names that revision again, so no new revision is made.
 * The update is conditional on the resourceVersion read, so a concurrent edit is not overwritten; on a
 * conflict it reads again, chooses again, and retries.
 */
export async function undo(addon: string, o: RolloutOptions & { toRevision?: number }): Promise<void> {
  const custom = clients(o);
  const { target, lost } = await retryUntil(async () => {
    const [cma, revs] = await Promise.all([getCma(custom, addon), listRevisions(custom, addon)]);
    const target = undoTarget(revs, cma.status?.currentRevision ?? cma.status?.updateRevision, o.toRevision);
    const body: ClusterManagementAddOn = { ...cma, spec: specFromRevision(cma.spec, target) };
    delete body.status;
    await custom.replaceClusterCustomObject({ group: CMA.group, version: CMA.version, plural: CMA.plural, name: addon, body });
    return { target, lost: lostPlacementValues(cma.spec, target) };
  }, CONFLICT_RETRY);
  process.stdout.write(`clustermanagementaddon/${addon} rolled back to revision ${target.spec.revision} (${target.metadata?.name ?? ""})\n`);
  if (lost.length) process.stderr.write(`warning: placement(s) ${lost.join(", ")} no longer exist; their values at that revision are not restored\n`);
}

/**
 * `flotilla rollout promote ADDON [--step N]`: approves the pause the rollout waits at (or step N of
 * the update revision) by adding `<revision>/<step>` to the CMA's promote annotation. The merge patch
 * carries the resourceVersion read, so a concurrent edit of the annotation makes it fail with 409
 * rather than be lost; then it reads again and retries.
 */
export async function promote(addon: string, o: RolloutOptions & { step?: number }): Promise<void> {
  const custom = clients(o);
  const done = await retryUntil(async () => {
    const cma = await getCma(custom, addon);
    const p = promotionFor(cma, o.step);
    const value = withPromotion(cma.metadata?.annotations?.[PROMOTE_ANNOTATION], p.revision, p.step);
    const body = { metadata: { resourceVersion: cma.metadata?.resourceVersion, annotations: { [PROMOTE_ANNOTATION]: value } } };
    await custom.patchClusterCustomObject({ group: CMA.group, version: CMA.version, plural: CMA.plural, name: addon, body }, merge);
    return p;
  }, CONFLICT_RETRY);
  process.stdout.write(`clustermanagementaddon/${addon} promoted: step ${done.step} of ${done.revision} approved\n`);
}
