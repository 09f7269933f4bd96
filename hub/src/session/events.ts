/**
 * Informer events → queue keys. Events are only hints: each handler enqueues the keys whose result
 * may have changed, and filters out updates that cannot matter (the hub's own status writes).
 */
import { findCondition, type InformerEvent } from "@flotilla/shared";
import { IMAGE_POLICY_CONDITION, RENDERED_CONDITION, VALUES_VALID_CONDITION } from "../api/names.js";
import type { ClusterManagementAddOn, ImagePolicy, ManagedCluster, ManagedClusterAddOn } from "../api/types.js";
import { canonicalJson } from "@flotilla/shared";
import type { Caches, Enqueue } from "./context.js";
import type { McaIndex } from "./mca-index.js";

const SUMMARY_DELAY_MS = 100;

/** Remembers a signature per object; says whether it changed since the last event. */
class Signatures {
  private readonly seen = new Map<string, string>();
  changed(event: InformerEvent, key: string, sig: string): boolean {
    if (event === "delete") {
      this.seen.delete(key);
      return true;
    }
    const prev = this.seen.get(key);
    this.seen.set(key, sig);
    return event === "resync" || prev !== sig;
  }
}

export function routeEvents(caches: Caches, mcaIndex: McaIndex, enqueue: Enqueue): void {
  const allAddons = () => {
    for (const cma of caches.cmas.list()) enqueue.cma(cma.metadata?.name ?? "", SUMMARY_DELAY_MS);
  };
  // Addons whose dependsOn names `addon`: they may go on where it became Available (or resolve once it exists).
  const dependents = (addon: string) => {
    for (const cma of caches.cmas.list()) if (cma.spec?.dependsOn?.includes(addon)) enqueue.cma(cma.metadata?.name ?? "", SUMMARY_DELAY_MS);
  };

  const clusterSigs = new Signatures();
  caches.clusters.on((event, mc: ManagedCluster) => {
    const name = mc.metadata?.name ?? "";
    enqueue.cluster(name);
    // Targeting and summaries depend on labels, acceptance and reachability only.
    const sig = canonicalJson([mc.metadata?.labels ?? {}, mc.spec?.hubAcceptsClient ?? false, Boolean(mc.metadata?.deletionTimestamp), findCondition(mc.status?.conditions, "Available")?.status]);
    if (clusterSigs.changed(event, name, sig)) allAddons();
  });

  const addonSigs = new Signatures();
  caches.cmas.on((event, cma: ClusterManagementAddOn) => {
    const addon = cma.metadata?.name ?? "";
    enqueue.cma(addon);
    if (cma.spec?.source?.helm && event !== "delete") enqueue.source(addon);
    if (event === "add" || event === "delete") dependents(addon);
    // A spec change that keeps the revision (say, a placement's selector) can still change a
    // cluster's values; the clusters re-render, and their render cache skips what is unchanged.
    // Its labels too: they decide which ImagePolicies apply to it, and so what its clusters may get.
    if (addonSigs.changed(event, addon, canonicalJson([cma.metadata?.generation, cma.metadata?.labels ?? {}]))) {
      for (const mca of mcaIndex.ofAddon(addon)) enqueue.cluster(mca.metadata?.namespace ?? "");
    }
  });

  // A values object changed: every cluster of every addon whose valuesFrom names it renders again.
  const valuesChanged = (kind: "ConfigMap" | "Secret") => (_event: InformerEvent, o: { metadata?: { namespace?: string; name?: string } }) => {
    const ns = o.metadata?.namespace;
    const name = o.metadata?.name;
    for (const cma of caches.cmas.list()) {
      if (!cma.spec?.valuesFrom?.some((r) => r.kind === kind && r.namespace === ns && r.name === name)) continue;
      for (const mca of mcaIndex.ofAddon(cma.metadata?.name ?? "")) enqueue.cluster(mca.metadata?.namespace ?? "");
    }
  };
  caches.valuesConfigMaps.on(valuesChanged("ConfigMap"));
  caches.valuesSecrets.on(valuesChanged("Secret"));

  // A policy changed: every addon's update revision is checked again, and every cluster's renders
  // (their render cache keys on the policies, so only the addons the policy applies to re-render).
  const policySigs = new Signatures();
  caches.imagePolicies.on((event, p: ImagePolicy) => {
    if (!policySigs.changed(event, p.metadata?.name ?? "", canonicalJson([p.metadata?.generation, p.metadata?.labels ?? {}]))) return;
    for (const cma of caches.cmas.list()) {
      const addon = cma.metadata?.name ?? "";
      enqueue.cma(addon);
      for (const mca of mcaIndex.ofAddon(addon)) enqueue.cluster(mca.metadata?.namespace ?? "");
    }
  });

  const publishSigs = new Signatures();
  const reportSigs = new Signatures();
  const availabilitySigs = new Signatures();
  caches.mcas.on((event, mca: ManagedClusterAddOn) => {
    const addon = mca.metadata?.name ?? "";
    const cluster = mca.metadata?.namespace ?? "";
    const key = `${cluster}/${addon}`;
    if (event === "add" || event === "delete") enqueue.cma(addon);
    else enqueue.cma(addon, SUMMARY_DELAY_MS);
    const rendered = findCondition(mca.status?.conditions, RENDERED_CONDITION);
    const valuesValid = findCondition(mca.status?.conditions, VALUES_VALID_CONDITION);
    const images = findCondition(mca.status?.conditions, IMAGE_POLICY_CONDITION);
    const pub = canonicalJson([mca.metadata?.generation, mca.status?.desiredRevision, Boolean(mca.metadata?.deletionTimestamp)]);
    if (publishSigs.changed(event, key, pub)) enqueue.cluster(cluster);
    const rep = canonicalJson([mca.metadata?.generation, mca.status?.desiredRevision, rendered?.status, rendered?.message, valuesValid?.status, valuesValid?.message, images?.status, images?.message]);
    if (reportSigs.changed(event, key, rep)) enqueue.report(cluster, addon);
    const availability = String(findCondition(mca.status?.conditions, "Available")?.status);
    if (availabilitySigs.changed(event, key, availability)) dependents(addon);
  });
}
