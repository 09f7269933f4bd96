import { compareText } from "@flotilla/shared";
/**
 * The order objects are applied in (DESIGN §7): what others depend on first. Deletion (prune,
 * uninstall) runs the same order backwards, so workloads go before the RBAC and namespaces they use.
 */
const PHASES: readonly (readonly string[])[] = [
  ["Namespace"],
  ["CustomResourceDefinition"],
  ["PriorityClass", "StorageClass", "ResourceQuota", "LimitRange", "PodSecurityPolicy", "PodDisruptionBudget"],
  ["ServiceAccount", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"],
  ["ConfigMap", "Secret"],
  ["PersistentVolume", "PersistentVolumeClaim"],
  ["Service", "Endpoints", "EndpointSlice", "IngressClass"],
  ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Pod", "Job", "CronJob"],
  ["HorizontalPodAutoscaler", "Ingress", "NetworkPolicy", "APIService", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"],
];

const RANK: ReadonlyMap<string, number> = new Map(PHASES.flatMap((kinds, i) => kinds.map((k) => [k, i] as const)));

/** Custom resources and any kind not listed above come last. */
export const LAST_PHASE = PHASES.length;

/** Phase of a kind: lower applies earlier. Objects in one phase do not depend on each other. */
export const kindPhase = (kind: string): number => RANK.get(kind) ?? LAST_PHASE;

interface Kinded {
  kind: string;
  metadata?: { name?: string; namespace?: string };
}

const byName = (a: Kinded, b: Kinded): number =>
  compareText(a.metadata?.namespace ?? "", b.metadata?.namespace ?? "") || compareText(a.metadata?.name ?? "", b.metadata?.name ?? "");

/** Stable apply order: by phase, then kind, namespace and name, so runs are reproducible. */
export function applyOrder<T extends Kinded>(objects: readonly T[]): T[] {
  return [...objects].sort((a, b) => kindPhase(a.kind) - kindPhase(b.kind) || compareText(a.kind, b.kind) || byName(a, b));
}

/** Reverse of the apply order, for deletion. */
export function deleteOrder<T extends Kinded>(objects: readonly T[]): T[] {
  return applyOrder(objects).reverse();
}

/** Objects grouped by phase in apply order; each group can be applied concurrently. */
export function applyPhases<T extends Kinded>(objects: readonly T[]): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let phase = -1;
  for (const o of applyOrder(objects)) {
    const p = kindPhase(o.kind);
    if (p !== phase && current.length > 0) {
      groups.push(current);
      current = [];
    }
    phase = p;
    current.push(o);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
