// Helm lifecycle hooks through the whole path (hub → bus → agent → spoke): hooks run as phases around
// the main apply in Helm's order (proved by the times the test's own watch on the spoke saw each
// object appear), delete policies are honoured, a failing pre-install hook fails the revision (so a
// rollout counts the cluster failed and can roll it back), and a pre-delete hook that never finishes
// delays the uninstall until its deadline only, even after an agent restart.
//
// The spoke control plane runs no job controller and no kubelet, and the fleet's workload simulator is
// told to wait an hour: the test itself plays the job controller, writing each hook Job's status when
// it decides (finishJob).
import { BatchV1Api, CustomObjectsApi, Watch, type KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADDON_NAME_LABEL, resources, type ClusterManagementAddOn, type ManagedClusterAddOn } from "@flotilla/shared";
import { Fleet } from "../fleet/fleet.js";
import { finishJob } from "../harness/simulator/finish-job.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";
import { Hub, metric, orUndefined, Spoke, waitFor } from "./support.js";

const CLUSTER = "cluster-1";
/** Made by the test, as a cluster owner would: pre-install hooks need their namespace before the main apply (as with Helm). */
const NS = "hooks-e2e";

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; annotations?: Record<string, string> } } & Record<string, unknown>;
const configMap = (name: string, annotations?: Record<string, string>): Manifest => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, ...(annotations ? { annotations } : {}) }, data: { made: "by-flotilla" } });
const job = (name: string, annotations: Record<string, string>): Manifest => ({
  apiVersion: "batch/v1", kind: "Job", metadata: { name, annotations },
  spec: { backoffLimit: 0, template: { spec: { restartPolicy: "Never", containers: [{ name: "run", image: "busybox", command: ["true"] }] } } },
});
function hookedAddon(name: string, manifests: Manifest[]): ClusterManagementAddOn {
  return {
    apiVersion: "addon.flotilla.dev/v1alpha1", kind: "ClusterManagementAddOn", metadata: { name },
    spec: {
      installNamespace: NS,
      source: { manifests },
      installStrategy: { type: "Placements", placements: [{ name: "dev", clusterSelector: { matchLabels: { env: "dev" } }, rolloutStrategy: { type: "All" } }] },
    },
  } as ClusterManagementAddOn;
}

interface Seen {
  event: "ADDED" | "DELETED";
  kind: string;
  name: string;
  uid: string;
  /** When the test's watch saw it (ms). */
  at: number;
}

/** The test's own record of ConfigMaps and Jobs appearing and going in the namespace, with times. */
class Recorder {
  readonly seen: Seen[] = [];
  private readonly controllers: AbortController[] = [];
  constructor(private readonly kc: KubeConfig) {}
  async start(): Promise<void> {
    const watch = new Watch(this.kc);
    for (const [kind, path] of [["ConfigMap", `/api/v1/namespaces/${NS}/configmaps`], ["Job", `/apis/batch/v1/namespaces/${NS}/jobs`]] as const) {
      const c = await watch.watch(path, {}, (type: string, o: { metadata?: { name?: string; uid?: string } }) => {
        if (type === "ADDED" || type === "DELETED") this.seen.push({ event: type, kind, name: o.metadata?.name ?? "", uid: o.metadata?.uid ?? "", at: Date.now() });
      }, () => {});
      this.controllers.push(c);
    }
  }
  stop(): void {
    for (const c of this.controllers) c.abort();
  }
  at(event: Seen["event"], kind: string, name: string, uid?: string): number | undefined {
    return this.seen.find((s) => s.event === event && s.kind === kind && s.name === name && (uid === undefined || s.uid === uid))?.at;
  }
  /** Waits until the watch saw it; its time. */
  when(event: Seen["event"], kind: string, name: string, uid?: string): Promise<number> {
    return waitFor(`${kind} ${name} ${event}`, async () => this.at(event, kind, name, uid), 60_000);
  }
}

