import { canonicalJson, sha256Hex, type ValuesValidator } from "@flotilla/shared";
import type { ClusterManagementAddOn, ClusterManagementAddOnSpec, ManagedCluster } from "../../api/types.js";
import { applicablePolicies, policySignature, type NamedPolicy } from "../../imagepolicy/evaluate.js";
import { representatives, type TargetCluster } from "../../imagepolicy/representatives.js";
import { combineVerdicts, verdictOf, type ImageVerdict } from "../../imagepolicy/verdict.js";
import { labelsOf } from "../../kube/resources.js";
import { clusterCapabilities } from "../../presence/capabilities.js";
import type { PresenceStore } from "../../presence/store.js";
import type { ChartBundles } from "../../render/chart-bundle.js";
import { renderSource } from "../../render/source.js";
import type { Caches } from "../../session/context.js";

export interface ImageGateDeps {
  caches: Pick<Caches, "clusters" | "imagePolicies">;
  charts: Pick<ChartBundles, "render">;
  validator: ValuesValidator;
  presence: PresenceStore;
}

/** A verdict that could not be reached (a chart unreachable, helm too slow) is tried again after this. */
const UNKNOWN_TTL_MS = 30_000;
/** Verdicts kept (oldest dropped first); one per addon, revision, placement and policy set in use. */
const MAX_VERDICTS = 1024;

/**
 * The gate before rollout: renders the update revision as its placements would get it and checks the
 * images against the addon's policies. The placement controller holds every cluster back from a
 * refused revision. Verdicts are kept by revision, policies, cluster labels and capabilities, so a
 * revision is rendered for this once, and again only when a policy (or what it renders from) changes.
 */
export class ImageGate {
  private readonly verdicts = new Map<string, { verdict: ImageVerdict; at: number }>();

  constructor(private readonly d: ImageGateDeps) {}

  /** The addon's own policy and every ImagePolicy that selects it. */
  policiesFor(cma: ClusterManagementAddOn): NamedPolicy[] {
    return applicablePolicies({ name: cma.metadata?.name ?? "", labels: labelsOf(cma), rules: cma.spec?.imagePolicy }, this.d.caches.imagePolicies.list());
  }

  async check(cma: ClusterManagementAddOn, spec: ClusterManagementAddOnSpec, revision: string, targets: readonly string[], now: number): Promise<ImageVerdict> {
    const policies = this.policiesFor(cma);
    if (policies.length === 0) return { state: "NoPolicy" };
    const clusters = targets.map((name): TargetCluster => ({ name, labels: labelsOf(this.d.caches.clusters.get(name) ?? {}) }));
    const verdicts = await Promise.all(representatives(spec, clusters).map((t) => this.checkFor(cma.metadata?.name ?? "", spec, revision, t, policies, now)));
    return combineVerdicts(verdicts);
  }

  private async checkFor(addon: string, spec: ClusterManagementAddOnSpec, revision: string, target: TargetCluster, policies: NamedPolicy[], now: number): Promise<ImageVerdict> {
    const mc: ManagedCluster | undefined = target.name ? this.d.caches.clusters.get(target.name) : undefined;
    const capabilities = spec.source?.helm ? clusterCapabilities(this.d.presence, mc, target.name) : undefined;
    const key = sha256Hex(canonicalJson([addon, revision, policySignature(policies), target.labels, target.name, capabilities ?? null]));
    const cached = this.verdicts.get(key);
    if (cached && (cached.verdict.state !== "Unknown" || now - cached.at < UNKNOWN_TTL_MS)) return cached.verdict;
    const result = await renderSource(this.d, { addon, revision, spec, cluster: target, capabilities });
    const verdict: ImageVerdict = result.ok ? verdictOf(result.bundle.objects, policies) : { state: "Unknown", reason: result.reason, message: result.message };
    this.verdicts.delete(key);
    this.verdicts.set(key, { verdict, at: now });
    if (this.verdicts.size > MAX_VERDICTS) this.verdicts.delete(this.verdicts.keys().next().value!);
    return verdict;
  }
}
