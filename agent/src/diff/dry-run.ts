import { AGENT_FIELD_MANAGER, httpStatusOf, resources, type DesiredBundle, type DiffObject, type KubeObject } from "@flotilla/shared";
import type { Applier } from "../apply/applier.js";
import { applyPhases } from "../apply/kind-order.js";
import { isUnknownKind, type RawObjectApi } from "../apply/object-api.js";
import { ApplyError } from "../errors.js";
import { decideDelete, pruneCandidates } from "../inventory/prune-plan.js";
import { describeRef, refKey, refOf, splitApiVersion, type InventoryItem, type ObjectRef } from "../inventory/ref.js";
import { objectChanges } from "./compare.js";

const AAO = resources.appliedAddOns;

export interface DryRunOutcome {
  appliedRevision?: string;
  /** In apply order, then what would be pruned, in delete order. Not bounded yet. */
  objects: DiffObject[];
}

/** What this revision creates, so objects that depend on it are not refused for its absence. */
interface Creations {
  namespaces: Set<string>;
  /** `group/Kind` of the kinds whose CRD the revision creates. */
  kinds: Set<string>;
}

/**
 * Why an object the server could not dry-run is still a plain creation, if it is: its namespace, or
 * its kind's CRD, comes with this revision and does not exist yet (a dry run creates neither). Pure.
 */
export function unverifiedCreate(obj: KubeObject, err: unknown, made: Creations): string | undefined {
  const ns = obj.metadata.namespace;
  if (ns && made.namespaces.has(ns) && httpStatusOf(err) === 404) return `namespace ${ns} is created by this revision: not checked by the server`;
  const kind = `${splitApiVersion(obj.apiVersion).group}/${obj.kind}`;
  if (made.kinds.has(kind) && isUnknownKind(err)) return `its CustomResourceDefinition is created by this revision: not checked by the server`;
  return undefined;
}

/**
 * A read or dry run refused (403) says more when the diff knows whether the identity this revision
 * would get may apply the object: not checked yet (a diff writes no RBAC), or refused by the apply too.
 * Undefined for other errors, or when that is not known. Pure.
 */
export function refusalMessage(ref: Pick<ObjectRef, "kind" | "namespace" | "name">, err: unknown, granted: boolean | undefined): string | undefined {
  if (httpStatusOf(err) !== 403 || granted === undefined) return undefined;
  const refused = new ApplyError(ref, err).message;
  if (!granted) return `${refused} (outside what the addon may touch: applying this revision would be refused too)`;
  return `${describeRef(ref)}: not checked: the addon is granted it only when this revision is applied, and a diff writes no RBAC`;
}

const entry = (ref: ObjectRef, action: DiffObject["action"], extra: Partial<DiffObject> = {}): DiffObject => ({
  group: ref.group, version: ref.version, kind: ref.kind, ...(ref.namespace ? { namespace: ref.namespace } : {}), name: ref.name, action, ...extra,
});

const cut = (s: string, max = 4096): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/**
 * Compares a bundle with the spoke as the applier would apply it, changing nothing: the objects are
 * placed as the applier places them, each is read and then server-side applied with `dryRun=All`
 * (same field manager, force rule and validation as the real apply), and the two are compared; the
 * AppliedAddOn inventory says what the revision would prune. Only reads and dry runs reach the server.
 */
export class DryRunner {
  constructor(
    private readonly d: {
      /** Reads (the live object, the AppliedAddOn) go through the agent's own API. */
      api: RawObjectApi;
      applier: Pick<Applier, "prepare">;
      /** What the dry run applies as: the addon's own identity, as the real apply (default `api`). */
      apiFor?: (addon: string) => RawObjectApi;
      /** Whether the identity the apply would write for this bundle may apply an object (AddonIdentities.wouldGrant). */
      wouldGrant?: (bundle: DesiredBundle, objects: readonly KubeObject[], inventory: readonly ObjectRef[]) => Promise<(ref: ObjectRef) => boolean>;
      concurrency?: number;
    },
  ) {}

