import { ADDON_NAME_LABEL, applyStatus, classifyKubeError, isConditionTrue, resources, type Logger, type ReconcileResult, type ValuesValidator } from "@flotilla/shared";
import { CONFIG_CRD_CONDITIONS, HUB_MANAGER, PROMOTE_ANNOTATION } from "../../api/names.js";
import type { ClusterManagementAddOn, ClusterManagementAddOnStatus, ManagedClusterAddOn } from "../../api/types.js";
import { forEachLimit } from "../../kube/abort.js";
import { differsIgnoring } from "../../kube/diff.js";
import { isDeleting, labelsOf } from "../../kube/resources.js";
import { revisionName } from "../../revision/hash.js";
import { resolvedSpec } from "../../revision/resolved.js";
import type { ControllerDeps } from "../../session/context.js";
import { approvalTimes, approvedSteps } from "../../rollout/approvals.js";
import { dependenciesCondition, dependencyProblem, waitingClusters } from "../../rollout/depends.js";
import { rolloutEvents } from "./events.js";
import { clusterView, type WrittenDesire } from "../../rollout/cluster-view.js";
import { clusterFacts, existingMcas, invalidClusterValues, reachableClusters, summaryTargets } from "./facts.js";
import { McaWriter } from "./mca-writer.js";
import type { RevisionRecorder } from "./revisions.js";
import { pauseSteps, planFleetRollout, withImageRefusal, type FleetRolloutDecision } from "./rollout.js";
import type { ImageGate } from "./image-gate.js";
import { imagePolicyCondition } from "../../imagepolicy/verdict.js";
import { cmaStatus } from "./status.js";
import { summarize } from "./summary.js";
import { planTargets, type TargetPlan } from "./targets.js";
import { valuesCondition } from "./values.js";

const CMA = resources.clusterManagementAddOns;
const WRITES_IN_FLIGHT = 16;
const REVISION_RETRY_MS = 5000;

/** One addon's reconcile inputs, read once from the caches. */
interface AddonView {
  addon: string;
  cma: ClusterManagementAddOn;
  mcas: readonly ManagedClusterAddOn[];
  /** The CMA status as this hub last wrote it (the cache may not show it yet), else as cached. */
  status: ClusterManagementAddOnStatus | undefined;
  log: Logger;
  now: Date;
}

/** The rollout as decided in one reconcile, with what it was decided from. */
interface RolloutPlan {
  decision: FleetRolloutDecision;
  startTime: string;
  approved: ReturnType<typeof approvedSteps>;
}

/**
 * Key = addon (CMA) name. CMA × accepted clusters → one MCA per target cluster; the rollout planner
 * (per placement, hub/src/rollout) → each MCA's `status.desiredRevision`; MCAs + clusters → the CMA's
 * status, and Events on its transitions. Each step is a pure planner and a write. Everything the
 * rollout needs is in the API server (MCA desired revisions and their times, reports, the CMA's
 * rollout status), so a hub restarted mid-rollout carries on where the last one stopped.
 */
export class PlacementController {
  private readonly writer: McaWriter;
  /** Desired revisions written and not yet seen in the MCA cache (`cluster/addon`): the window counts them. */
  private readonly written = new Map<string, WrittenDesire>();
  /**
   * The CMA status last written per addon (by uid), so a reconcile right after a write neither undoes
   * it nor repeats its Events while the cache catches up. Only the leader writes CMA status, and a new
   * leader starts empty (its caches are synced first).
   */
  private readonly statusWritten = new Map<string, { uid: string; status: ClusterManagementAddOnStatus }>();

  constructor(private readonly d: ControllerDeps & { revisions: RevisionRecorder; validator: ValuesValidator; imageGate: ImageGate }) {
    this.writer = new McaWriter(d.clients, d.namespaces);
  }

