import { AGENT_FIELD_MANAGER, FlotillaError, setCondition, conditionsChanged, type Clock, type Condition, type DesiredBundle, type DesiredIndexEntry, type Logger, type ReconcileResult } from "@flotilla/shared";
import type { AppliedObject, Applier } from "../apply/applier.js";
import { ApplyError } from "../errors.js";
import type { DesiredReader } from "../bus/desired-reader.js";
import type { StatusWriter } from "../bus/status-writer.js";
import { appliedFields } from "../drift/detect.js";
import { driftCondition } from "../drift/condition.js";
import { describeDrift } from "../drift/describe.js";
import { scanDrift, type DriftScan } from "../drift/scan.js";
import type { HealthCollector } from "../health/collect.js";
import type { AddonIdentities } from "../identity/identities.js";
import { healthView } from "../health/health-view.js";
import type { AddonHooks } from "../hooks/addon-hooks.js";
import { sameRecordedHooks } from "../hooks/plan.js";
import { mergeInventory, pruneCandidates, sameInventory, uninstallOrder } from "../inventory/prune-plan.js";
import { refKey, refOf, type ObjectRef } from "../inventory/ref.js";
import type { AppliedAddOnStore, AppliedRecord } from "../inventory/store.js";
import type { AgentMetrics } from "../metrics.js";
import { applyStep, bundleStep, isDue, nextLookInMs, reportDue, resyncPeriod, type Clocked } from "../plan/addon-step.js";
import { buildReport, failurePhase, reportFingerprint, type ApplyPhase } from "../report/build.js";
import type { ObjectWatch } from "../watch/object-watch.js";
import type { AddonStates } from "./addon-states.js";
import { missingOwned } from "./missing.js";
import type { AddonMemory, AgentState } from "./state.js";

export interface AddonReconcilerOptions {
  cluster: string;
  state: AgentState;
  /** The desired reader once the bus session is up. */
  reader: () => DesiredReader | undefined;
  applier: Applier;
  /** Helm hooks: run around the apply and the uninstall (hooks/). */
  hooks: AddonHooks;
  /** Each addon's own identity (impersonated for its objects); undefined: everything as the agent. */
  identity?: Pick<AddonIdentities, "applier" | "ensure" | "ensureForUninstall" | "remove">;
  store: AppliedAddOnStore;
  /** The watch over applied objects: drift, deletions and readiness come from its cache. */
  watch: Pick<ObjectWatch, "ensure" | "deletedUid" | "lookup">;
  collector: HealthCollector;
  writer: Pick<StatusWriter, "putReport" | "deleteReport">;
  metrics: AgentMetrics;
  states: AddonStates;
  logger: Logger;
  healthPollMs: number;
  /** Re-send the report and re-assert the AppliedAddOn once the last time is this old (and re-apply, when a kind is not watched). */
  resyncMs: number;
  /** Re-apply a bundle whose objects are all watched once its last apply is this old (a safety net behind the watch). */
  reapplyMs: number;
  clock: Clock;
}

/**
 * Level-based reconcile of one addon: make the spoke match the last good desired bundle (fetch it
 * when the index digest moved, apply in kind order, prune), judge health, report. What to do comes
 * from what it reads and the time (plan/addon-step.ts); events only enqueue the addon. Failures of one
 * addon stay with it; the work queue retries transient ones with backoff.
 */
export class AddonReconciler {
  constructor(private readonly o: AddonReconcilerOptions) {}