  async diff(bundle: DesiredBundle): Promise<DryRunOutcome> {
    const prepared = await this.d.applier.prepare(bundle);
    const record = await this.d.api.get({ group: AAO.group, version: AAO.version, kind: AAO.kind, name: bundle.addon });
    const status = (record as { status?: { appliedRevision?: string; inventory?: InventoryItem[] } } | undefined)?.status;
    const made: Creations = { namespaces: new Set(), kinds: new Set() };
    const objects: DiffObject[] = [];
    // Forced as the real apply forces: objects the addon holds, or all with forceConflicts; a field
    // another manager owns on any other object shows as the 409 the real apply would get.
    const held = new Set((status?.inventory ?? []).filter((i) => i.uid !== "").map(refKey));
    const force = (o: KubeObject) => bundle.forceConflicts === true || held.has(refKey(refOf(o)));
    const as = this.d.apiFor?.(bundle.addon) ?? this.d.api;
    const granted = await this.d.wouldGrant?.(bundle, prepared, status?.inventory ?? []);
    for (const phase of applyPhases(prepared)) {
      const results = await this.inBatches(phase, (o) => this.one(o, { made, force: force(o), as, granted }));
      objects.push(...results);
      for (const [i, r] of results.entries()) {
        if (r.action !== "Create") continue;
        const o = phase[i] as KubeObject;
        if (o.kind === "Namespace" && r.group === "") made.namespaces.add(o.metadata.name);
        const spec = (o as { spec?: { group?: unknown; names?: { kind?: unknown } } }).spec;
        if (o.kind === "CustomResourceDefinition" && typeof spec?.group === "string" && typeof spec.names?.kind === "string") made.kinds.add(`${spec.group}/${spec.names.kind}`);
      }
    }
    objects.push(...(await this.prunes(bundle.addon, status?.inventory ?? [], prepared)));
    return { ...(status?.appliedRevision ? { appliedRevision: status.appliedRevision } : {}), objects };
  }

  private async one(obj: KubeObject, c: { made: Creations; force: boolean; as: RawObjectApi; granted: ((ref: ObjectRef) => boolean) | undefined }): Promise<DiffObject> {
    const { made, force, as } = c;
    const ref = refOf(obj);
    try {
      const live = await this.d.api.get(ref);
      let after: KubeObject;
      try {
        after = await as.apply(obj, AGENT_FIELD_MANAGER, { dryRun: true, force });
      } catch (err) {
        const why = live ? undefined : unverifiedCreate(obj, err, made);
        if (why) return entry(ref, "Create", { message: why });
        throw err;
      }
      if (!live) return entry(ref, "Create");
      const { changes, omitted } = objectChanges(live, after);
      if (!changes.length) return entry(ref, "Unchanged");
      return entry(ref, "Change", { changes, ...(omitted ? { changesOmitted: omitted } : {}) });
    } catch (err) {
      return entry(ref, "Error", { message: cut(refusalMessage(ref, err, c.granted?.(ref)) ?? new ApplyError(ref, err).message) });
    }
  }

  /** Inventory entries the bundle no longer has, that a prune would really delete (not kept, not recreated by someone). */
  private async prunes(addon: string, inventory: readonly InventoryItem[], prepared: readonly KubeObject[]): Promise<DiffObject[]> {
    const out: DiffObject[] = [];
    for (const item of pruneCandidates(inventory, prepared.map(refOf))) {
      try {
        const live = await this.d.api.get(item);
        const m = live?.metadata;
        const d = decideDelete(item, m && { uid: m.uid as string | undefined, labels: m.labels, annotations: m.annotations, deletionTimestamp: m.deletionTimestamp as string | undefined }, addon);
        if (d.delete) out.push(entry(item, "Prune"));
      } catch (err) {
        out.push(entry(item, "Error", { message: cut(new ApplyError(item, err).message) }));
      }
    }
    return out;
  }

  private async inBatches<T, R>(items: readonly T[], fn: (t: T) => Promise<R>): Promise<R[]> {
    const n = Math.max(1, this.d.concurrency ?? 8);
    const out: R[] = [];
    for (let i = 0; i < items.length; i += n) out.push(...(await Promise.all(items.slice(i, i + n).map(fn))));
    return out;
  }
}
