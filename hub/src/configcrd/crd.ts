import { ADDON_NAME_LABEL } from "@flotilla/shared";
import { CONFIG_GROUP, configNames, VERSIONS_ANNOTATION } from "./names.js";
import type { StructuralSchema } from "./types.js";

/** One served version of a config CRD: the values schema, and the chart version it came from. */
export interface ConfigVersion {
  name: string;
  values: StructuralSchema;
  chartVersion?: string;
  /** sha256 of the canonical JSON of `values`: how the planner tells schemas apart. */
  schemaHash: string;
}

/** A generated CRD in wire form (send it as JSON: server-side apply). */
export interface ConfigCrd {
  apiVersion: "apiextensions.k8s.io/v1";
  kind: "CustomResourceDefinition";
  metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: {
    group: string;
    scope: "Namespaced";
    names: ReturnType<typeof configNames> & { categories: string[] };
    versions: CrdVersion[];
    conversion: { strategy: "None" };
  };
}

export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  schema: { openAPIV3Schema: StructuralSchema };
  subresources: { status: Record<string, never> };
  additionalPrinterColumns: { name: string; type: string; jsonPath: string; priority?: number; description?: string }[];
}

const CONDITION: StructuralSchema = {
  type: "object",
  required: ["type", "status", "lastTransitionTime", "reason", "message"],
  properties: {
    type: { type: "string", maxLength: 316 },
    status: { type: "string", enum: ["True", "False", "Unknown"] },
    observedGeneration: { type: "integer", format: "int64", minimum: 0 },
    lastTransitionTime: { type: "string", format: "date-time" },
    reason: { type: "string", minLength: 1, maxLength: 1024 },
    message: { type: "string", maxLength: 32768 },
  },
};

/**
 * The config CRD of an addon: kind `<Addon>Config` in `config.addon.flotilla.dev`, namespaced (the
 * namespace is the cluster's, as for its ManagedClusterAddOn), one object per cluster named after the
 * addon. The values sit under `spec.values` (the shape of MCA `spec.values`), which leaves `spec` room
 * for settings that are not values. Every version is served; the last one is the storage version;
 * conversion is `None` (docs/config-crd.md says what that means for old objects).
 */
export function configCrd(input: { addon: string; versions: readonly ConfigVersion[] }): ConfigCrd {
  const { addon, versions } = input;
  const names = configNames(addon);
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: {
      name: `${names.plural}.${CONFIG_GROUP}`,
      labels: { [ADDON_NAME_LABEL]: addon, "app.kubernetes.io/part-of": "flotilla", "app.kubernetes.io/managed-by": "flotilla-hub" },
      annotations: { [VERSIONS_ANNOTATION]: JSON.stringify(versions.map((v) => ({ name: v.name, ...(v.chartVersion ? { chartVersion: v.chartVersion } : {}), schemaHash: v.schemaHash }))) },
    },
    spec: {
      group: CONFIG_GROUP,
      scope: "Namespaced",
      names: { ...names, categories: ["flotilla", "flotilla-config"] },
      versions: versions.map((v, i) => crdVersion(addon, names.kind, v, i === versions.length - 1)),
      conversion: { strategy: "None" },
    },
  };
}

function crdVersion(addon: string, kind: string, v: ConfigVersion, storage: boolean): CrdVersion {
  const chart = v.chartVersion ? ` (chart ${v.chartVersion})` : "";
  return {
    name: v.name,
    served: true,
    storage,
    subresources: { status: {} },
    additionalPrinterColumns: [
      { name: "Ready", type: "string", jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
      { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
    ],
    schema: {
      openAPIV3Schema: {
        description: `${kind}: the values of addon ${addon} for one cluster${chart}. Create it in the cluster's namespace on the hub, named ${addon}; the API server checks spec.values against the chart's values schema.`,
        type: "object",
        required: ["spec"],
        "x-kubernetes-validations": [
          { rule: `self.metadata.name == '${addon}'`, message: `a ${kind} must be named ${addon} (one per cluster, in the cluster's namespace)`, fieldPath: ".metadata.name", reason: "FieldValueInvalid" },
        ],
        properties: {
          apiVersion: { type: "string" },
          kind: { type: "string" },
          metadata: { type: "object", properties: { name: { type: "string", maxLength: 63 } } },
          spec: {
            type: "object",
            required: ["values"],
            properties: { values: { ...v.values, description: v.values.description ?? `Values of ${addon}, merged over the ClusterManagementAddOn's and the placement's.` } },
          },
          status: {
            type: "object",
            properties: {
              observedGeneration: { type: "integer", format: "int64", minimum: 0 },
              conditions: { type: "array", maxItems: 32, "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["type"], items: CONDITION },
            },
          },
        },
      },
    },
  };
}
