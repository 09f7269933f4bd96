/**
 * The user's rollout operations on the hub's API server: pause, resume, promote, undo. One
 * implementation for `flotilla rollout …` and the dashboard's buttons; both pass a client made from the
 * user's own kubeconfig, so the user's RBAC decides. Errors are FlotillaErrors (NotFound, Forbidden,
 * Invalid from the pure cores, Conflict after the retries), which each caller turns into its own output.
 */
import { PatchStrategy, setHeaderOptions, type CustomObjectsApi } from "@kubernetes/client-node";
import { ADDON_NAME_LABEL, classifyKubeError, FlotillaError, isConflict, resources, retryUntil, type AddOnRevision, type ClusterManagementAddOn } from "@flotilla/shared";
import { PROMOTE_ANNOTATION } from "../api/names.js";
import { withPromotion } from "../rollout/approvals.js";
import { promotionFor, type Promotion } from "../rollout/promotion.js";
import { lostPlacementValues, specFromRevision, undoTarget } from "../rollout/undo.js";

const CMA = resources.clusterManagementAddOns;
const REV = resources.addOnRevisions;
const merge = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

/** Conflicts (the hub writes the CMA status often during a rollout): re-read and try again a few times, quickly. */
const CONFLICT_RETRY = { policy: { baseMs: 50, maxMs: 1_000 }, maxAttempts: 5, isRetryable: isConflict };

/** Any API error as a FlotillaError by its status; a missing addon says which. */
async function kube<T>(addon: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const e = classifyKubeError(err);
    throw e.code === "NotFound" ? new FlotillaError("NotFound", `clustermanagementaddon ${addon} not found`, { cause: err }) : e;
  }
}

export function getAddon(custom: CustomObjectsApi, addon: string): Promise<ClusterManagementAddOn> {
  return kube(addon, async () => (await custom.getClusterCustomObject({ group: CMA.group, version: CMA.version, plural: CMA.plural, name: addon })) as ClusterManagementAddOn);
}

export async function listRevisions(custom: CustomObjectsApi, addon: string): Promise<AddOnRevision[]> {
  const list = await kube(addon, () => custom.listClusterCustomObject({ group: REV.group, version: REV.version, plural: REV.plural, labelSelector: `${ADDON_NAME_LABEL}=${addon}` }) as Promise<{ items?: AddOnRevision[] }>);
  return list.items ?? [];
}

/** pause | resume: sets `spec.paused` (no new cluster starts; in-flight ones finish). */
export async function setPaused(custom: CustomObjectsApi, addon: string, paused: boolean): Promise<void> {
  await kube(addon, () => custom.patchClusterCustomObject({ group: CMA.group, version: CMA.version, plural: CMA.plural, name: addon, body: { spec: { paused } } }, merge));
}

export interface UndoResult {
  target: AddOnRevision;
  /** Placements of the old revision that no longer exist: their values are not restored. */
  lost: string[];
}

/** The revision undo goes back to; none (no earlier one, an unknown number) is bad input. */
function chooseUndoTarget(revs: readonly AddOnRevision[], cma: ClusterManagementAddOn, toRevision: number | undefined): AddOnRevision {
  try {
    return undoTarget(revs, cma.status?.currentRevision ?? cma.status?.updateRevision, toRevision);
  } catch (err) {
    throw new FlotillaError("Invalid", err instanceof Error ? err.message : String(err), { cause: err });
  }
}

/**
 * undo [toRevision]: copies an old revision's content back into the CMA, like `kubectl rollout undo`.
 * The content hash names that revision again, so no new revision is made. The update is conditional on
 * the resourceVersion read, so a concurrent edit is not overwritten; on a conflict it reads again,
 * chooses again, and retries.
 */
export function undo(custom: CustomObjectsApi, addon: string, toRevision?: number): Promise<UndoResult> {
  return retryUntil(async () => {
    const [cma, revs] = await Promise.all([getAddon(custom, addon), listRevisions(custom, addon)]);
    const target = chooseUndoTarget(revs, cma, toRevision);
    const body: ClusterManagementAddOn = { ...cma, spec: specFromRevision(cma.spec, target) };
    delete body.status;
    await kube(addon, () => custom.replaceClusterCustomObject({ group: CMA.group, version: CMA.version, plural: CMA.plural, name: addon, body }));
    return { target, lost: lostPlacementValues(cma.spec, target) };
  }, CONFLICT_RETRY);
}

/**
 * promote [step]: approves the pause the rollout waits at (or step N of the update revision) by adding
 * `<revision>/<step>` to the CMA's promote annotation. The merge patch carries the resourceVersion
 * read, so a concurrent edit of the annotation makes it fail with 409 rather than be lost; then it
 * reads again and retries.
 */
export function promote(custom: CustomObjectsApi, addon: string, step?: number): Promise<Promotion> {
  return retryUntil(async () => {
    const cma = await getAddon(custom, addon);
    const p = promotionFor(cma, step);
    const value = withPromotion(cma.metadata?.annotations?.[PROMOTE_ANNOTATION], p.revision, p.step);
    const body = { metadata: { resourceVersion: cma.metadata?.resourceVersion, annotations: { [PROMOTE_ANNOTATION]: value } } };
    await kube(addon, () => custom.patchClusterCustomObject({ group: CMA.group, version: CMA.version, plural: CMA.plural, name: addon, body }, merge));
    return p;
  }, CONFLICT_RETRY);
}
