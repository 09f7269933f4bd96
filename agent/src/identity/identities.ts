import { canonicalJson, FlotillaError, httpStatusOf, kubeErrorMessage, sha256Hex, type Clock, type DesiredBundle, type KubeObject, type Logger } from "@flotilla/shared";
import type { Applier } from "../apply/applier.js";
import type { RawObjectApi } from "../apply/object-api.js";
import { refOf, type ObjectRef } from "../inventory/ref.js";
import { settle, whoAmI } from "./access.js";
import { addonEnvelope, kindKey, type Envelope, type EnvelopeInput, type Grant, type KindInfo, type RoleRefUse } from "./envelope.js";
import { resolveKinds } from "./kinds.js";
import { IDENTITY_FIELD_MANAGER, IDENTITY_LABEL, RBAC_GROUP, addonIdentityName, serviceAccountUser, type Subject } from "./names.js";
import { planIdentity, staleIdentity, type IdentityRef } from "./plan.js";
import { grantsCover, requestTarget } from "./refusal.js";

export interface AddonIdentitiesOptions {
  /** The agent's own API (its own identity): writes the RBAC, discovers kinds. */
  api: RawObjectApi;
  /** Where the addons' ServiceAccounts live (the agent's namespace). */
  namespace: string;
  /** An Applier on the given (impersonating) object API. */
  makeApplier: (api: RawObjectApi) => Applier;
  logger: Logger;
  clock: Clock;
  signal?: AbortSignal;
  /** How long a written role may take to be in force before the apply goes ahead anyway. */
  settleTimeoutMs?: number;
}

/** What the identity kinds are listed and deleted as. */
const IDENTITY_KINDS = [
  { apiVersion: "v1", kind: "ServiceAccount" },
  { apiVersion: `${RBAC_GROUP}/v1`, kind: "ClusterRoleBinding" },
  { apiVersion: `${RBAC_GROUP}/v1`, kind: "ClusterRole" },
  { apiVersion: `${RBAC_GROUP}/v1`, kind: "RoleBinding" },
  { apiVersion: `${RBAC_GROUP}/v1`, kind: "Role" },
] as const;

/**
 * Each addon's own identity on the spoke: a ServiceAccount whose roles allow exactly the addon's
 * envelope (identity/envelope.ts), impersonated by every request the applier makes for the addon, so
 * the API server itself refuses what the addon may not touch. `ensure` writes the RBAC before an
 * apply when the plan changed (or a request was refused since), `remove` deletes it after uninstall.
 */
export class AddonIdentities {
  private readonly appliers = new Map<string, Applier>();
  private readonly apis = new Map<string, RawObjectApi>();
  /** addon → fingerprint of the last plan written in full (every namespace there, every kind known). */
  private readonly ensured = new Map<string, string>();
  /** addon → the grants last planned, to tell a missing role from a refusal on purpose. */
  private readonly grants = new Map<string, readonly Grant[]>();
  private agent: Subject | undefined;

  constructor(private readonly o: AddonIdentitiesOptions) {}

  userOf(addon: string): string {
    return serviceAccountUser(this.o.namespace, addonIdentityName(addon));
  }

  /**
   * The applier that acts as the addon. A 403 for something its grants allow means its roles are not
   * what the agent wrote (deleted or edited by someone): the next `ensure` writes them again. A 403
   * for something outside them is the point, and changes nothing.
   */
  applier(addon: string): Applier {
    let a = this.appliers.get(addon);
    if (!a) {
      a = this.o.makeApplier(this.api(addon));
      this.appliers.set(addon, a);
    }
    return a;
  }

  /** The object API that acts as the addon (its applier's; the hook runner's too). */
  api(addon: string): RawObjectApi {
    let a = this.apis.get(addon);
    if (!a) {
      a = this.o.api.impersonating(this.userOf(addon), (method, url) => {
        const t = requestTarget(method, url);
        if (!t || grantsCover(this.grants.get(addon) ?? [], t)) this.ensured.delete(addon);
      });
      this.apis.set(addon, a);
    }
    return a;
  }

