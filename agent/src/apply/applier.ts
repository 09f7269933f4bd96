import { ADDON_NAME_LABEL, AGENT_FIELD_MANAGER, httpStatusOf, type Clock, type DesiredBundle, type KubeObject, type Logger } from "@flotilla/shared";
import { ApplyError, ClaimedError } from "../errors.js";
import { decideDelete, type DeleteDecision } from "../inventory/prune-plan.js";
import { refKey, refOf, type InventoryItem, type ObjectRef } from "../inventory/ref.js";
import { waitForCrd } from "./crd-wait.js";
import { applyPhases } from "./kind-order.js";
import { prepareObject, scopeKey, scopesFromCrds } from "./prepare.js";
import type { RawObjectApi } from "./object-api.js";

export interface AppliedObject {
  item: InventoryItem;
  /** The object as the API server returned it from the apply. */
  live: KubeObject;
}

export interface ApplyOutcome {
  /** Everything applied, in order, up to the first failing phase. */
  applied: AppliedObject[];
  error?: ApplyError;
}

export interface DeleteOutcome {
  deleted: InventoryItem[];
  /** Left in place on purpose (gone already, recreated by someone, keep annotation). */
  skipped: { item: InventoryItem; reason: Exclude<DeleteDecision, { delete: true }>["reason"] }[];
  /** Could not be deleted now; stays in the inventory for the next try. */
  failed: { item: InventoryItem; error: ApplyError }[];
}

/** Who holds what, for one apply. */
export interface ApplyClaims {
  /** refKeys of objects the addon holds (applied before, uid known): re-applied with force. */
  owned: ReadonlySet<string>;
  /** Take other managers' fields on objects not held yet too (the addon's `forceConflicts`). */
  forceConflicts?: boolean;
  /**
   * Whether another addon holds the object (it is in that addon's inventory here). Its label alone
   * does not say so: a CRD or a kept object an uninstalled addon left behind still carries it.
   */
  heldBy?: (addon: string, ref: ObjectRef) => boolean;
}

export interface ApplierOptions {
  api: RawObjectApi;
  /** The watch cache, to see whether another addon holds an object without reading it. */
  cache?: { lookup(ref: ObjectRef): { metadata?: { labels?: Record<string, string> } } | undefined | "unknown" };
  logger: Logger;
  /** How long a CRD may take to become Established. */
  crdTimeoutMs?: number;
  /** Objects of one phase applied at once. */
  concurrency?: number;
  signal?: AbortSignal;
  clock?: Clock;
}

/** Applies bundles in kind order with server-side apply, and deletes inventory entries safely. */
export class Applier {
  constructor(private readonly opts: ApplierOptions) {}

  /**
   * The bundle's objects as they will be applied: labelled and placed. A kind's scope comes from a
   * CRD in the same bundle or from discovery; a kind discovery does not know keeps whatever namespace
   * it names (its apply fails until the kind is served). A failed discovery call rejects with a
   * Retryable error: the whole bundle is placed again on the next try, never on a guessed scope.
   */
  async prepare(bundle: DesiredBundle): Promise<KubeObject[]> {
    const bundled = scopesFromCrds(bundle.objects);
    const out: KubeObject[] = [];
    for (const o of bundle.objects) {
      const namespaced = bundled.get(scopeKey(o.apiVersion, o.kind)) ?? (await this.opts.api.isNamespaced(o.apiVersion, o.kind));
      out.push(prepareObject(o, bundle.addon, bundle.installNamespace, namespaced));
    }
    return out;
  }

  /**
   * Applies phase by phase; stops after the first phase with a failure. Objects the addon holds are
   * applied with force (a field someone else took is drift, and it is ours to put back); an object it
   * does not hold yet is refused when another addon holds it, and applied without force, so a field
   * another manager owns comes back as a 409 naming it, unless the addon opts in to `forceConflicts`.
   * Without `claims` everything is forced.
   */
  async apply(objects: readonly KubeObject[], claims?: ApplyClaims): Promise<ApplyOutcome> {
    const applied: AppliedObject[] = [];
    for (const phase of applyPhases(objects)) {
      const results = await this.inBatches(phase, (o) => this.applyOne(o, claims));
      let error: ApplyError | undefined;
      for (const r of results) {
        if (r instanceof ApplyError) error ??= r;
        else applied.push(r);
      }
      if (!error) {
        const crds = results.filter((r): r is AppliedObject => !(r instanceof ApplyError) && r.item.kind === "CustomResourceDefinition" && r.item.group === "apiextensions.k8s.io");
        for (const crd of crds) {
          const e = await waitForCrd(this.opts.api, crd.item.name, {
            version: crd.item.version,
            initial: crd.live,
            ...(this.opts.crdTimeoutMs !== undefined ? { timeoutMs: this.opts.crdTimeoutMs } : {}),
            ...(this.opts.signal ? { signal: this.opts.signal } : {}),
            ...(this.opts.clock ? { clock: this.opts.clock } : {}),
          }).catch((err: unknown) => new ApplyError(crd.item, err));
          if (e instanceof ApplyError) error ??= e;
        }
      }
      if (error) return { applied, error };
    }
    return { applied };
  }

