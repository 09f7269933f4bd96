import type { AddonPermission } from "@flotilla/shared";
import { kindKey, type ObjectRef } from "../inventory/ref.js";
import { RBAC_GROUP } from "./names.js";

/** What discovery (or the bundle's own CRD) says about a kind. */
export interface KindInfo {
  resource: string;
  namespaced: boolean;
}

/** `group/Kind`, the key of `kinds`. */
export { kindKey };

/**
 * Verbs the agent uses for an addon's objects: server-side apply needs `patch`, and `create` as well
 * when the object does not exist yet (measured: test/src/integration/addon-identity.test.ts);
 * `get` reads before a delete and while a CRD becomes Established; `delete` prunes and uninstalls.
 * Nothing lists or watches as the addon (the agent watches with its own identity).
 */
export const WRITE_VERBS = ["create", "delete", "get", "patch"] as const;
/** For what an earlier revision made and this one leaves out: only read it and delete it, by name. */
export const CLEANUP_VERBS = ["delete", "get"] as const;

/**
 * RBAC objects need more than writing: the API server lets a subject create a Role or ClusterRole only
 * with permissions it holds itself, or with `escalate` on it; and a binding only to a role it could
 * grant, or with `bind` on that role. An addon that ships RBAC (nearly every chart) gets `escalate` and
 * `bind` on exactly the roles its bundle makes, and `bind` on exactly the roles its bindings name (a
 * chart binding the built-in `system:auth-delegator`), each by name: what the bundle asks for and no
 * more, as `helm install` would do with the installer's rights.
 */
export const ROLE_VERBS = ["bind", "escalate"] as const;

/** A role a binding of the bundle names (`roleRef`): a Role in the binding's namespace, or a ClusterRole. */
export interface RoleRefUse {
  kind: "Role" | "ClusterRole";
  name: string;
  /** The binding's namespace, for a Role. */
  namespace?: string;
}

/** One permission on one resource: cluster-wide (no namespace) or in a namespace; by name when `names`. */
export interface Grant {
  group: string;
  resource: string;
  namespace?: string;
  /** Only these objects (always for cluster-scoped kinds and cleanup). */
  names?: string[];
  verbs: readonly string[];
}

export interface EnvelopeInput {
  installNamespace: string;
  /** Declared by the fleet admin (CMA spec.permissions); undefined: derived from the objects. */
  permissions?: readonly AddonPermission[];
  /** The bundle's objects as the applier placed them. */
  objects: readonly ObjectRef[];
  /** What the AppliedAddOn inventory holds: made by earlier revisions, maybe not in this bundle. */
  inventory: readonly ObjectRef[];
  /** Scope and resource per `group/Kind` (kindKey). */
  kinds: ReadonlyMap<string, KindInfo>;
  /** The roles the bundle's (declared) bindings name. */
  roleRefs?: readonly RoleRefUse[];
}

export interface Envelope {
  grants: Grant[];
  /** `group/Kind` of objects whose kind is not known yet (not served, no CRD in the bundle): no grant. */
  unresolved: string[];
}

/**
 * The permissions of an addon's identity. Every object of the bundle that the declaration covers (its
 * kind in its group, its namespace among the declared ones or else the install namespace) gets the
 * write verbs: namespaced kinds per namespace, cluster-scoped kinds by name (so declaring
 * ClusterRole does not open every ClusterRole in the cluster). Without a declaration, every object of
 * the bundle is covered. An object the declaration does not cover gets nothing, so the API server
 * refuses it. Inventory objects not covered that way may still be read and deleted, by name, so a
 * prune or uninstall of what an earlier revision made goes through. Pure.
 */
export function addonEnvelope(i: EnvelopeInput): Envelope {
  const writes = new Map<string, Grant>();
  const cleanup = new Map<string, Grant>();
  const roles = new Map<string, Grant>();
  const binds = new Map<string, Grant>();
  const unresolved = new Set<string>();
  const add = (into: Map<string, Grant>, ref: ObjectRef, info: KindInfo, verbs: readonly string[], byName: boolean) => {
    const namespace = info.namespaced ? ref.namespace : undefined;
    if (info.namespaced && !namespace) return; // not addressable: its apply fails before RBAC matters
    const key = `${ref.group}/${info.resource}/${namespace ?? ""}`;
    const g = into.get(key) ?? { group: ref.group, resource: info.resource, ...(namespace ? { namespace } : {}), ...(byName ? { names: [] } : {}), verbs };
    if (byName && g.names && !g.names.includes(ref.name)) g.names.push(ref.name);
    into.set(key, g);
  };
  for (const o of i.objects) {
    const info = i.kinds.get(kindKey(o.group, o.kind));
    if (!info) {
      unresolved.add(kindKey(o.group, o.kind));
      continue;
    }
    if (!declared(i, o, info)) continue;
    add(writes, o, info, WRITE_VERBS, !info.namespaced);
    if (o.group === RBAC_GROUP && (o.kind === "Role" || o.kind === "ClusterRole")) add(roles, o, info, ROLE_VERBS, true);
  }
  for (const r of i.roleRefs ?? []) {
    const ref: ObjectRef = { group: RBAC_GROUP, version: "v1", kind: r.kind, name: r.name, ...(r.kind === "Role" && r.namespace ? { namespace: r.namespace } : {}) };
    const info: KindInfo = r.kind === "Role" ? { resource: "roles", namespaced: true } : { resource: "clusterroles", namespaced: false };
    const made = roles.get(`${RBAC_GROUP}/${info.resource}/${ref.namespace ?? ""}`);
    if (!made?.names?.includes(r.name)) add(binds, ref, info, ["bind"], true);
  }
  for (const o of i.inventory) {
    const info = i.kinds.get(kindKey(o.group, o.kind));
    if (!info || covered(writes, o, info)) continue;
    add(cleanup, o, info, CLEANUP_VERBS, true);
  }
  const sorted = [...writes.values(), ...roles.values(), ...binds.values(), ...cleanup.values()].map((g) => (g.names ? { ...g, names: [...g.names].sort() } : g));
  return { grants: sorted, unresolved: [...unresolved].sort() };
}

function declared(i: EnvelopeInput, o: ObjectRef, info: KindInfo): boolean {
  if (!i.permissions) return true;
  return i.permissions.some(
    (p) => (p.group ?? "") === o.group && p.kinds.includes(o.kind) && (!info.namespaced || (p.namespaces ?? [i.installNamespace]).includes(o.namespace ?? "")),
  );
}

function covered(writes: ReadonlyMap<string, Grant>, o: ObjectRef, info: KindInfo): boolean {
  const g = writes.get(`${o.group}/${info.resource}/${info.namespaced ? (o.namespace ?? "") : ""}`);
  return g !== undefined && (!g.names || g.names.includes(o.name));
}
