import { canonicalJson, errorMessage, findCondition, resources, setCondition, sha256Hex, type Informer, type Clock, type Logger, type ReconcileResult } from "@flotilla/shared";
import { AGENT_INSTALL_FINALIZER, AGENT_INSTALLED_CONDITION } from "../../api/names.js";
import type { ManagedCluster } from "../../api/types.js";
import type { EventRecorder } from "../../kube/events.js";
import { isDeleting } from "../../kube/resources.js";
import { parseBootstrapToken } from "../registration/token.js";
import type { InstallWrites } from "./hub-writes.js";
import { agentManifests } from "./manifests.js";
import { installCondition, installTokenName, planCredentials, type InstallFailure, type InstallOutcome } from "./plan.js";
import { Spoke, SpokeError } from "./spoke.js";

const MC = resources.managedClusters;
/** The key of `spec.agentInstall.kubeconfigSecretRef` that holds the kubeconfig. */
export const KUBECONFIG_KEY = "kubeconfig";
/** Re-applied this often even when nothing changed (level-based: what was changed or deleted on the spoke comes back). */
export const REAPPLY_MS = 10 * 60_000;
/** While the token's creds are minted (the registration queue, usually well under a second). */
const CREDS_POLL_MS = 1_000;
/** A missing or bad kubeconfig Secret is not watched: look again this often. */
const KUBECONFIG_POLL_MS = 5_000;

export interface AgentInstallDeps {
  clusters: Informer<ManagedCluster>;
  writes: InstallWrites;
  events: EventRecorder;
  /** Where bootstrap tokens live (the hub's namespace). */
  tokenNamespace: string;
  /** Whether the hub mints credentials (`--nats-issuer`); without, an installed agent could not join. */
  canMint: boolean;
  /** The pinned agent image (`--agent-image`). */
  image: string;
  /** The NATS URL the agent is given (`--agent-nats`). */
  natsUrl: string;
  /** The hub's version. */
  version: string;
  logger: Logger;
  clock: Clock;
}

type Done = { applied: string; at: number };

/**
 * Key = cluster name. An accepted ManagedCluster with `spec.agentInstall` gets the agent installed
 * into it (docs/agent-install.md): bootstrap credentials from a token the installer makes, the
 * manifests server-side applied with the kubeconfig of the referenced Secret, condition
 * `AgentInstalled`. Another image or hub version re-applies (the upgrade); deleting the cluster
 * removes what was installed before the installer's finalizer lets it go.
 */
export class AgentInstallController {
  /** What was last applied to each cluster, and when: unchanged input is not re-sent until REAPPLY_MS. */
  private readonly done = new Map<string, Done>();

  constructor(private readonly d: AgentInstallDeps) {}

  async reconcile(name: string): Promise<ReconcileResult | void> {
    const mc = this.d.clusters.get(name);
    if (!mc) return void this.done.delete(name);
    const held = mc.metadata?.finalizers?.includes(AGENT_INSTALL_FINALIZER) === true;
    if (isDeleting(mc)) return held ? this.remove(mc) : undefined;
    const spec = mc.spec?.agentInstall;
    if (!spec) {
      // No longer wanted: what was installed stays (the cluster's owner runs it now); the hold goes.
      this.done.delete(name);
      if (held) await this.d.writes.finalizer(name, false);
      if (findCondition(mc.status?.conditions, AGENT_INSTALLED_CONDITION)) await this.d.writes.condition(name, undefined);
      return;
    }
    if (mc.spec?.hubAcceptsClient !== true) return;
    const namespace = spec.namespace ?? "flotilla-system";

    const kubeconfig = await this.kubeconfig(mc);
    if (!kubeconfig.ok) return this.fail(mc, kubeconfig.outcome, KUBECONFIG_POLL_MS);
    if (!this.d.canMint) {
      return this.fail(mc, { reason: "AwaitingCredentials", message: "the hub runs without --nats-issuer, so it cannot mint the bootstrap credentials an installed agent joins with" }, KUBECONFIG_POLL_MS);
    }
    const creds = await this.credentials(mc);
    if (creds.wait) return this.fail(mc, { reason: "AwaitingCredentials", message: creds.wait }, CREDS_POLL_MS);

    const manifests = agentManifests({ cluster: name, namespace, image: this.d.image, natsUrl: this.d.natsUrl, bootstrapCreds: creds.creds, version: this.d.version });
    const applied = sha256Hex(canonicalJson([manifests, kubeconfig.version]));
    const now = this.d.clock.now();
    const last = this.done.get(name);
    const installed: InstallOutcome = { reason: "Installed", image: this.d.image, version: this.d.version, namespace };
    if (last?.applied === applied && now - last.at < REAPPLY_MS && this.current(mc, installed)) return { requeueAfterMs: last.at + REAPPLY_MS - now };

    if (!held) await this.d.writes.finalizer(name, true);
    try {
      await Spoke.fromKubeconfig(kubeconfig.text).apply(manifests);
    } catch (err) {
      this.done.delete(name);
      if (!(err instanceof SpokeError)) throw err;
      await this.writeCondition(mc, { reason: err.reason, message: err.message });
      throw err; // retried with backoff
    }
    this.done.set(name, { applied, at: now });
    if (!this.current(mc, installed)) {
      this.d.logger.info({ cluster: name, image: this.d.image, namespace, objects: manifests.length }, "agent installed");
      this.d.events.emit(this.ref(mc), "Normal", "AgentInstalled", `agent ${this.d.image} installed into namespace ${namespace}`);
    }
    await this.writeCondition(mc, installed);
    return { requeueAfterMs: REAPPLY_MS };
  }

