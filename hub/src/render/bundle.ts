/** The pure renderer: CMA + cluster + MCA → the DesiredBundle one cluster gets for one addon. */
import { matchesSelector, PROTOCOL_VERSION, type DesiredBundle, type KubeObject } from "@flotilla/shared";
import type { ClusterManagementAddOnSpec, Placement, Values } from "../api/types.js";
import type { ChartSourceReason } from "../charts/errors.js";
import type { HelmRenderReason } from "./helm/errors.js";
import { PlaceholderError, renderTree, type RenderContext } from "./placeholders.js";
import { valuesErrorsMessage, type ValuesCheck } from "./values-check.js";
import { isPlainObject, mergeAll } from "./values.js";
import { inlineSecretsMessage } from "./secret-values.js";

export interface RenderInput {
  addon: string;
  revision: string;
  spec: ClusterManagementAddOnSpec;
  cluster: { name: string; labels: Record<string, string> };
  /** MCA `spec.values`. */
  clusterValues?: Values;
  /** `spec.valuesFrom`, read and merged (see values-from.ts). */
  fromValues?: Values;
  /** `spec.values` of the cluster's config object (the generated `<Addon>Config` kind), when there is one. */
  configValues?: Values;
  /** Checks the merged values against `spec.valuesSchema` when the spec has one. */
  validateValues: ValuesCheck;
}

export type RenderResult = { ok: true; bundle: DesiredBundle; values: Values } | { ok: false; reason: RenderFailureReason; message: string };
/** `ValuesInvalid`: the merged values fail `valuesSchema` (the message lists the errors); nothing was rendered. */
/** `RevisionNotFound`: the cluster is held on a revision whose AddOnRevision is gone (set by the clusters controller). */
/** Helm sources add the chart's (ChartSourceReason: Unreachable, Unauthorized, …) and helm's (RenderTimeout, KubeVersionUnknown). */
export type RenderFailureReason = "RenderFailed" | "UnsupportedSource" | "InvalidManifest" | "ValuesInvalid" | "RevisionNotFound" | "ValuesFromNotFound" | "ValuesFromInvalid" | "AwaitingEncryptionKey" | "SecretValueInline" | ChartSourceReason | HelmRenderReason;

/** The last placement whose selector matches the cluster's labels (DESIGN §4: the last one wins). */
export function matchingPlacement(spec: ClusterManagementAddOnSpec, labels: Record<string, string>): Placement | undefined {
  const placements = spec.installStrategy?.placements ?? [];
  let found: Placement | undefined;
  for (const p of placements) if (matchesSelector(p.clusterSelector, labels)) found = p;
  return found;
}

/**
 * Values precedence: CMA values < values of the last matching placement < MCA spec.values < valuesFrom
 * < the cluster's config object (checked by the API server against the generated CRD before the hub sees it).
 */
export function effectiveValues(spec: ClusterManagementAddOnSpec, labels: Record<string, string>, layers: Pick<RenderInput, "clusterValues" | "fromValues" | "configValues"> = {}): Values {
  return mergeAll(spec.values, matchingPlacement(spec, labels)?.values, layers.clusterValues, layers.fromValues, layers.configValues);
}

/** A value marked `x-flotilla-secret` set by a layer other than valuesFrom: the failure naming it. */
export function inlineSecretsFailure(schema: unknown, spec: ClusterManagementAddOnSpec, labels: Record<string, string>, layers: Pick<RenderInput, "clusterValues" | "configValues">): Extract<RenderResult, { ok: false }> | undefined {
  const placement = matchingPlacement(spec, labels);
  const message = inlineSecretsMessage(schema, [
    { where: "spec.values", values: spec.values },
    ...(placement ? [{ where: `placement ${JSON.stringify(placement.name)}`, values: placement.values }] : []),
    { where: "the MCA's spec.values", values: layers.clusterValues },
    { where: "the cluster's config object", values: layers.configValues },
  ]);
  return message ? { ok: false, reason: "SecretValueInline", message } : undefined;
}

const describe = (m: unknown, i: number): string => {
  if (!isPlainObject(m)) return `manifests[${i}]`;
  const meta = isPlainObject(m.metadata) ? m.metadata : {};
  const ns = typeof meta.namespace === "string" ? `${meta.namespace}/` : "";
  const name = typeof meta.name === "string" ? meta.name : "?";
  return `manifests[${i}] (${String(m.kind ?? "?")} ${ns}${name})`;
};

function checkObject(o: unknown): KubeObject {
  if (!isPlainObject(o)) throw new Error("not an object");
  const meta = o.metadata;
  if (typeof o.apiVersion !== "string" || !o.apiVersion) throw new Error("apiVersion is missing");
  if (typeof o.kind !== "string" || !o.kind) throw new Error("kind is missing");
  if (!isPlainObject(meta) || typeof meta.name !== "string" || !meta.name) throw new Error("metadata.name is missing");
  return o as KubeObject;
}

export function renderBundle(input: RenderInput): RenderResult {
  const { spec } = input;
  if (spec.source?.helm && !spec.source.manifests) {
    return { ok: false, reason: "UnsupportedSource", message: "helm sources are not rendered by this hub yet" };
  }
  const values = effectiveValues(spec, input.cluster.labels, input);
  if (spec.valuesSchema !== undefined) {
    const inline = inlineSecretsFailure(spec.valuesSchema, spec, input.cluster.labels, input);
    if (inline) return inline;
    const check = input.validateValues(spec.valuesSchema, values);
    if (!check.ok) return { ok: false, reason: "ValuesInvalid", message: valuesErrorsMessage(check.errors) };
  }
  const ctx: RenderContext = { values, cluster: input.cluster };
  const objects: KubeObject[] = [];
  const manifests = spec.source?.manifests ?? [];
  for (const [i, m] of manifests.entries()) {
    const where = describe(m, i);
    try {
      objects.push(checkObject(renderTree(m, ctx, "")));
    } catch (err) {
      const reason: RenderFailureReason = err instanceof PlaceholderError ? "RenderFailed" : "InvalidManifest";
      return { ok: false, reason, message: `${where}: ${(err as Error).message}` };
    }
  }
  return { ok: true, values, bundle: bundleOf(input, objects) };
}

/** The bundle one cluster gets for one addon, from the objects its source rendered to (pure). */
export function bundleOf(input: Pick<RenderInput, "addon" | "revision" | "spec" | "cluster">, objects: KubeObject[]): DesiredBundle {
  const { spec } = input;
  return {
    version: PROTOCOL_VERSION,
    kind: "DesiredBundle",
    cluster: input.cluster.name,
    addon: input.addon,
    revision: input.revision,
    installNamespace: spec.installNamespace ?? "",
    driftPolicy: spec.driftPolicy ?? "Correct",
    ...(spec.deleteCRDs ? { deleteCRDs: true } : {}),
    ...(spec.forceConflicts ? { forceConflicts: true } : {}),
    objects,
    // Only when there are rules: a bundle without them stays readable by agents that predate them.
    ...(spec.healthChecks?.length ? { healthChecks: spec.healthChecks } : {}),
    // Likewise only when declared: the agent derives an addon's permissions from its objects otherwise.
    ...(spec.permissions?.length ? { permissions: spec.permissions } : {}),
  };
}
