import type { KubeObject } from "@flotilla/shared";

/** The spec fields readiness rules look at (replica counts, update strategy, a Service's type). */
const SPEC_FIELDS = ["replicas", "updateStrategy", "type"] as const;

/**
 * The part of an object health evaluation needs. The agent keeps one per applied object between
 * evaluations; keeping whole objects would hold every ConfigMap's data twice (bundle and copy).
 */
export function healthView(o: KubeObject): KubeObject {
  const m = o.metadata;
  const spec = o.spec as Record<string, unknown> | undefined;
  const keptSpec = spec ? Object.fromEntries(SPEC_FIELDS.filter((f) => f in spec).map((f) => [f, spec[f]])) : undefined;
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: {
      name: m.name,
      ...(m.namespace ? { namespace: m.namespace } : {}),
      ...(m.uid !== undefined ? { uid: m.uid } : {}),
      ...(m.generation !== undefined ? { generation: m.generation } : {}),
      ...(m.deletionTimestamp !== undefined ? { deletionTimestamp: m.deletionTimestamp } : {}),
    },
    ...(keptSpec && Object.keys(keptSpec).length ? { spec: keptSpec } : {}),
    ...(o.status !== undefined ? { status: o.status } : {}),
  };
}

/** The whole object less managedFields: what an addon's own health rule may look at. */
export function ruleView(o: KubeObject): KubeObject {
  const { managedFields: _m, ...metadata } = o.metadata;
  return { ...o, metadata };
}
