import { applyStatus, canonicalJson, sha256Hex, classifyKubeError, findCondition, resources, type ReconcileResult, type ValuesValidator } from "@flotilla/shared";
import { CREDENTIALS_FINALIZER, HUB_MANAGER, RENDER_MANAGER } from "../../api/names.js";
import type { AccountRevoker } from "../../credentials/account-revoker.js";
import type { RegistrationWrites } from "../../credentials/credential-writes.js";
import type { BundleSealer } from "../../credentials/seal.js";
import { secretPaths } from "../../render/secret-values.js";
import type { ClusterManagementAddOn, ManagedCluster, ManagedClusterAddOn, Values } from "../../api/types.js";
import type { DesiredStore } from "../../bus/desired-store.js";
import { isDeleting, labelsOf } from "../../kube/resources.js";
import type { PresenceStore } from "../../presence/store.js";
import { policySignature, type NamedPolicy } from "../../imagepolicy/evaluate.js";
import { refusalReason, verdictOf, violationsMessage } from "../../imagepolicy/verdict.js";
import { clusterCapabilities } from "../../presence/capabilities.js";
import type { ChartBundles } from "../../render/chart-bundle.js";
import { renderSource } from "../../render/source.js";
import { valuesFrom, type ValuesLookup } from "../../render/values-from.js";
import { revisionName } from "../../revision/hash.js";
import { resolvedSpec } from "../../revision/resolved.js";
import type { RevisionStore } from "../../revision/store.js";
import { specFromRevision } from "../../rollout/undo.js";
import type { ControllerDeps } from "../../session/context.js";
import { clusterStatus } from "./cluster-status.js";
import { bundleKeyValues, type AddonDesire } from "./publish-plan.js";
import type { Publisher } from "./publisher.js";
import type { RenderCache } from "./render-cache.js";
import { renderStatus, type RenderFailure } from "./render-status.js";

const MC = resources.managedClusters;
const MCA = resources.managedClusterAddOns;

export interface ClustersControllerDeps extends ControllerDeps {
  presence: PresenceStore;
  store: DesiredStore;
  publisher: Publisher;
  renderCache: RenderCache;
  /** The recorded revisions, for clusters held on another revision than the spec's. */
  revisionStore: RevisionStore;
  /** Checks each cluster's merged values against the CMA's `valuesSchema`. */
  validator: ValuesValidator;
  /** Renders helm sources (fetches the chart, checks values, runs `helm template`). */
  charts: ChartBundles;
  /** The image policies that apply to an addon (its own and the fleet's that select it). */
  imagePolicies: (cma: ClusterManagementAddOn) => NamedPolicy[];
  /** A cluster's values from its config object (the generated `<Addon>Config` kind). */
  configValues: (cluster: string, addon: string) => Values | undefined;
  graceSeconds: number;
  lastSeenRefreshSeconds: number;
  /** Revokes a cluster's bus credentials; undefined when the hub mints none (no `--nats-issuer`). */
  revoker: AccountRevoker | undefined;
  credentialWrites: RegistrationWrites;
  /** Seals bundles for clusters whose agent registered an encryption key; undefined without `--nats-issuer`. */
  sealer: BundleSealer | undefined;
}

type RenderOutcome = { desire: AddonDesire; failure?: RenderFailure; retry?: boolean };

/** A render that failed for a passing reason (a chart repository down, helm too slow) is tried again after this. */
const RENDER_RETRY_MS = 10_000;

/**
 * Key = cluster name. Accepted: hub namespace, status (Accepted/Joined/Available, agent facts), then
 * the cluster's desired state on the bus. Not accepted or gone: its desired state is withdrawn.
 */
export class ClustersController {
  constructor(private readonly d: ClustersControllerDeps) {}

  /** `valuesFrom` reads the labelled ConfigMaps and Secrets the session watches. */
  private readonly valuesLookup: ValuesLookup = (kind, namespace, name) =>
    kind === "ConfigMap" ? this.d.caches.valuesConfigMaps.get(name, namespace) : this.d.caches.valuesSecrets.get(name, namespace);

