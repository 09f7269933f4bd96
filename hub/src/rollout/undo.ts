import type { AddOnRevision, ClusterManagementAddOnSpec } from "@flotilla/shared";

/**
 * `flotilla rollout undo`: the CMA spec with an old revision's content copied back, like `kubectl
 * rollout undo`. Everything a revision holds is restored (source, values, valuesFrom and schema, each placement's
 * values by name, install namespace, dependencies, health checks, drift policy, deleteCRDs, forceConflicts, permissions); what it does not hold
 * (placements' selectors and rollout strategies, pause, history limit) stays as it is. The content
 * hash then names the old revision again, so no new AddOnRevision is made. Pure.
 */
export function specFromRevision(spec: ClusterManagementAddOnSpec, rev: AddOnRevision): ClusterManagementAddOnSpec {
  const r = rev.spec;
  const { values: _v, valuesSchema: _s, valuesFrom: _vf, installNamespace: _n, dependsOn: _d, healthChecks: _h, driftPolicy: _p, deleteCRDs: _c, forceConflicts: _f, permissions: _perm, ...rest } = spec;
  const placements = spec.installStrategy?.placements?.map((p) => {
    const { values: _pv, ...other } = p;
    const values = r.placementValues?.[p.name];
    return values ? { ...other, values } : other;
  });
  return {
    ...rest,
    source: r.source,
    ...(r.values ? { values: r.values } : {}),
    ...(r.valuesSchema ? { valuesSchema: r.valuesSchema } : {}),
    ...(r.valuesFrom?.length ? { valuesFrom: r.valuesFrom } : {}),
    ...(r.installNamespace ? { installNamespace: r.installNamespace } : {}),
    ...(r.dependsOn?.length ? { dependsOn: r.dependsOn } : {}),
    ...(r.healthChecks?.length ? { healthChecks: r.healthChecks } : {}),
    ...(r.driftPolicy ? { driftPolicy: r.driftPolicy } : {}),
    ...(r.deleteCRDs ? { deleteCRDs: true } : {}),
    ...(r.forceConflicts ? { forceConflicts: true } : {}),
    ...(r.permissions?.length ? { permissions: r.permissions } : {}),
    ...(spec.installStrategy ? { installStrategy: { ...spec.installStrategy, ...(placements ? { placements } : {}) } } : {}),
  };
}

/** Placements the revision has values for but the CMA no longer has: undo cannot restore those values. */
export function lostPlacementValues(spec: ClusterManagementAddOnSpec, rev: AddOnRevision): string[] {
  const names = new Set((spec.installStrategy?.placements ?? []).map((p) => p.name));
  return Object.keys(rev.spec.placementValues ?? {}).filter((n) => !names.has(n)).sort();
}

/**
 * Which revision `undo` goes to: the one numbered `toRevision`, or else the newest one older than the
 * current revision. An error names what is missing.
 */
export function undoTarget(revs: readonly AddOnRevision[], current: string | undefined, toRevision: number | undefined): AddOnRevision {
  const sorted = [...revs].sort((a, b) => b.spec.revision - a.spec.revision);
  if (toRevision !== undefined) {
    const hit = sorted.find((r) => r.spec.revision === toRevision);
    if (!hit) throw new Error(`revision ${toRevision} not found (known: ${sorted.map((r) => r.spec.revision).reverse().join(", ") || "none"})`);
    return hit;
  }
  const cur = sorted.find((r) => r.metadata?.name === current);
  const prev = sorted.find((r) => cur === undefined || r.spec.revision < cur.spec.revision);
  if (!prev || prev === cur) throw new Error("no earlier revision to go back to");
  return prev;
}
