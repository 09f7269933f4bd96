/**
 * The spec a revision is made from (pure). A manifests source is what the CMA says. A helm source is
 * pinned to the chart its version resolved to (`status.source`, written by the sources controller):
 * exact version and digest, without `interval` (how often to look is not content). So a range that
 * resolves to a newer chart names a new revision, and an AddOnRevision records the chart it rolled
 * out (DESIGN §4), which `rollout undo` then copies back as a pin.
 */
import type { ChartResolution, ClusterManagementAddOn, ClusterManagementAddOnSpec, HelmSource } from "../api/types.js";

/** Whether `resolution` answers this helm source: same repository, chart and requested version, and any pinned digest. */
export function answers(helm: HelmSource, resolution: ChartResolution | undefined): resolution is ChartResolution & { version: string; digest: string } {
  if (!resolution?.version || !resolution.digest) return false;
  return (
    resolution.repoURL === helm.repoURL &&
    resolution.chart === helm.chart &&
    (resolution.requestedVersion ?? "") === (helm.version ?? "") &&
    (helm.digest === undefined || helm.digest === resolution.digest)
  );
}

/** The spec with its helm source pinned to the resolved chart; undefined while none answers the spec. */
export function resolvedSpec(cma: Pick<ClusterManagementAddOn, "spec" | "status">): ClusterManagementAddOnSpec | undefined {
  const spec = cma.spec ?? {};
  const helm = spec.source?.helm;
  if (!helm) return spec;
  const r = cma.status?.source;
  if (!answers(helm, r)) return undefined;
  const { interval: _interval, ...pinned } = helm;
  return { ...spec, source: { helm: { ...pinned, version: r.version, digest: r.digest } } };
}