  /** Makes the addon's RBAC match the bundle's `objects` (placed) and what `inventory` still holds. */
  async ensure(bundle: DesiredBundle, objects: readonly KubeObject[], inventory: readonly ObjectRef[]): Promise<void> {
    await this.converge(bundle.addon, { installNamespace: bundle.installNamespace, ...(bundle.permissions ? { permissions: bundle.permissions } : {}) }, objects, inventory);
  }

  /**
   * Before an uninstall: an identity that may read and delete, by name, exactly what the inventory
   * holds. So an uninstall goes through even when the addon's identity is gone or was never written
   * (an agent upgraded to identities while the addon was being removed), and with no more than that.
   */
  async ensureForUninstall(addon: string, inventory: readonly ObjectRef[], deleteHooks: readonly KubeObject[] = []): Promise<void> {
    await this.converge(addon, { installNamespace: "" }, deleteHooks, inventory, true);
  }

  private async converge(
    addon: string,
    declared: Pick<EnvelopeInput, "installNamespace" | "permissions">,
    objects: readonly KubeObject[],
    inventory: readonly ObjectRef[],
    uninstalling = false,
  ): Promise<void> {
    const { api } = this.o;
    const { envelope } = await this.envelopeOf(declared, objects, inventory);
    this.agent ??= await whoAmI(api);
    const plan = planIdentity({ addon, namespace: this.o.namespace, agent: this.agent, grants: envelope.grants });
    this.grants.set(addon, envelope.grants);
    const fingerprint = sha256Hex(canonicalJson({ cluster: plan.cluster, namespaced: [...plan.namespaced] }));
    if (this.ensured.get(addon) === fingerprint) return;

    for (const obj of plan.cluster) await this.write(obj);
    let complete = envelope.unresolved.length === 0;
    for (const [ns, rbac] of plan.namespaced) complete = (await this.writeIn(ns, rbac, addon, objects, uninstalling)) && complete;
    const stale = staleIdentity(await this.list(addon), plan);
    for (const r of stale) await this.delete(r);
    const inForce = await settle(plan.checks, { self: api, as: (u) => api.impersonating(u), clock: this.o.clock, timeoutMs: this.o.settleTimeoutMs ?? 10_000, ...(this.o.signal ? { signal: this.o.signal } : {}) });
    if (complete && inForce) this.ensured.set(addon, fingerprint);
    this.o.logger.info({ addon, user: plan.user, grants: envelope.grants.length, namespaces: plan.namespaced.size, removed: stale.length, unresolved: envelope.unresolved, complete, inForce }, "addon identity written");
  }

  /**
   * Whether the identity `ensure` would write for this bundle may apply an object: for `flotilla diff`,
   * which writes no RBAC, to tell an object not checked yet from one the apply would be refused too.
   */
  async wouldGrant(bundle: DesiredBundle, objects: readonly KubeObject[], inventory: readonly ObjectRef[]): Promise<(ref: ObjectRef) => boolean> {
    const { envelope, kinds } = await this.envelopeOf({ installNamespace: bundle.installNamespace, ...(bundle.permissions ? { permissions: bundle.permissions } : {}) }, objects, inventory);
    return (ref) => {
      const info = kinds.get(kindKey(ref.group, ref.kind));
      if (!info) return false;
      return grantsCover(envelope.grants, { verb: "patch", group: ref.group, resource: info.resource, ...(info.namespaced && ref.namespace ? { namespace: ref.namespace } : {}), name: ref.name });
    };
  }

  private async envelopeOf(declared: Pick<EnvelopeInput, "installNamespace" | "permissions">, objects: readonly KubeObject[], inventory: readonly ObjectRef[]): Promise<{ envelope: Envelope; kinds: ReadonlyMap<string, KindInfo> }> {
    const refs = objects.map(refOf);
    const kinds = await resolveKinds(this.o.api, objects, [...refs, ...inventory]);
    return { envelope: addonEnvelope({ ...declared, objects: refs, inventory, kinds, roleRefs: roleRefsOf(objects) }), kinds };
  }

  /** Deletes the addon's identity; after its objects are gone, so an uninstall can still delete them. */
  async remove(addon: string): Promise<void> {
    for (const r of await this.list(addon)) await this.delete(r);
    this.ensured.delete(addon);
    this.grants.delete(addon);
    this.appliers.delete(addon);
    this.apis.delete(addon);
  }