  async reconcile(addon: string): Promise<ReconcileResult | void> {
    const { state } = this.o;
    const t = this.clocked();
    if (!state.index) return this.refresh(addon, t); // no index yet (or missing): change nothing
    const entry = state.desiredEntry(addon);
    if (!entry) return this.uninstall(addon);

    const mem = state.memory(addon);
    mem.recordAt ??= t.now;
    const log = this.o.logger.child({ addon, revision: entry.revision });
    const hold = await this.holdBundle(addon, entry, mem, log, t);
    if (hold !== "held") return hold;
    const bundle = mem.bundle;
    if (!bundle || !mem.bundleDigest) return;
    const applied = await this.applyWhenDue(bundle, mem, log, t);
    if (applied !== "done") return applied;
    await this.reassertRecord(addon, mem, t);
    return this.report(addon, mem, bundle.revision, heldPhase(mem, bundle), t);
  }

  private clocked(): Clocked {
    return { now: this.o.clock.now(), resyncMs: this.o.resyncMs };
  }

  /**
   * The period of writes that only repeat what was written (an unchanged report, the AppliedAddOn):
   * the re-apply period. The status writer retries a put until it lands and every report goes out
   * again when the bus reconnects; an AppliedAddOn deleted by hand is written again with the next
   * change or then.
   */
  private refreshClock(t: Clocked): Clocked {
    return { now: t.now, resyncMs: Math.max(this.o.resyncMs, this.o.reapplyMs) };
  }

  /** Makes sure the bundle the index names is held (read from the bus when not), or reports why not. */
  private async holdBundle(addon: string, entry: DesiredIndexEntry, mem: AddonMemory, log: Logger, t: Clocked): Promise<"held" | ReconcileResult | void> {
    const step = bundleStep({ ...t, wanted: entry.digest, held: mem.bundleDigest, rejected: mem.rejected });
    if (step === "held") return "held";
    if (step === "rejected") return this.report(addon, mem, entry.revision, mem.phase ?? { kind: "InvalidBundle", message: "bundle dropped" }, t);
    const reader = this.o.reader();
    if (!reader) return;
    const r = await reader.readBundle(addon, entry);
    if (r.kind === "missing") {
      log.info("bundle key not there yet; waiting for it");
      return this.report(addon, mem, entry.revision, { kind: "Applying", message: "waiting for the bundle to be published" }, t);
    }
    if (r.kind === "invalid") {
      this.o.metrics.bus.invalid.inc({ reason: r.invalid.reason });
      mem.rejected = { digest: entry.digest, at: t.now };
      warnOnce(mem, log, `${entry.digest}:${r.invalid.reason}`, { reason: r.invalid.reason, detail: r.invalid.reason === "NotJSON" ? undefined : r.invalid.error }, "dropped invalid bundle; last good state stays applied");
      return this.report(addon, mem, entry.revision, { kind: "InvalidBundle", message: `bundle dropped: ${r.invalid.reason}` }, t);
    }
    this.o.metrics.bus.received.inc({ kind: "DesiredBundle" });
    mem.bundle = r.bundle;
    mem.bundleDigest = entry.digest;
    mem.rejected = undefined;
    return "held";
  }

  /** Applies the held bundle when applyStep says so; "done" when there is nothing (more) to do here. */
  private async applyWhenDue(bundle: DesiredBundle, mem: AddonMemory, log: Logger, t: Clocked): Promise<"done" | ReconcileResult | void> {
    const held = mem.bundleDigest ?? "";
    const scan = this.scan(bundle.addon, mem);
    const reason = applyStep({
      ...t, held, applied: mem.applied, refused: mem.refused, drifted: scan.drifts.length > 0, watched: scan.watched, reapplyMs: this.o.reapplyMs, driftPolicy: bundle.driftPolicy,
    });
    if (!reason) return "done";
    if (reason === "drift") return this.correct(bundle, mem, scan.drifts, log, t);
    const result = await this.apply(bundle, mem, log, t);
    if (result === "refused") {
      mem.refused = { digest: held, at: t.now };
      return { requeueAfterMs: this.o.resyncMs };
    }
    if (result !== "applied") return result;
    if (mem.applied?.digest !== held) mem.corrected = undefined;
    mem.applied = { digest: held, at: t.now };
    mem.refused = undefined;
    mem.correctionFailed = undefined;
    return "done";
  }

