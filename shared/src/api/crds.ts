import { loadYaml, type V1CustomResourceDefinition } from "@kubernetes/client-node";
import type { CrdObject } from "./crds.generated.js";

/**
 * The CRD as a @kubernetes/client-node model, for ApiextensionsV1Api and KubernetesObjectApi.
 *
 * The client's models rename wire keys (`x-kubernetes-validations` → `x_kubernetes_validations`,
 * `default` → `_default`) and serialize from the renamed ones, so handing them the wire JSON silently
 * drops validations and defaults. loadYaml deserializes by the model's type map (JSON is YAML).
 */
export function crdModel(crd: CrdObject): V1CustomResourceDefinition {
  return loadYaml<V1CustomResourceDefinition>(JSON.stringify(crd));
}
