import { Watch, type KubeConfig } from "@kubernetes/client-node";
import type { ClusterManagementAddOn } from "@flotilla/shared";
import { demoAddon, type Spoke } from "./support.js";

const ADDON_LABEL = "addon.flotilla.dev/name";

/** One revision of a generated manifests addon: `count` ConfigMaps named `<prefix>-<i>`, spread over `namespaces`. */
export interface BulkRevision {
  prefix: string;
  namespaces: readonly string[];
  count: number;
}

/** The objects of a bulk revision as "Kind namespace/name" (namespaces as "Namespace /name"). */
export function bulkObjects(r: BulkRevision): string[] {
  const nss = r.namespaces.map((ns) => `Namespace /${ns}`);
  const cms = Array.from({ length: r.count }, (_, i) => `ConfigMap ${r.namespaces[i % r.namespaces.length]}/${r.prefix}-${i}`);
  return [...nss, ...cms].sort();
}

/** The manifests of a bulk revision (what goes into `spec.source.manifests`). */
export function bulkManifests(r: BulkRevision): Record<string, unknown>[] {
  return [
    ...r.namespaces.map((name) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } })),
    ...Array.from({ length: r.count }, (_, i) => ({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: `${r.prefix}-${i}`, namespace: r.namespaces[i % r.namespaces.length] },
      data: { index: String(i), revision: r.prefix },
    })),
  ];
}

/** A manifests addon holding only a bulk revision's objects, on every `env=dev` cluster at once. */
export function bulkAddon(name: string, r: BulkRevision): ClusterManagementAddOn {
  const cma = demoAddon(name);
  const spec = cma.spec as unknown as Record<string, unknown>;
  return { ...cma, spec: { ...spec, installNamespace: r.namespaces[0], values: {}, source: { manifests: bulkManifests(r) } } } as unknown as ClusterManagementAddOn;
}

/** Every Namespace and ConfigMap on the spoke carrying the addon's label, as "Kind namespace/name", sorted. */
export async function labelledObjects(spoke: Spoke, addon: string): Promise<string[]> {
  const labelSelector = `${ADDON_LABEL}=${addon}`;
  const [nss, cms] = await Promise.all([spoke.core.listNamespace({ labelSelector }), spoke.core.listConfigMapForAllNamespaces({ labelSelector })]);
  return [
    ...nss.items.map((n) => `Namespace /${n.metadata?.name}`), // a terminating one still counts: it is not gone
    ...cms.items.map((c) => `ConfigMap ${c.metadata?.namespace}/${c.metadata?.name}`),
  ].sort();
}

/**
 * Watches `path` (a collection, e.g. `/api/v1/configmaps`) with a label selector, and resolves `seen`
 * with the number of ADDED objects `match` accepts once it reaches `atLeast`. `started` resolves once
 * the watch is open (start it before the change it looks for). Woken by the API server's events, not
 * by a timer.
 */
export function watchAdded(kc: KubeConfig, path: string, labelSelector: string, match: (name: string) => boolean, atLeast: number) {
  let resolveSeen!: (n: number) => void;
  let rejectSeen!: (err: unknown) => void;
  const seen = new Promise<number>((resolve, reject) => {
    resolveSeen = resolve;
    rejectSeen = reject;
  });
  const names = new Set<string>();
  let done = false;
  const started = new Watch(kc).watch(path, { labelSelector }, (phase, obj: { metadata?: { name?: string; namespace?: string } }) => {
    const name = obj.metadata?.name ?? "";
    if (done || phase !== "ADDED" || !match(name)) return;
    names.add(`${obj.metadata?.namespace ?? ""}/${name}`);
    if (names.size >= atLeast) {
      done = true;
      resolveSeen(names.size);
    }
  }, (err: unknown) => {
    if (!done) rejectSeen(err ?? new Error(`watch on ${path} ended before ${atLeast} objects were added`));
  });
  return {
    started: started.then(() => undefined),
    seen,
    stop: async () => {
      done = true;
      (await started.catch(() => undefined))?.abort();
    },
  };
}