  /** What the watch shows of the addon's objects now; remembered for the report. */
  private scan(addon: string, mem: AddonMemory): DriftScan {
    const scan = scanDrift(this.o.state.records.get(addon)?.inventory ?? [], {
      lookup: (r) => this.o.watch.lookup(r),
      deletedUid: (r) => this.o.watch.deletedUid(r),
      applied: mem.owned,
      manager: AGENT_FIELD_MANAGER,
    });
    mem.drift = scan.drifts.map(({ object, drift }) => ({ object, drift }));
    return scan;
  }

  /**
   * Applies again only the objects that drifted (driftPolicy Correct), with force: they are the
   * addon's, and a field someone else took is put back. A re-created object gets a new uid, which
   * the inventory records.
   */
  private async correct(bundle: DesiredBundle, mem: AddonMemory, drifts: DriftScan["drifts"], log: Logger, t: Clocked): Promise<"done"> {
    const keys = new Set(drifts.map((d) => refKey(d.item)));
    // As the addon, like its apply: a correction may touch nothing its identity may not.
    const applier = this.o.identity?.applier(bundle.addon) ?? this.o.applier;
    const objects = (await applier.prepare(bundle)).filter((o) => keys.has(refKey(refOf(o))));
    const outcome = await applier.apply(objects, { owned: keys });
    this.remember(mem, outcome.applied);
    const rec = this.o.state.records.get(bundle.addon);
    if (rec && outcome.applied.length) await this.save({ ...rec, inventory: mergeInventory(rec.inventory, outcome.applied.map((a) => a.item)) }, rec);
    if (outcome.error) {
      const err = outcome.error;
      this.o.metrics.applyErrors.inc({ reason: err.code });
      mem.correctionFailed = err.message;
      warnOnce(mem, log, `drift:${err.message}`, { err: err.message, code: err.code }, "drift correction failed");
      if (err.retryable) throw err;
      return "done";
    }
    for (const d of drifts) this.o.metrics.driftCorrections.inc({ kind: d.item.kind });
    const named = drifts.map(({ object, drift }) => ({ object, drift }));
    mem.corrected = { drifts: named, at: t.now, total: (mem.corrected?.total ?? 0) + drifts.length };
    mem.correctionFailed = undefined;
    mem.drift = [];
    log.info({ objects: named.map(describeDrift) }, "corrected drift");
    return "done";
  }

  /** Keeps what an apply returned: a copy for health, and the fields the agent now owns, for drift. */
  private remember(mem: AddonMemory, applied: readonly AppliedObject[]): void {
    for (const a of applied) {
      const key = refKey(a.item);
      mem.live.set(key, healthView(a.live));
      const fields = appliedFields(a.live.metadata, AGENT_FIELD_MANAGER);
      if (fields) mem.owned.set(key, fields);
      else mem.owned.delete(key);
    }
  }