  async reconcile(addon: string): Promise<ReconcileResult | void> {
    const cma = this.d.caches.cmas.get(addon);
    const mcas = this.d.mcaIndex.ofAddon(addon);
    const log = this.d.logger.child({ addon });
    if (!cma || isDeleting(cma)) {
      this.statusWritten.delete(addon);
      return this.removeAll(addon, mcas, log);
    }
    const mine = this.statusWritten.get(addon);
    const status = withoutForeignConditions(mine && mine.uid === cma.metadata?.uid ? mine.status : cma.status);
    const view: AddonView = { addon, cma, mcas, status, log, now: new Date(this.d.clock.now()) };
    const plan = await this.placeMcas(view);
    // A helm source makes no revision until its version resolves to a chart: nothing moves meanwhile.
    const content = resolvedSpec(cma);
    if (!content) return this.hold(view, plan);
    const updateRevision = revisionName(addon, content);
    // Never pruned: the last good revision, and any a cluster is still held on (it may need rendering again).
    const inUse = [view.status?.currentRevision, ...mcas.map((m) => m.status?.desiredRevision)].filter((r): r is string => r !== undefined);
    const recorded = await this.d.revisions.ensure(cma, content, updateRevision, [...new Set(inUse)]);
    // The image gate: a revision whose images break a policy holds every cluster where it is.
    const images = await this.d.imageGate.check(cma, content, updateRevision, plan.targets, view.now.getTime());
    const deps = this.dependencies(view, plan, updateRevision);
    const held = images.state === "Refused" ? new Set(plan.targets) : deps.waiting;
    const planned = this.planRollout(view, plan, updateRevision, held);
    const imageCondition = imagePolicyCondition(images, updateRevision);
    const rollout = images.state === "Refused" ? { ...planned, decision: withImageRefusal(planned.decision, imageCondition.message) } : planned;
    await this.applyDecision(view, updateRevision, rollout.decision);
    const { decision } = rollout;
    const rolledOut = decision.phase === "Succeeded" && view.status?.currentRevision !== updateRevision;
    const marked = decision.markFailed
      ? await this.d.revisions.markBad(updateRevision, decision.message, view.now)
      : rolledOut
        ? await this.d.revisions.markBad(updateRevision, `rolled out: ${decision.message}`, view.now, false)
        : true;
    const statusRecheck = await this.writeStatus(view, plan, updateRevision, rollout, deps.condition, imageCondition);
    const waits = [rollout.decision.recheckAfterMs, statusRecheck, recorded && marked ? undefined : REVISION_RETRY_MS].filter((n): n is number => n !== undefined);
    return waits.length ? { requeueAfterMs: Math.max(1, Math.min(...waits)) } : undefined;
  }

  /**
   * The source is not resolved (a helm chart being fetched, or one that cannot be): no revision to roll
   * out, so no cluster moves; the status says why (SourceResolved, Ready=False/SourceUnresolved).
   */
  private async hold(view: AddonView, plan: TargetPlan): Promise<ReconcileResult | void> {
    const counts = { total: plan.targets.length, updated: 0, succeeded: 0, inFlight: 0, failed: 0, unreachable: 0 };
    const decision: FleetRolloutDecision = { desired: new Map(), placements: [], markFailed: false, phase: "Pending", reason: "NoClusterCanStart", step: 0, message: "", counts };
    const startTime = view.status?.rollout?.startTime ?? view.now.toISOString();
    const recheck = await this.writeStatus(view, plan, view.status?.updateRevision ?? "", { decision, startTime, approved: [] }, dependenciesCondition([], undefined, new Map()));
    return recheck !== undefined ? { requeueAfterMs: recheck } : undefined;
  }

  /** The addon is gone: delete the MCAs this controller made for it (uninstall everywhere). */
  private async removeAll(addon: string, mcas: readonly ManagedClusterAddOn[], log: Logger): Promise<void> {
    const owned = mcas.filter((m) => labelsOf(m)[ADDON_NAME_LABEL] === addon && !isDeleting(m));
    await forEachLimit(owned, WRITES_IN_FLIGHT, (m) => this.writer.delete(addon, m.metadata?.namespace ?? ""));
    if (owned.length) log.info({ count: owned.length }, "addon gone: deleted its MCAs");
  }

