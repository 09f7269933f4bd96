import { ADDON_NAME_LABEL, type KubeObject } from "@flotilla/shared";
import { splitApiVersion } from "../inventory/ref.js";

/** Server-populated metadata that must not be sent in an apply request. */
const SERVER_FIELDS = ["uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "managedFields", "selfLink"] as const;

/**
 * The object as the agent applies it: labelled with its addon, namespaced into `installNamespace`
 * when the kind is namespaced and the object names none, stripped of server-owned metadata.
 * `namespaced` undefined means the scope is not known (the apply will say if the kind exists).
 */
export function prepareObject(obj: KubeObject, addon: string, installNamespace: string, namespaced: boolean | undefined): KubeObject {
  const copy = structuredClone(obj);
  const metadata = copy.metadata;
  for (const f of SERVER_FIELDS) delete metadata[f];
  metadata.labels = { ...(metadata.labels ?? {}), [ADDON_NAME_LABEL]: addon };
  if (namespaced === true && !metadata.namespace && installNamespace) metadata.namespace = installNamespace;
  if (namespaced === false) delete metadata.namespace;
  return copy;
}

/**
 * Scopes of the custom kinds a bundle brings its own CRDs for (`group/Kind` → namespaced), so their
 * objects can be placed before the CRD is even served.
 */
export function scopesFromCrds(objects: readonly KubeObject[]): Map<string, boolean> {
  return new Map([...crdKinds(objects)].map(([k, v]) => [k, v.namespaced]));
}

/** Resource (plural) and scope of the custom kinds a bundle brings its own CRDs for, by `group/Kind`. */
export function crdKinds(objects: readonly KubeObject[]): Map<string, { resource: string; namespaced: boolean }> {
  const out = new Map<string, { resource: string; namespaced: boolean }>();
  for (const o of objects) {
    if (o.kind !== "CustomResourceDefinition" || splitApiVersion(o.apiVersion).group !== "apiextensions.k8s.io") continue;
    const spec = (o as { spec?: { group?: unknown; scope?: unknown; names?: { kind?: unknown; plural?: unknown } } }).spec;
    if (typeof spec?.group === "string" && typeof spec.names?.kind === "string") {
      const plural = typeof spec.names.plural === "string" ? spec.names.plural : `${spec.names.kind.toLowerCase()}s`;
      out.set(`${spec.group}/${spec.names.kind}`, { resource: plural, namespaced: spec.scope !== "Cluster" });
    }
  }
  return out;
}

export const scopeKey = (apiVersion: string, kind: string): string => `${splitApiVersion(apiVersion).group}/${kind}`;