  /**
   * Applies and prunes. "refused": the API server refused the bundle and retrying it unchanged will
   * not help; a retryable failure throws (the queue backs off), except a namespace still terminating,
   * which is looked at again every second rather than with a growing backoff.
   */
  private async apply(bundle: DesiredBundle, mem: AddonMemory, log: Logger, t: Clocked): Promise<"applied" | "refused" | ReconcileResult> {
    const { state } = this.o;
    const addon = bundle.addon;
    const applier = this.o.identity?.applier(addon) ?? this.o.applier;
    const previous = state.records.get(addon) ?? { addon, revision: bundle.revision, inventory: [], conditions: [] };
    const hooks = this.o.hooks.plan(await applier.prepare(bundle), previous.appliedRevision, bundle.revision, log);
    const invalid = this.o.hooks.invalid(hooks);
    if (invalid) return this.hookFailed(addon, mem, bundle.revision, invalid, t);
    const objects = hooks.main;
    // Record what is about to be created before creating it, so an agent stopped mid-apply still
    // knows to prune or uninstall it later (uid unknown yet: matched by label then).
    const planned = mergeInventory(previous.inventory, objects.map((o) => ({ ...refOf(o), uid: "" })));
    const deleteCRDs = bundle.deleteCRDs === true;
    let rec = await this.save({ ...previous, revision: bundle.revision, ...(deleteCRDs ? { deleteCRDs } : { deleteCRDs: undefined }), hooks: hooks.record, inventory: planned }, previous);
    // The identity allows the hooks' objects too: they run as the addon.
    const identityError = await this.o.identity?.ensure(bundle, [...objects, ...hooks.objects], rec.inventory).then(
      () => undefined,
      (err: unknown) => new ApplyError({ kind: "AddonIdentity", name: addon }, err instanceof FlotillaError && err.cause ? err.cause : err),
    );
    if (identityError) return this.applyFailed(bundle, mem, log, t, identityError);
    await this.o.watch.ensure(objects.map(refOf));
    const preFailed = await this.o.hooks.run(addon, hooks.pre, (p) => this.report(addon, mem, bundle.revision, p, t));
    if (preFailed) return this.hookFailed(addon, mem, bundle.revision, preFailed, t);

    const owned = new Set(previous.inventory.filter((i) => i.uid !== "").map(refKey));
    const heldBy = (other: string, ref: ObjectRef): boolean => state.records.get(other)?.inventory.some((i) => refKey(i) === refKey(ref)) === true;
    const outcome = await applier.apply(objects, { owned, heldBy, ...(bundle.forceConflicts ? { forceConflicts: true } : {}) });
    this.remember(mem, outcome.applied);
    if (outcome.error) {
      await this.save({ ...rec, inventory: mergeInventory(rec.inventory, outcome.applied.map((a) => a.item)) }, rec);
      return this.applyFailed(bundle, mem, log, t, outcome.error);
    }

    const applied = outcome.applied.map((a) => a.item);
    const del = await applier.delete(pruneCandidates(rec.inventory, applied), addon, { deleteCRDs });
    for (const d of del.deleted) {
      mem.live.delete(refKey(d));
      mem.owned.delete(refKey(d));
    }
    // Kinds not served before this apply (custom resources of a CRD it brought) are watched from now on.
    await this.o.watch.ensure(applied);
    if (del.deleted.length) this.o.metrics.pruned.inc(del.deleted.length);
    for (const s of del.skipped) if (s.reason !== "Gone") log.info({ object: `${s.item.kind} ${s.item.namespace ?? ""}/${s.item.name}`, reason: s.reason }, "left in place, not pruned");
    const inventory = mergeInventory(applied, del.failed.map((f) => f.item));
    // A revision counts as applied (and its hooks as run) only once its post hooks succeeded too.
    const postFailed = del.failed[0] ? undefined : await this.o.hooks.run(addon, hooks.post, (p) => this.report(addon, mem, bundle.revision, p, t));
    const done = postFailed ? {} : { appliedRevision: bundle.revision, lastAppliedTime: new Date(this.o.clock.now()).toISOString() };
    rec = await this.save({ ...rec, ...done, inventory }, rec);
    if (postFailed) return this.hookFailed(addon, mem, bundle.revision, postFailed, t);
    mem.phase = { kind: "Applied", objects: applied.length };
    mem.lastProblem = undefined;
    if (del.deleted.length) log.info({ pruned: del.deleted.length }, "pruned objects left out of the revision");
    if (del.failed[0]) throw del.failed[0].error;
    log.info({ objects: applied.length }, "applied");
    return "applied";
  }

  /** A hook failed (or cannot be read): reported like a refused apply, tried again at resync or a new revision. */
  private async hookFailed(addon: string, mem: AddonMemory, revision: string, phase: ApplyPhase, t: Clocked): Promise<"refused"> {
    await this.report(addon, mem, revision, phase, t);
    return "refused";
  }