  async reconcile(name: string): Promise<ReconcileResult | void> {
    const mc = this.d.caches.clusters.get(name);
    const accepted = mc !== undefined && mc.spec?.hubAcceptsClient === true && !isDeleting(mc);
    if (mc && !accepted) await this.revoke(mc);
    const requeueAfterMs = mc && !isDeleting(mc) ? await this.writeStatus(mc, accepted) : undefined;
    if (!accepted) {
      this.d.renderCache.forgetCluster(name);
      await this.d.publisher.publish(name, [], { deleteIndex: mc === undefined });
      return requeueAfterMs !== undefined ? { requeueAfterMs } : undefined;
    }
    await this.d.namespaces.ensure(name);
    const desires: AddonDesire[] = [];
    let retry = false;
    for (const mca of this.d.mcaIndex.ofCluster(name)) {
      const addon = mca.metadata?.name ?? "";
      const cma = this.d.caches.cmas.get(addon);
      if (isDeleting(mca) || !cma || isDeleting(cma)) continue;
      const outcome = await this.render(mc, cma, mca);
      desires.push(outcome.desire);
      retry ||= outcome.retry === true;
      await this.writeRendered(mca, outcome.failure);
    }
    await this.d.publisher.publish(name, desires);
    const wait = Math.min(requeueAfterMs ?? Infinity, retry ? RENDER_RETRY_MS : Infinity);
    return Number.isFinite(wait) ? { requeueAfterMs: wait } : undefined;
  }

  private async render(mc: ManagedCluster, cma: ClusterManagementAddOn, mca: ManagedClusterAddOn): Promise<RenderOutcome> {
    const cluster = mc.metadata?.name ?? "";
    const addon = cma.metadata?.name ?? "";
    const keep: AddonDesire = { addon, action: "keep" };
    const revision = mca.status?.desiredRevision;
    // The rollout has not decided for this cluster yet: leave what is published.
    if (!revision) return { desire: keep };
    // Held on (or sent back to) another revision than the spec's: render that one, from its AddOnRevision.
    let spec = resolvedSpec(cma);
    if (!spec || revision !== revisionName(addon, spec)) {
      const rev = await this.d.revisionStore.get(revision);
      if (!rev) return { desire: keep, failure: { reason: "RevisionNotFound", message: `revision ${revision} is not recorded (pruned?); keeping what is published` } };
      spec = specFromRevision(cma.spec ?? {}, rev);
    }
    const labels = labelsOf(mc);
    const capabilities = spec.source?.helm ? clusterCapabilities(this.d.presence, mc, cluster) : undefined;
    const configValues = this.d.configValues(cluster, addon);
    const from = valuesFrom(spec.valuesFrom, this.valuesLookup);
    if (!from.ok) return { desire: keep, failure: { reason: from.reason, message: from.message } };
    const fromValues = from.values;
    // Hashed: the render cache keeps no values (a Secret's least of all).
    const policies = this.d.imagePolicies(cma);
    const cred = mc.status?.credentials;
    const recipient = this.d.sealer && cred?.encryptionKey && !cred.revokedTime ? cred.encryptionKey : undefined;
    const inputs = sha256Hex(canonicalJson([recipient ?? null, revision, cma.metadata?.generation ?? cma.metadata?.resourceVersion, mca.metadata?.generation ?? mca.metadata?.resourceVersion, labels, capabilities ?? null, configValues ?? null, fromValues ?? null, policySignature(policies)]));
    const published = this.d.store.indexEntry(cluster, addon);
    const hit = this.d.renderCache.lookup(cluster, addon, inputs);
    if (hit && published && published.revision === hit.revision && published.digest === hit.digest) return { desire: keep };

    const input = { addon, revision, spec, cluster: { name: cluster, labels }, capabilities, ...(mca.spec?.values ? { clusterValues: mca.spec.values } : {}), ...(fromValues ? { fromValues } : {}), ...(configValues ? { configValues } : {}) };
    const result = await renderSource({ charts: this.d.charts, validator: this.d.validator }, input);
    // Invalid values or a failed render: the cluster keeps its last published bundle (DESIGN §12).
    if (!result.ok) return { desire: keep, failure: { reason: result.reason, message: result.message }, ...("retry" in result ? { retry: true } : {}) };
    // The backstop of the image gate: this cluster's own values (MCA, valuesFrom, config object) may
    // name another image than the revision's; then it gets nothing new and its MCA says why.
    const images = verdictOf(result.bundle.objects, policies);
    if (images.state === "Refused") return { desire: keep, failure: { reason: refusalReason(images.violations), message: `${revision} is not published to ${cluster}: ${violationsMessage(images.violations)}` } };
    // Values from Secrets go on the bus sealed to the cluster's agent, or not at all.
    if (!recipient && (spec.valuesFrom?.some((v) => v.kind === "Secret") || secretPaths(spec.valuesSchema).length > 0)) {
      return { desire: keep, failure: { reason: "AwaitingEncryptionKey", message: `${addon} has secret values (from Secrets, or marked x-flotilla-secret), which are sent only sealed to the cluster's agent, and ${cluster}'s agent has registered no encryption key (agents that join with --bootstrap-creds do)` } };
    }
    const { digest, values } = bundleKeyValues(recipient ? this.d.sealer!.seal(result.bundle, recipient) : result.bundle);
    this.d.renderCache.remember(cluster, addon, inputs, revision, digest);
    return { desire: { addon, action: "publish", revision, digest, values } };
  }

