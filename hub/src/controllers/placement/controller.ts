import { ADDON_NAME_LABEL, applyStatus, classifyKubeError, isConditionTrue, resources, type Logger, type ReconcileResult, type ValuesValidator } from "@flotilla/shared";
import { HUB_MANAGER } from "../../api/names.js";
import type { ClusterManagementAddOn, ManagedClusterAddOn } from "../../api/types.js";
import { forEachLimit } from "../../kube/abort.js";
import { differsIgnoring } from "../../kube/diff.js";
import { isDeleting, labelsOf } from "../../kube/resources.js";
import { revisionName } from "../../revision/hash.js";
import type { ControllerDeps } from "../../session/context.js";
import { dependenciesCondition, dependencyProblem, waitingClusters } from "../../rollout/depends.js";
import { rolloutEvents, strategiesNotApplied } from "./events.js";
import { clusterFacts, existingMcas, invalidClusterValues, reachableClusters, summaryTargets } from "./facts.js";
import { McaWriter } from "./mca-writer.js";
import type { RevisionRecorder } from "./revisions.js";
import { planRollout, type RolloutDecision } from "./rollout.js";
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
  log: Logger;
}

/**
 * Key = addon (CMA) name. CMA × accepted clusters → one MCA per target cluster; the rollout decision
 * → each MCA's `status.desiredRevision`; MCAs + clusters → the CMA's status, and Events on its
 * transitions. Each step is a pure planner (targets, rollout, summary, status, events) and a write.
 */
export class PlacementController {
  private readonly writer: McaWriter;

  constructor(private readonly d: ControllerDeps & { revisions: RevisionRecorder; validator: ValuesValidator }) {
    this.writer = new McaWriter(d.clients, d.namespaces);
  }

  async reconcile(addon: string): Promise<ReconcileResult | void> {
    const cma = this.d.caches.cmas.get(addon);
    const mcas = this.d.mcaIndex.ofAddon(addon);
    const log = this.d.logger.child({ addon });
    if (!cma || isDeleting(cma)) return this.removeAll(addon, mcas, log);
    const view: AddonView = { addon, cma, mcas, log };
    const plan = await this.placeMcas(view);
    const updateRevision = revisionName(addon, cma.spec ?? {});
    const recorded = await this.d.revisions.ensure(cma, updateRevision, cma.status?.currentRevision);
    const deps = this.dependencies(view, plan, updateRevision);
    const decision = await this.rollOut(view, plan, updateRevision, deps.waiting);
    await this.writeStatus(view, plan, updateRevision, decision, deps.condition);
    return recorded ? undefined : { requeueAfterMs: REVISION_RETRY_MS };
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

  /** The rollout decision → each MCA's desired revision. */
  private async rollOut({ addon, cma, mcas, log }: AddonView, plan: TargetPlan, updateRevision: string, waiting: ReadonlySet<string>): Promise<RolloutDecision> {
    const byCluster = new Map(mcas.map((m) => [m.metadata?.namespace ?? "", m] as const));
    const decision = planRollout({
      updateRevision,
      paused: cma.spec?.paused === true,
      waiting,
      targets: plan.targets.map((c) => ({ cluster: c, desiredRevision: byCluster.get(c)?.status?.desiredRevision })),
    });
    await forEachLimit([...decision.desired], WRITES_IN_FLIGHT, ([c, rev]) => this.writer.setDesiredRevision(addon, c, rev));
    if (decision.desired.size) log.info({ revision: updateRevision, clusters: decision.desired.size }, "set desired revision");
    return decision;
  }

  /** MCAs + clusters → the CMA's status (written when it changed) and the Events of its transitions. */
  private async writeStatus({ addon, cma, mcas, log }: AddonView, plan: TargetPlan, updateRevision: string, decision: RolloutDecision, dependencies: ReturnType<typeof dependenciesCondition>): Promise<void> {
    const spec = cma.spec ?? {};
    const byCluster = new Map(mcas.map((m) => [m.metadata?.namespace ?? "", m] as const));
    const statusOf = (c: string) => byCluster.get(c)?.status;
    const reachable = reachableClusters(this.d.caches.clusters.list());
    const result = summarize(updateRevision, summaryTargets(plan.targets, statusOf, decision.desired, reachable));
    const valuesValid = valuesCondition({
      spec,
      validate: (schema, values) => this.d.validator.validate(schema, values),
      invalidClusters: invalidClusterValues(plan.targets, statusOf),
    });
    const status = cmaStatus({
      spec,
      generation: cma.metadata?.generation,
      previous: cma.status,
      updateRevision,
      result,
      held: decision.held.length,
      valuesValid,
      dependencies,
      now: new Date(this.d.clock.now()),
    });
    if (!differsIgnoring(status, cma.status)) return;
    await applyStatus(this.d.clients, CMA, addon, undefined, status, HUB_MANAGER).catch((err: unknown) => {
      throw classifyKubeError(err);
    });
    const ref = { ...cma, apiVersion: `${CMA.group}/${CMA.version}`, kind: CMA.kind };
    for (const e of rolloutEvents({ previous: cma.status, next: status, valuesValid, dependencies, targets: plan.targets.length, notApplied: strategiesNotApplied(cma.spec?.installStrategy?.placements) })) {
      log[e.type === "Warning" ? "warn" : "info"]({ reason: e.reason, revision: updateRevision }, e.message);
      this.d.events.emit(ref, e.type, e.reason, e.message);
    }
  }
}