  /** Targets → MCAs created where missing, deleted where no longer targeted. */
  private async placeMcas({ addon, cma, mcas, log }: AddonView): Promise<TargetPlan> {
    const plan = planTargets(cma.spec ?? {}, clusterFacts(this.d.caches.clusters.list()), existingMcas(addon, mcas));
    await forEachLimit(plan.create, WRITES_IN_FLIGHT, (c) => this.writer.create(cma, c));
    await forEachLimit(plan.delete, WRITES_IN_FLIGHT, (c) => this.writer.delete(addon, c));
    for (const c of plan.create) log.info({ cluster: c }, "created MCA");
    for (const c of plan.delete) log.info({ cluster: c }, "deleted MCA: cluster no longer targeted");
    return plan;
  }

  /**
   * `dependsOn`: which target clusters not yet on the update revision must wait (a dependency not
   * Available there; every one of them while a dependency is unknown or in a cycle), and the condition.
   */
  private dependencies({ addon, cma, mcas }: AddonView, plan: TargetPlan, updateRevision: string) {
    const deps = cma.spec?.dependsOn ?? [];
    if (deps.length === 0) return { waiting: new Set<string>(), condition: dependenciesCondition([], undefined, new Map()) };
    const graph = new Map(this.d.caches.cmas.list().map((c) => [c.metadata?.name ?? "", c.spec?.dependsOn ?? []] as const));
    const problem = dependencyProblem(addon, graph);
    const onUpdate = new Set(mcas.filter((m) => m.status?.desiredRevision === updateRevision).map((m) => m.metadata?.namespace ?? ""));
    const pending = plan.targets.filter((c) => !onUpdate.has(c));
    const availableOn = new Map(deps.map((d) => [d, new Set(this.d.mcaIndex.ofAddon(d).filter((m) => isConditionTrue(m.status?.conditions, "Available")).map((m) => m.metadata?.namespace ?? ""))] as const));
    const waiting = problem
      ? new Map(pending.map((c) => [c, deps] as const))
      : waitingClusters(pending, deps, (c, d) => availableOn.get(d)?.has(c) === true);
    return { waiting: new Set(waiting.keys()), condition: dependenciesCondition(deps, problem, problem ? new Map() : waiting) };
  }

  /** Where each target stands (from MCAs, presence and what was just written) → the planners' decision. Pure but for the caches. */
  private planRollout({ addon, cma, mcas, status, now }: AddonView, plan: TargetPlan, updateRevision: string, waiting: ReadonlySet<string>): RolloutPlan {
    const spec = cma.spec ?? {};
    const byCluster = new Map(mcas.map((m) => [m.metadata?.namespace ?? "", m] as const));
    const reachable = reachableClusters(this.d.caches.clusters.list());
    const targets = new Set(plan.targets);
    for (const key of this.written.keys()) if (key.endsWith(`/${addon}`) && !targets.has(key.slice(0, -addon.length - 1))) this.written.delete(key);
    const clusters = plan.targets.map((c) => {
      const key = `${c}/${addon}`;
      const mcaStatus = byCluster.get(c)?.status;
      const written = this.written.get(key);
      if (written && mcaStatus?.desiredRevision === written.revision) this.written.delete(key);
      const pending = this.written.get(key);
      return clusterView({ name: c, labels: labelsOf(this.d.caches.clusters.get(c) ?? {}), reachable: reachable.has(c), status: mcaStatus, ...(pending ? { written: pending } : {}), blocked: waiting.has(c) });
    });
    const sameRevision = status?.updateRevision === updateRevision;
    const startTime = sameRevision && status?.rollout?.startTime ? status.rollout.startTime : now.toISOString();
    const approved = approvedSteps(updateRevision, cma.metadata?.annotations?.[PROMOTE_ANNOTATION], pauseSteps(spec), sameRevision ? (status?.rollout?.approvedSteps ?? []) : [], now);
    const decision = planFleetRollout({
      spec,
      updateRevision,
      ...(status?.currentRevision ? { lastGoodRevision: status.currentRevision } : {}),
      ...(status?.rollout?.failedRevision === updateRevision ? { failedRevision: updateRevision } : {}),
      revisionSince: Date.parse(startTime),
      approvals: approvalTimes(approved),
      clusters,
      now: now.getTime(),
    });
    return { decision, startTime, approved };
  }