  /**
   * Removes what was installed, then releases the finalizer. Without a usable kubeconfig nothing can
   * be removed: the finalizer goes anyway (a Warning Event says what is left), since holding the
   * deletion would not change that. An unreachable cluster is retried (backoff) while it holds.
   */
  private async remove(mc: ManagedCluster): Promise<void> {
    const name = mc.metadata?.name ?? "";
    const kubeconfig = await this.kubeconfig(mc);
    if (kubeconfig.ok) {
      const n = await Spoke.fromKubeconfig(kubeconfig.text)
        .removeInstalled()
        .catch((err: unknown) => {
          if (err instanceof SpokeError && err.reason === "KubeconfigInvalid") return err;
          throw err;
        });
      if (typeof n === "number") this.d.logger.info({ cluster: name, objects: n }, "agent removed");
      else this.leftBehind(mc, n.message);
    } else {
      this.leftBehind(mc, kubeconfig.outcome.message);
    }
    await this.d.writes.deleteToken(this.d.tokenNamespace, installTokenName(name));
    await this.d.writes.finalizer(name, false);
    this.done.delete(name);
  }

  private leftBehind(mc: ManagedCluster, why: string): void {
    const message = `the agent installed into ${mc.metadata?.name ?? ""} could not be removed (${why}); what carries app.kubernetes.io/managed-by=flotilla-hub there is left behind`;
    this.d.logger.warn({ cluster: mc.metadata?.name }, message);
    this.d.events.emit(this.ref(mc), "Warning", "AgentNotRemoved", message);
  }

  private async kubeconfig(mc: ManagedCluster): Promise<{ ok: true; text: string; version: string } | { ok: false; outcome: InstallFailure }> {
    const ref = mc.spec?.agentInstall?.kubeconfigSecretRef;
    const where = `Secret ${ref?.namespace ?? ""}/${ref?.name ?? ""}`;
    const s = ref ? await this.d.writes.secret(ref.namespace, ref.name) : undefined;
    if (!s) return { ok: false, outcome: { reason: "KubeconfigNotFound", message: `${where} (spec.agentInstall.kubeconfigSecretRef) does not exist` } };
    const raw = s.data?.[KUBECONFIG_KEY];
    if (!raw) return { ok: false, outcome: { reason: "KubeconfigInvalid", message: `${where} has no key ${KUBECONFIG_KEY}` } };
    const text = Buffer.from(raw, "base64").toString("utf8");
    try {
      Spoke.fromKubeconfig(text);
    } catch (err) {
      return { ok: false, outcome: { reason: "KubeconfigInvalid", message: `${where}: ${errorMessage(err)}` } };
    }
    return { ok: true, text, version: s.metadata?.resourceVersion ?? "" };
  }

  /** The creds for the agent's bootstrap Secret (undefined: leave it), or why to wait, having made a token if needed. */
  private async credentials(mc: ManagedCluster): Promise<{ creds?: string; wait?: string }> {
    const name = mc.metadata?.name ?? "";
    const tokenName = installTokenName(name);
    const secret = await this.d.writes.secret(this.d.tokenNamespace, tokenName);
    const parsed = secret ? parseBootstrapToken(secret) : undefined;
    const plan = planCredentials({ cluster: name, token: parsed?.ok ? parsed.token : undefined, mc, now: this.d.clock.now() });
    switch (plan.action) {
      case "use":
        return { creds: plan.creds };
      case "keep":
        return {};
      case "wait":
        return { wait: `waiting for the hub to mint bootstrap token ${this.d.tokenNamespace}/${plan.token}` };
      case "mint":
        // A spent, expired or unreadable token of ours gives way to a new one.
        if (secret) await this.d.writes.deleteToken(this.d.tokenNamespace, tokenName);
        await this.d.writes.createToken(this.d.tokenNamespace, tokenName, name);
        this.d.logger.info({ cluster: name, tokenSecret: tokenName }, "made a bootstrap token for the agent to install");
        return { wait: `made bootstrap token ${this.d.tokenNamespace}/${tokenName}; waiting for the hub to mint it` };
    }
  }

  private async fail(mc: ManagedCluster, outcome: InstallOutcome, requeueAfterMs: number): Promise<ReconcileResult> {
    this.done.delete(mc.metadata?.name ?? "");
    await this.writeCondition(mc, outcome);
    return { requeueAfterMs };
  }

  /** Whether the cluster's AgentInstalled already says this (then it is not written again). */
  private current(mc: ManagedCluster, o: InstallOutcome): boolean {
    const want = installCondition(o, mc.metadata?.generation);
    const have = findCondition(mc.status?.conditions, AGENT_INSTALLED_CONDITION);
    return have !== undefined && have.status === want.status && have.reason === want.reason && have.message === want.message && have.observedGeneration === want.observedGeneration;
  }

  private async writeCondition(mc: ManagedCluster, o: InstallOutcome): Promise<void> {
    if (this.current(mc, o)) return;
    const name = mc.metadata?.name ?? "";
    const next = setCondition(mc.status?.conditions, installCondition(o, mc.metadata?.generation), new Date(this.d.clock.now()));
    await this.d.writes.condition(name, findCondition(next, AGENT_INSTALLED_CONDITION));
    if (o.reason !== "Installed") {
      this.d.logger.warn({ cluster: name, reason: o.reason, error: o.message }, "agent not installed");
      this.d.events.emit(this.ref(mc), "Warning", o.reason, o.message);
    }
  }

  private ref(mc: ManagedCluster) {
    return { ...mc, apiVersion: `${MC.group}/${MC.version}`, kind: MC.kind };
  }
}