  /** `Rendered` and `ValuesValid` exist only while they fail (one writer, its own field manager). */
  private async writeRendered(mca: ManagedClusterAddOn, failure: RenderFailure | undefined): Promise<void> {
    const ns = mca.metadata?.namespace ?? "";
    const name = mca.metadata?.name ?? "";
    const r = renderStatus({ current: mca.status?.conditions, failure, generation: mca.metadata?.generation, now: new Date(this.d.clock.now()) });
    if (!r.status) return;
    await applyStatus(this.d.clients, MCA, name, ns, r.status, RENDER_MANAGER).catch((err: unknown) => {
      throw classifyKubeError(err);
    });
    const log = { cluster: ns, addon: name, revision: mca.status?.desiredRevision };
    if (r.raised) {
      this.d.logger.warn({ ...log, reason: r.raised.reason, error: r.raised.message }, "cannot publish for this cluster; keeping what is published");
      this.d.events.emit({ ...mca, apiVersion: `${MCA.group}/${MCA.version}`, kind: MCA.kind }, "Warning", r.raised.reason, r.raised.message);
    }
    if (r.cleared.length) this.d.logger.info({ ...log, cleared: r.cleared }, "renders again");
  }

  /**
   * A cluster no longer accepted (or being deleted) loses its bus credentials: the server disconnects
   * its agent at once and refuses them from then on. The revocation is recorded before the finalizer
   * that held the deletion for it is released.
   */
  private async revoke(mc: ManagedCluster): Promise<void> {
    const name = mc.metadata?.name ?? "";
    const cred = mc.status?.credentials;
    let revoked = cred?.revokedTime !== undefined;
    if (cred && !revoked) {
      if (!this.d.revoker) {
        this.d.logger.error({ cluster: name }, "cannot revoke this cluster's bus credentials: the hub runs without --nats-issuer");
      } else {
        const why = isDeleting(mc) ? "the ManagedCluster is being deleted" : "spec.hubAcceptsClient is false";
        await this.d.revoker.revoke([cred.publicKey], `cluster ${name}: ${why}`);
        const revokedTime = new Date(this.d.clock.now()).toISOString();
        await this.d.credentialWrites.applyCredentials(name, { credentials: { ...cred, revokedTime }, ...(mc.status?.registration ? { registration: mc.status.registration } : {}) }, mc.metadata?.resourceVersion);
        this.d.events.emit({ ...mc, apiVersion: `${MC.group}/${MC.version}`, kind: MC.kind }, "Warning", "CredentialsRevoked", `bus credentials of key ${cred.publicKey} revoked: ${why}`);
        revoked = true;
      }
    }
    if (isDeleting(mc) && mc.metadata?.finalizers?.includes(CREDENTIALS_FINALIZER) && (revoked || !cred)) await this.d.credentialWrites.finalizer(name, false);
  }

  private async writeStatus(mc: ManagedCluster, accepted: boolean): Promise<number | undefined> {
    const name = mc.metadata?.name ?? "";
    const r = clusterStatus({
      accepted,
      generation: mc.metadata?.generation,
      previous: mc.status,
      presence: this.d.presence.get(name),
      now: this.d.clock.now(),
      graceSeconds: this.d.graceSeconds,
      lastSeenRefreshSeconds: this.d.lastSeenRefreshSeconds,
    });
    if (r.changed) {
      await applyStatus(this.d.clients, MC, name, undefined, r.status, HUB_MANAGER).catch((err: unknown) => {
        throw classifyKubeError(err);
      });
      const avail = findCondition(r.status.conditions, "Available");
      const was = findCondition(mc.status?.conditions, "Available");
      if (avail?.status !== was?.status) {
        this.d.logger.info({ cluster: name, available: avail?.status, reason: avail?.reason }, "cluster availability changed");
        // Only real transitions make an event, not the first status of a new cluster.
        if (was && avail) this.d.events.emit({ ...mc, apiVersion: `${MC.group}/${MC.version}`, kind: MC.kind }, avail.status === "True" ? "Normal" : "Warning", avail.reason, avail.message);
      }
    }
    return r.requeueAfterMs;
  }
}