  /** Deletes `items` one by one in the given order, leaving what is not safely ours (and CRDs unless `deleteCRDs`). */
  async delete(items: readonly InventoryItem[], addon: string, opts: { deleteCRDs?: boolean } = {}): Promise<DeleteOutcome> {
    const out: DeleteOutcome = { deleted: [], skipped: [], failed: [] };
    for (const item of items) {
      try {
        const live = await this.opts.api.get(item);
        const d = decideDelete(item, live && { uid: live.metadata.uid as string | undefined, labels: live.metadata.labels, annotations: live.metadata.annotations, deletionTimestamp: live.metadata.deletionTimestamp as string | undefined }, addon, opts);
        if (!d.delete) {
          out.skipped.push({ item, reason: d.reason });
          continue;
        }
        if (await this.opts.api.remove(item)) out.deleted.push(item);
        else out.skipped.push({ item, reason: "Gone" });
      } catch (err) {
        if (await this.namespaceGone(item, err)) out.skipped.push({ item, reason: "Gone" });
        else out.failed.push({ item, error: new ApplyError(item, err) });
      }
    }
    return out;
  }

  /**
   * An addon identity has no Role in a namespace that is gone (or going), so reading an object there
   * is refused rather than not found; the namespace itself, which it may read by name, says so.
   */
  private async namespaceGone(item: InventoryItem, err: unknown): Promise<boolean> {
    if (!item.namespace || httpStatusOf(err) !== 403) return false;
    const ns = await this.opts.api.get({ group: "", version: "v1", kind: "Namespace", name: item.namespace }).catch(() => "unknown" as const);
    return ns === undefined;
  }

  private async applyOne(obj: KubeObject, claims: ApplyClaims | undefined): Promise<AppliedObject | ApplyError> {
    const ref = refOf(obj);
    try {
      const held = !claims || claims.owned.has(refKey(ref));
      if (!held) {
        const owner = await this.holder(ref);
        const mine = obj.metadata.labels?.[ADDON_NAME_LABEL];
        if (owner && owner !== mine && (claims.heldBy?.(owner, ref) ?? true)) return new ApplyError(ref, new ClaimedError(owner));
      }
      const live = await this.opts.api.apply(obj, AGENT_FIELD_MANAGER, { force: held || claims?.forceConflicts === true });
      const uid = typeof live.metadata?.uid === "string" ? live.metadata.uid : "";
      // Record where the server put it (the object API refuses a namespaced object without a namespace).
      const ns = typeof live.metadata?.namespace === "string" && live.metadata.namespace ? live.metadata.namespace : undefined;
      const { namespace: _asked, ...base } = ref;
      return { item: { ...base, ...(ns ? { namespace: ns } : {}), uid }, live };
    } catch (err) {
      return new ApplyError(ref, err);
    }
  }

  /** The addon whose label the live object carries, from the watch cache when it can tell. */
  private async holder(ref: ObjectRef): Promise<string | undefined> {
    // undefined from the cache means "not there", so no `??` here.
    const cached = this.opts.cache ? this.opts.cache.lookup(ref) : "unknown";
    const live = cached === "unknown" ? await this.opts.api.get(ref) : cached;
    return live?.metadata?.labels?.[ADDON_NAME_LABEL];
  }

  private async inBatches<T, R>(items: readonly T[], fn: (t: T) => Promise<R>): Promise<R[]> {
    const n = Math.max(1, this.opts.concurrency ?? 8);
    const out: R[] = [];
    for (let i = 0; i < items.length; i += n) out.push(...(await Promise.all(items.slice(i, i + n).map(fn))));
    return out;
  }
}