  /** Reports a failed apply (or identity write) and says what the queue does next. */
  private async applyFailed(bundle: DesiredBundle, mem: AddonMemory, log: Logger, t: Clocked, err: ApplyError): Promise<"refused" | ReconcileResult> {
    this.o.metrics.applyErrors.inc({ reason: err.code });
    warnOnce(mem, log, `${bundle.revision}:${err.message}`, { err: err.message, code: err.code, httpStatus: err.httpStatus, retryable: err.retryable }, "apply failed");
    await this.report(bundle.addon, mem, bundle.revision, failurePhase(err), t);
    if (err.code === "NamespaceTerminating") return { requeueAfterMs: 1000 };
    if (err.retryable) throw err;
    return "refused";
  }

  private async uninstall(addon: string): Promise<void> {
    const { state } = this.o;
    const rec = state.records.get(addon);
    const mem = state.peek(addon);
    if (!rec && !mem) return;
    const log = this.o.logger.child({ addon });
    if (rec) {
      await this.o.identity?.ensureForUninstall(addon, rec.inventory, rec.hooks ?? []);
      await this.o.hooks.beforeDelete(addon, rec.hooks, state.memory(addon), log);
      const del = await (this.o.identity?.applier(addon) ?? this.o.applier).delete(uninstallOrder(rec.inventory), addon, { deleteCRDs: rec.deleteCRDs === true });
      if (del.deleted.length) this.o.metrics.pruned.inc(del.deleted.length);
      if (del.failed[0]) {
        await this.save({ ...rec, inventory: del.failed.map((f) => f.item) }, rec);
        throw del.failed[0].error;
      }
      await this.o.hooks.afterDelete(addon, rec.hooks, log);
      await this.o.store.remove(addon);
      await this.o.identity?.remove(addon);
      const kept = del.skipped.filter((s) => s.reason === "CRDKept").map((s) => s.item.name);
      if (kept.length) log.info({ crds: kept }, "left the addon's CRDs and their custom resources in place (the addon does not set deleteCRDs)");
      log.info({ deleted: del.deleted.length, left: del.skipped.filter((s) => s.reason !== "Gone").length }, "uninstalled");
    }
    state.forget(addon);
    this.o.states.remove(addon);
    this.o.writer.deleteReport(addon);
  }

  /** Without an index only health is refreshed for what is held; nothing is applied or removed. */
  private async refresh(addon: string, t: Clocked): Promise<ReconcileResult | void> {
    const mem = this.o.state.peek(addon);
    if (!mem?.bundle || mem.applied === undefined) return;
    return this.report(addon, mem, mem.bundle.revision, heldPhase(mem, mem.bundle), t);
  }

  /** Re-writes an unchanged AppliedAddOn once a resync period, so one deleted by hand comes back. */
  private async reassertRecord(addon: string, mem: AddonMemory, t: Clocked): Promise<void> {
    const rec = this.o.state.records.get(addon);
    if (!rec || mem.recordAt === undefined || !isDue(mem.recordAt, this.refreshClock(t))) return;
    await this.o.store.save(rec, false);
    mem.recordAt = t.now;
  }