  /** The decision → each MCA's desired revision (and when it was set). */
  private async applyDecision({ addon, log, now }: AddonView, updateRevision: string, decision: FleetRolloutDecision): Promise<void> {
    const time = now.getTime();
    await forEachLimit([...decision.desired], WRITES_IN_FLIGHT, async ([c, rev]) => {
      await this.writer.setDesiredRevision(addon, c, rev, now);
      this.written.set(`${c}/${addon}`, { revision: rev, time });
    });
    const started = [...decision.desired].filter(([, r]) => r === updateRevision).map(([c]) => c);
    const back = [...decision.desired].filter(([, r]) => r !== updateRevision).map(([c]) => c);
    if (started.length) log.info({ revision: updateRevision, clusters: started }, "started clusters on the update revision");
    if (back.length) log.warn({ revision: updateRevision, clusters: back }, "sent clusters back to the last good revision");
  }

  /** MCAs + clusters → the CMA's status (written when it changed) and the Events of its transitions; when to look again. */
  private async writeStatus(
    { addon, cma, mcas, status: previous, log, now }: AddonView,
    plan: TargetPlan,
    updateRevision: string,
    rollout: RolloutPlan,
    dependencies: ReturnType<typeof dependenciesCondition>,
    imagePolicy?: ReturnType<typeof imagePolicyCondition>,
  ): Promise<number | undefined> {
    const spec = cma.spec ?? {};
    const { decision } = rollout;
    const byCluster = new Map(mcas.map((m) => [m.metadata?.namespace ?? "", m] as const));
    const statusOf = (c: string) => byCluster.get(c)?.status;
    const reachable = reachableClusters(this.d.caches.clusters.list());
    const result = summarize(updateRevision, summaryTargets(plan.targets, statusOf, decision.desired, reachable));
    const valuesValid = valuesCondition({
      spec,
      validate: (schema, values) => this.d.validator.validate(schema, values),
      invalidClusters: invalidClusterValues(plan.targets, statusOf),
    });
    const { status, recheckAfterMs } = cmaStatus({
      spec,
      resolution: cma.status?.source,
      generation: cma.metadata?.generation,
      previous,
      updateRevision,
      result,
      decision,
      startTime: rollout.startTime,
      approvedSteps: rollout.approved,
      valuesValid,
      dependencies,
      ...(imagePolicy ? { imagePolicy } : {}),
      now,
    });
    if (!differsIgnoring(status, previous)) return recheckAfterMs;
    await applyStatus(this.d.clients, CMA, addon, undefined, status, HUB_MANAGER).catch((err: unknown) => {
      throw classifyKubeError(err);
    });
    const ref = { ...cma, apiVersion: `${CMA.group}/${CMA.version}`, kind: CMA.kind };
    const started = [...decision.desired].filter(([, r]) => r === updateRevision).map(([c]) => c);
    const rolledBack = [...decision.desired].filter(([, r]) => r !== updateRevision).map(([c]) => c);
    const strategies = decision.placements.map((p) => ({ placement: p.placement, strategy: p.strategy }));
    this.statusWritten.set(addon, { uid: cma.metadata?.uid ?? "", status });
    for (const e of rolloutEvents({ previous, next: status, valuesValid, dependencies, ...(imagePolicy ? { imagePolicy } : {}), targets: plan.targets.length, strategies, started, rolledBack })) {
      log[e.type === "Warning" ? "warn" : "info"]({ reason: e.reason, revision: updateRevision }, e.message);
      this.d.events.emit(ref, e.type, e.reason, e.message);
    }
    return recheckAfterMs;
  }
}

/**
 * The CMA status without the conditions another field manager owns (ConfigCRDReady): carried along,
 * this manager would take them over by server-side apply and write back stale copies from its cache.
 */
function withoutForeignConditions(s: ClusterManagementAddOnStatus | undefined): ClusterManagementAddOnStatus | undefined {
  if (!s?.conditions?.some((c) => CONFIG_CRD_CONDITIONS.includes(c.type))) return s;
  return { ...s, conditions: s.conditions.filter((c) => !CONFIG_CRD_CONDITIONS.includes(c.type)) };
}