  /**
   * A namespace's Role and RoleBinding. A RoleBinding cannot be made before its namespace exists, and
   * the addon may be what creates it: then the bundle's Namespace is applied first, as the addon (its
   * ClusterRole allows that namespace by name, or the API server refuses and the apply reports it),
   * exactly as the applier's first phase would. False when the namespace is not there (yet).
   */
  private async writeIn(ns: string, rbac: readonly KubeObject[], addon: string, objects: readonly KubeObject[], uninstalling: boolean): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      try {
        for (const obj of rbac) await this.write(obj);
        return true;
      } catch (err) {
        const own = objects.find((o) => o.kind === "Namespace" && o.apiVersion === "v1" && o.metadata.name === ns);
        const cause = err instanceof FlotillaError && err.cause ? err.cause : err;
        const notFound = httpStatusOf(cause) === 404;
        // A namespace being deleted takes no new Role. An apply reports that and retries; an
        // uninstall goes on without it (what is in that namespace goes with it).
        if (uninstalling && httpStatusOf(cause) === 403 && /because it is being terminated/.test(kubeErrorMessage(cause))) return false;
        if (!notFound) throw err;
        if (attempt > 0 || !own) return false;
        if ((await this.applier(addon).apply([own])).error) return false;
      }
    }
  }

  private async write(obj: KubeObject): Promise<void> {
    try {
      await this.o.api.apply(obj, IDENTITY_FIELD_MANAGER);
    } catch (err) {
      // The agent's own namespace, missing on a spoke where the agent was not installed from its
      // manifests (a dev fleet): made once, then the ServiceAccount again.
      if (obj.kind === "ServiceAccount" && httpStatusOf(err) === 404) {
        await this.o.api.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: this.o.namespace } }, IDENTITY_FIELD_MANAGER);
        await this.o.api.apply(obj, IDENTITY_FIELD_MANAGER);
        return;
      }
      throw identityError(`cannot write ${obj.kind} ${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ""}${obj.metadata.name}`, err);
    }
  }

  private async list(addon: string): Promise<IdentityRef[]> {
    const out: IdentityRef[] = [];
    for (const k of IDENTITY_KINDS) {
      const list = await this.o.api.list(k.apiVersion, k.kind, k.kind === "ServiceAccount" ? this.o.namespace : undefined, undefined, undefined, undefined, undefined, `${IDENTITY_LABEL}=${addon}`);
      for (const item of list.items) if (item.metadata?.name) out.push({ kind: k.kind, name: item.metadata.name, ...(item.metadata.namespace ? { namespace: item.metadata.namespace } : {}) });
    }
    return out;
  }

  private async delete(r: IdentityRef): Promise<void> {
    const k = IDENTITY_KINDS.find((x) => x.kind === r.kind);
    if (!k) return;
    const group = k.apiVersion.includes("/") ? RBAC_GROUP : "";
    await this.o.api.remove({ group, version: "v1", kind: r.kind, name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}) });
  }
}

/**
 * The agent could not write an addon's RBAC. Retryable even on a 403 (the agent's own RBAC is missing
 * something, or escalate/bind): it is retried with backoff, and the message names what was refused.
 */
function identityError(what: string, err: unknown): FlotillaError {
  return new FlotillaError("Retryable", `addon identity: ${what}: ${kubeErrorMessage(err)}`, { cause: err });
}

/** The roles the bundle's RoleBindings and ClusterRoleBindings name. */
function roleRefsOf(objects: readonly KubeObject[]): RoleRefUse[] {
  const out: RoleRefUse[] = [];
  for (const o of objects) {
    if (!o.apiVersion.startsWith(`${RBAC_GROUP}/`) || (o.kind !== "RoleBinding" && o.kind !== "ClusterRoleBinding")) continue;
    const ref = (o as { roleRef?: { kind?: unknown; name?: unknown } }).roleRef;
    if (typeof ref?.name !== "string" || (ref.kind !== "Role" && ref.kind !== "ClusterRole")) continue;
    out.push({ kind: ref.kind, name: ref.name, ...(ref.kind === "Role" && o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) });
  }
  return out;
}