  /**
   * Judges health (when applied), sends the report when due, mirrors conditions on the AppliedAddOn.
   * Asks to be looked at again when health is still moving or the next resync of a fact falls due.
   */
  private async report(addon: string, mem: AddonMemory, revision: string, phase: ApplyPhase, t: Clocked): Promise<ReconcileResult | void> {
    if (phase.kind !== "Applied") mem.phase = phase;
    const rec = this.o.state.records.get(addon);
    // Objects deleted since the apply are judged as missing, not by the copy the apply returned.
    if (rec) missingOwned(rec.inventory, mem.live, this.o.watch);
    const appliedRevision = rec?.appliedRevision;
    const collected = phase.kind === "Applied" && rec ? await this.o.collector.collect(rec.inventory, mem.live, mem.bundle?.healthChecks) : undefined;
    const drifted = mem.applied ? driftCondition(mem, mem.bundle?.driftPolicy === "Report") : undefined;
    const report = buildReport(
      {
        cluster: this.o.cluster, addon, revision, ...(appliedRevision ? { appliedRevision } : {}), phase,
        ...(collected ? { health: collected.health } : {}), resources: collected?.resources ?? [], ...(drifted ? { drifted } : {}),
      },
      new Date(t.now),
    );
    const fingerprint = reportFingerprint(report);
    if (reportDue({ ...this.refreshClock(t), fingerprint, last: mem.sentReport })) {
      this.o.writer.putReport(report, true);
      mem.sentReport = { fingerprint, at: t.now };
    }
    this.o.states.set(addon, report);
    if (rec) {
      const now = new Date(t.now);
      const conditions = report.conditions.reduce<Condition[]>((l, c) => setCondition(l, c, now), rec.conditions);
      if (conditionsChanged(rec.conditions, conditions)) await this.save({ ...rec, conditions }, rec);
    }
    // Objects the watch covers are looked at again on their next event; others are re-read.
    const poll = collected && collected.unwatchedNotReady > 0 ? this.o.healthPollMs : undefined;
    const watched = (rec?.inventory ?? []).every((i) => this.o.watch.lookup(i) !== "unknown");
    const reapplyAt = mem.bundle?.driftPolicy === "Report" || !mem.applied ? undefined : mem.applied.at + resyncPeriod({ ...t, watched, reapplyMs: this.o.reapplyMs });
    const refresh = this.refreshClock(t).resyncMs;
    const refreshAt = [mem.sentReport?.at, mem.recordAt].map((at) => (at === undefined ? undefined : at + refresh));
    const next = nextLookInMs({ ...t, stamps: [mem.rejected?.at, mem.refused?.at], dueAt: [reapplyAt, ...refreshAt] });
    const wait = poll === undefined ? next : next === undefined ? poll : Math.min(poll, next);
    return wait === undefined ? undefined : { requeueAfterMs: wait };
  }

  /** Writes the AppliedAddOn when something in it changed; returns what is now recorded. */
  private async save(next: AppliedRecord, prev: AppliedRecord | undefined): Promise<AppliedRecord> {
    const specChanged =
      !prev || !this.o.state.records.has(next.addon) || prev.revision !== next.revision || (prev.deleteCRDs === true) !== (next.deleteCRDs === true) || !sameRecordedHooks(prev.hooks, next.hooks);
    const statusChanged =
      !prev ||
      specChanged ||
      prev.appliedRevision !== next.appliedRevision ||
      !sameInventory(prev.inventory, next.inventory) ||
      conditionsChanged(prev.conditions, next.conditions);
    if (!statusChanged) return prev;
    await this.o.store.save(next, specChanged);
    this.o.state.records.set(next.addon, next);
    const mem = this.o.state.peek(next.addon);
    if (mem) mem.recordAt = this.o.clock.now();
    return next;
  }
}

/**
 * Where the held bundle stands: applied if its digest is the one applied (a problem remembered from a
 * later revision, say one dropped as invalid before the index went back, no longer applies).
 */
function heldPhase(mem: AddonMemory, bundle: DesiredBundle): ApplyPhase {
  if (mem.applied !== undefined && mem.applied.digest === mem.bundleDigest) return { kind: "Applied", objects: bundle.objects.length };
  return mem.phase ?? { kind: "Applying", message: "not applied yet" };
}

/** Logs a problem at warn the first time, at debug while it persists unchanged. */
function warnOnce(mem: AddonMemory, log: Logger, key: string, fields: object, msg: string): void {
  if (mem.lastProblem === key) log.debug(fields, msg);
  else log.warn(fields, msg);
  mem.lastProblem = key;
}