describe("Helm hooks around apply and uninstall", () => {
  let fleet: Fleet;
  let dir: string;
  let hub: Hub;
  let spoke: Spoke;
  let batch: BatchV1Api;
  let rec: Recorder;
  const agentMetrics = () => fleet.agents.get(CLUSTER)?.metricsUrl ?? "";
  const condition = async (addon: string, type: string) => (await hub.getMca(CLUSTER, addon))?.status?.conditions?.find((c) => c.type === type);
  const jobOf = (name: string) => orUndefined(batch.readNamespacedJob({ namespace: NS, name }));
  /** Addons the hub shows Available on the cluster (whatever other tests left). */
  const availableOnHub = async () => {
    const r = resources.managedClusterAddOns;
    const list = (await fleet.hubKubeConfig.makeApiClient(CustomObjectsApi).listNamespacedCustomObject({ group: r.group, version: r.version, namespace: CLUSTER, plural: r.plural })) as { items: ManagedClusterAddOn[] };
    return list.items.filter((m) => m.status?.conditions?.some((c) => c.type === "Available" && c.status === "True")).length;
  };

  beforeAll(async () => {
    dir = await makeTempDir("e2e-hooks");
    // the simulator would complete every Job in 300 ms; here the test decides when a hook Job ends
    fleet = await Fleet.start({ clusters: 1, dir, readyDelayMs: 3_600_000 });
    hub = new Hub(fleet.hubKubeConfig);
    const kc = fleet.spoke(CLUSTER).kubeConfig;
    spoke = new Spoke(kc);
    batch = kc.makeApiClient(BatchV1Api);
    await spoke.core.createNamespace({ body: { metadata: { name: NS } } });
    rec = new Recorder(kc);
    await rec.start();
  });
  afterAll(async () => {
    rec?.stop();
    await fleet?.stop();
    await removeDir(dir);
  });

  it("runs pre-install hooks by weight, then the main objects, then post-install; waits for the Job; honours delete policies", async () => {
    const addon = "hooked";
    // a leftover of an earlier run of the weight -5 hook: before-hook-creation (the default) replaces it
    const leftover = await spoke.core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: "pre-config", labels: { [ADDON_NAME_LABEL]: addon } }, data: { leftover: "yes" } } });
    await hub.createCma(hookedAddon(addon, [
      configMap("main-config"),
      job("pre-job", { "helm.sh/hook": "pre-install", "helm.sh/hook-delete-policy": "hook-succeeded" }),
      configMap("pre-config", { "helm.sh/hook": "pre-install", "helm.sh/hook-weight": "-5" }),
      configMap("post-config", { "helm.sh/hook": "post-install" }),
      configMap("test-pod", { "helm.sh/hook": "test" }),
    ]));

    const jobAdded = await rec.when("ADDED", "Job", "pre-job");
    // the Job waits for its completion: nothing after it has been applied
    expect(await spoke.configMap(NS, "main-config")).toBeUndefined();
    const running = await waitFor("the MCA shows the hooks running", async () => {
      const c = await condition(addon, "Applied");
      return c?.reason === "Applying" && c.message.startsWith("running pre-install hooks") ? c : undefined;
    });
    expect(running.message).toBe("running pre-install hooks: ConfigMap hooks-e2e/pre-config, Job hooks-e2e/pre-job");
    await finishJob(batch, NS, "pre-job", "ready");
    await hub.waitAvailable(CLUSTER, addon);

    const replaced = await spoke.configMap(NS, "pre-config");
    expect(replaced?.metadata?.uid).not.toBe(leftover.metadata?.uid);
    expect(replaced?.data).toEqual({ made: "by-flotilla" });
    const order = {
      leftoverDeleted: rec.at("DELETED", "ConfigMap", "pre-config", leftover.metadata?.uid),
      preConfig: rec.at("ADDED", "ConfigMap", "pre-config", replaced?.metadata?.uid),
      preJob: jobAdded,
      main: await rec.when("ADDED", "ConfigMap", "main-config"),
      post: await rec.when("ADDED", "ConfigMap", "post-config"),
    };
    const times = Object.values(order);
    expect(times.every((t) => t !== undefined)).toBe(true);
    expect([...times].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(times);
    // hook-succeeded deletes the Job; the test hook is never applied
    await waitFor("hook-succeeded deleted the Job", async () => (await jobOf("pre-job")) === undefined, 30_000);
    expect(rec.at("ADDED", "ConfigMap", "test-pod")).toBeUndefined();
    // hooks are not in the inventory
    const applied = (await spoke.appliedAddOn(addon)) as { status?: { inventory?: { name: string }[] } } | undefined;
    expect(applied?.status?.inventory?.map((i) => i.name)).toEqual(["main-config"]);
    expect(await metric(agentMetrics(), "flotilla_agent_hook_runs_total", { phase: "pre-install", result: "succeeded" })).toBe(2);
  });

  it("a failing pre-install hook fails the revision: Applied=False/HookFailed, Degraded, main objects not applied, the cluster counted failed", async () => {
    const addon = "hookfail";
    await hub.createCma(hookedAddon(addon, [
      configMap("never-applied"),
      job("fail-job", { "helm.sh/hook": "pre-install", "addon.flotilla.dev/hook-timeout": "30s" }),
    ]));
    await rec.when("ADDED", "Job", "fail-job");
    await finishJob(batch, NS, "fail-job", "fail");
    const applied = await waitFor("Applied=False/HookFailed", async () => {
      const c = await condition(addon, "Applied");
      return c?.status === "False" && c.reason === "HookFailed" ? c : undefined;
    });
    expect(applied.message).toMatch(/^pre-install hook Job hooks-e2e\/fail-job: Job failed: BackoffLimitExceeded/);
    expect((await condition(addon, "Degraded"))?.status).toBe("True");
    expect(await spoke.configMap(NS, "never-applied")).toBeUndefined();
    await waitFor("the hub counts the cluster failed", async () => (await hub.getCma(addon))?.status?.summary?.failed === 1, 30_000);
    expect(await metric(agentMetrics(), "flotilla_agent_hook_runs_total", { phase: "pre-install", result: "failed" })).toBeGreaterThanOrEqual(1);
  });

  it("a pre-delete hook that never finishes delays the uninstall until its deadline, after an agent restart too; then everything goes", async () => {
    const addon = "predel";
    await hub.install(hookedAddon(addon, [
      configMap("predel-main"),
      configMap("predel-post", { "helm.sh/hook": "post-install" }),
      job("predel-job", { "helm.sh/hook": "pre-delete", "addon.flotilla.dev/hook-timeout": "5s" }),
    ]), [CLUSTER]);
    const postUid = (await spoke.configMap(NS, "predel-post"))?.metadata?.uid;
    expect(postUid).toBeDefined();
    // the delete hook is recorded whole on the AppliedAddOn: a restarted agent still knows it
    const recorded = (await spoke.appliedAddOn(addon)) as { spec?: { hooks?: { kind: string; metadata: { name: string } }[] } } | undefined;
    expect(recorded?.spec?.hooks?.map((h) => `${h.kind}/${h.metadata.name}`)).toEqual(["ConfigMap/predel-post", "Job/predel-job"]);
    const available = await availableOnHub();
    await fleet.stopAgent(CLUSTER);
    await fleet.startAgent(CLUSTER);
    // the restarted agent re-applies the same revision and runs no hooks: the post-install hook was not replaced
    await waitFor("the restarted agent has looked at every Available addon", async () => (await metric(agentMetrics(), "flotilla_agent_addons", { state: "Available" })) >= available, 60_000);
    expect((await spoke.configMap(NS, "predel-post"))?.metadata?.uid).toBe(postUid);
    expect(rec.at("DELETED", "ConfigMap", "predel-post", postUid)).toBeUndefined();

    const t0 = Date.now();
    await hub.deleteCma(addon);
    const jobAdded = await rec.when("ADDED", "Job", "predel-job");
    expect(jobAdded).toBeGreaterThanOrEqual(t0);
    const mainGone = await rec.when("DELETED", "ConfigMap", "predel-main");
    await waitFor("the AppliedAddOn is gone (uninstall done)", async () => (await spoke.appliedAddOn(addon)) === undefined, 60_000);
    // no job controller: the hook never finishes; the uninstall waited out its 5 s deadline, no more
    expect(mainGone - t0).toBeGreaterThanOrEqual(5_000);
    expect(mainGone - t0).toBeLessThan(30_000);
    // hook objects left behind (the timed-out Job, the post-install ConfigMap) go with the addon
    await waitFor("hook objects left behind are deleted", async () => (await jobOf("predel-job")) === undefined && (await spoke.configMap(NS, "predel-post")) === undefined, 30_000);
    expect(await metric(agentMetrics(), "flotilla_agent_hook_runs_total", { phase: "pre-delete", result: "timeout" })).toBe(1);
  });
});
