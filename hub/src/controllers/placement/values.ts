/**
 * The CMA's `ValuesValid` condition (pure): the addon's own values (CMA values merged with each
 * placement's) against `valuesSchema`, and the clusters whose merged values fail it. The per-cluster
 * check, the one that holds a cluster's bundle back, is the clusters controller's; this one reads its
 * outcome from the MCAs' `ValuesValid` conditions.
 */
import type { ConditionInput } from "@flotilla/shared";
import { VALUES_VALID_CONDITION } from "../../api/names.js";
import type { ClusterManagementAddOnSpec, Values } from "../../api/types.js";
import { firstValuesError, valuesErrorsMessage, type ValuesCheck } from "../../render/values-check.js";
import { mergeAll } from "../../render/values.js";
import { inlineSecretsMessage } from "../../render/secret-values.js";

export interface InvalidClusterValues {
  cluster: string;
  /** The MCA's `ValuesValid` message. */
  message: string;
}

export interface ValuesConditionInput {
  spec: ClusterManagementAddOnSpec;
  validate: ValuesCheck;
  /** Targeted clusters whose MCA says `ValuesValid=False`. */
  invalidClusters: readonly InvalidClusterValues[];
}

const MAX_CLUSTERS_NAMED = 3;

/** The addon-level value sets a cluster can start from: each placement's, or the CMA's alone. */
export function addonValueLayers(spec: ClusterManagementAddOnSpec): { where: string; values: Values }[] {
  const placements = spec.installStrategy?.placements ?? [];
  const layers = placements.map((p) => ({ where: `placement ${JSON.stringify(p.name)}`, values: mergeAll(spec.values, p.values) }));
  // Under Manual (the CRD default) a cluster may match no placement and start from the CMA's values.
  const manual = (spec.installStrategy?.type ?? "Manual") === "Manual";
  if (!layers.length || manual) layers.unshift({ where: "spec.values", values: mergeAll(spec.values) });
  return layers;
}

function clustersMessage(invalid: readonly InvalidClusterValues[]): string {
  const sorted = [...invalid].sort((a, b) => (a.cluster < b.cluster ? -1 : a.cluster > b.cluster ? 1 : 0));
  const named = sorted.slice(0, MAX_CLUSTERS_NAMED).map((c) => `${c.cluster}: ${firstValuesError(c.message)}`);
  const more = sorted.length > MAX_CLUSTERS_NAMED ? `; and ${sorted.length - MAX_CLUSTERS_NAMED} more` : "";
  return `values invalid on ${sorted.length} cluster(s): ${named.join("; ")}${more}`;
}

export function valuesCondition(input: ValuesConditionInput): Omit<ConditionInput, "observedGeneration"> {
  const { spec, invalidClusters } = input;
  const type = VALUES_VALID_CONDITION;
  if (spec.valuesSchema === undefined) {
    // A chart's own values.schema.json is checked per cluster (the clusters controller): its outcome only.
    if (invalidClusters.length) return { type, status: "False", reason: "ValuesInvalid", message: clustersMessage(invalidClusters) };
    return { type, status: "True", reason: "NoSchema", message: "" };
  }
  const inline = inlineSecretsMessage(spec.valuesSchema, addonValueLayers(spec));
  if (inline) return { type, status: "False", reason: "SecretValueInline", message: inline };
  const failed: { where: string; errors: string[] }[] = [];
  for (const layer of addonValueLayers(spec)) {
    const r = input.validate(spec.valuesSchema, layer.values);
    if (!r.ok) failed.push({ where: layer.where, errors: r.errors });
  }
  const onClusters = invalidClusters.length ? ` (${clustersMessage(invalidClusters)})` : "";
  const first = failed[0];
  if (first) {
    // A schema that does not compile fails every layer alike: say it once, without a placement.
    if (first.errors[0]?.startsWith("valuesSchema:")) return { type, status: "False", reason: "InvalidSchema", message: valuesErrorsMessage(first.errors) };
    const more = failed.length > 1 ? ` (and ${failed.length - 1} more value sets)` : "";
    return { type, status: "False", reason: "ValuesInvalid", message: `${first.where}: ${valuesErrorsMessage(first.errors)}${more}${onClusters}` };
  }
  if (invalidClusters.length) return { type, status: "False", reason: "ValuesInvalid", message: clustersMessage(invalidClusters) };
  return { type, status: "True", reason: "ValuesValid", message: "values satisfy valuesSchema on every targeted cluster" };
}
