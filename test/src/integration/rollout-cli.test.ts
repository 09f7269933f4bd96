/**
 * `flotilla rollout status` and `promote` as real processes against a real kube-apiserver: no hub runs;
 * the test writes the CMA, MCA and ManagedCluster status through the status subresource as the hub
 * would, and checks what the CLI prints, its exit codes, and the annotation it writes.
 */
import { spawn } from "node:child_process";
import { ApiextensionsV1Api, CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADDON_NAME_LABEL,
  crdModel,
  hubCrds,
  resources,
  type ClusterManagementAddOn,
  type ClusterManagementAddOnStatus,
  type Condition,
  type ManagedClusterAddOnStatus,
} from "@flotilla/shared";
import { waitFor } from "../e2e/support.js";
import { flotillaCliPath } from "../fleet/cli-path.js";
import { startControlPlane, type ControlPlane } from "../harness/controlplane.js";

const CMA = resources.clusterManagementAddOns;
const MCA = resources.managedClusterAddOns;
const MC = resources.managedClusters;
const merge = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
const NOW = new Date().toISOString();
const cond = (type: string, status: "True" | "False", reason = "Test", message = ""): Condition => ({ type, status, reason, message, lastTransitionTime: NOW });

const ADDON = "canary";
const R1 = "canary-1111111111";
const R2 = "canary-2222222222";
const CLUSTERS = ["c1", "c2", "c3", "c4"];

let cp: ControlPlane;
let custom: CustomObjectsApi;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `flotilla rollout ARGS --kubeconfig …` to its end; `onStdout` sees output as it comes. */
function cli(args: string[], onStdout?: (all: string) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [flotillaCliPath(), "rollout", ...args, "--kubeconfig", cp.kubeconfigPath], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const killer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.stdout.on("data", (d: Buffer) => {
      stdout += String(d);
      onStdout?.(stdout);
    });
    child.stderr.on("data", (d: Buffer) => (stderr += String(d)));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function cmaStatus(status: ClusterManagementAddOnStatus): Promise<void> {
  const cma = (await custom.getClusterCustomObject({ ...CMA, name: ADDON })) as ClusterManagementAddOn;
  // replace (not merge) so fields of an earlier state do not linger
  await custom.replaceClusterCustomObjectStatus({ ...CMA, name: ADDON, body: { ...cma, status: { observedGeneration: cma.metadata?.generation, ...status } } });
}

const mcaStatus = (cluster: string, status: ManagedClusterAddOnStatus) =>
  custom.patchNamespacedCustomObjectStatus({ ...MCA, namespace: cluster, name: ADDON, body: { status } }, merge);

const paused: ClusterManagementAddOnStatus = {
  updateRevision: R2,
  currentRevision: R1,
  rollout: { phase: "Paused", reason: "WaitingForApproval", step: 2, message: "canary step 2/3: waiting for approval (flotilla rollout promote)", startTime: NOW },
  summary: { desired: 4, updated: 1, applied: 1, available: 4, progressing: 0, failed: 0, unreachable: 0 },
};

beforeAll(async () => {
  cp = await startControlPlane({ name: "rollout-cli", controllerManager: false });
  custom = cp.kubeConfig.makeApiClient(CustomObjectsApi);
  const ext = cp.kubeConfig.makeApiClient(ApiextensionsV1Api);
  for (const crd of hubCrds) await ext.createCustomResourceDefinition({ body: crdModel(crd) });
  await waitFor("CRDs Established", async () => {
    const got = await Promise.all(hubCrds.map((c) => ext.readCustomResourceDefinition({ name: c.metadata.name })));
    return got.every((c) => c.status?.conditions?.some((x) => x.type === "Established" && x.status === "True"));
  }, 30_000);

  const core = cp.kubeConfig.makeApiClient(CoreV1Api);
  for (const [i, name] of CLUSTERS.entries()) {
    await core.createNamespace({ body: { metadata: { name } } });
    await custom.createClusterCustomObject({ ...MC, body: { apiVersion: "cluster.flotilla.dev/v1alpha1", kind: "ManagedCluster", metadata: { name, labels: { env: "prod", wave: String(i) } }, spec: { hubAcceptsClient: true } } });
    await custom.patchClusterCustomObjectStatus({ ...MC, name, body: { status: { conditions: [cond("Available", "True")] } } }, merge);
    await custom.createNamespacedCustomObject({ ...MCA, namespace: name, body: { apiVersion: "addon.flotilla.dev/v1alpha1", kind: "ManagedClusterAddOn", metadata: { name: ADDON, labels: { [ADDON_NAME_LABEL]: ADDON } }, spec: {} } });
  }
  await custom.createClusterCustomObject({
    ...CMA,
    body: {
      apiVersion: "addon.flotilla.dev/v1alpha1",
      kind: "ClusterManagementAddOn",
      metadata: { name: ADDON },
      spec: {
        installNamespace: "canary",
        source: { manifests: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings" }, data: { a: "1" } }] },
        installStrategy: {
          type: "Placements",
          placements: [{ name: "prod", clusterSelector: { matchLabels: { env: "prod" } }, rolloutStrategy: { type: "Canary", orderLabel: "wave", canary: { steps: [{ clusters: 1 }, { pause: {} }, { clusters: "50%" }] } } }],
        },
      },
    },
  });
  // c0 (wave 0) took R2 and is Available on it; the others are still on R1
  await mcaStatus("c1", { desiredRevision: R2, appliedRevision: R2, observedRevision: R2, conditions: [cond("Available", "True")] });
  for (const c of ["c2", "c3", "c4"]) await mcaStatus(c, { desiredRevision: R1, appliedRevision: R1, observedRevision: R1, conditions: [cond("Available", "True")] });
});

afterAll(async () => {
  await cp?.stop();
});

describe("flotilla rollout status | promote (against a real API server, no hub)", () => {
  it("status prints each canary step with its progress and exits 3 while the rollout waits", async () => {
    await cmaStatus(paused);
    const run = await cli(["status", ADDON]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(3);
    const lines = run.stdout.split("\n");
    expect(lines).toContain(`revision:  ${R2} (last good: ${R1})`);
    expect(lines).toContain("phase:     Paused at step 2 (WaitingForApproval)");
    expect(lines).toContain("placement prod: Canary, 3 step(s), ordered by label wave, autoRollback on; then rolling: maxConcurrency 25%, maxFailures 0");
    expect(lines).toContain("    1  clusters 1    [####################] 1/1 succeeded, 0 in flight, 0 failed");
    expect(lines).toContain(`  > 2  pause         waiting for promote (flotilla rollout promote ${ADDON})`);
    expect(lines).toContain("    3  clusters 50%  [##########----------] 1/2 succeeded, 0 in flight, 0 failed");
    expect(lines).toContain("       then rolling  [--------------------] 0/2 succeeded, 0 in flight, 0 failed");
    expect(lines).toContain("summary:   desired 4, updated 1, applied 1, available 4, progressing 0, failed 0, unreachable 0");
  });

  it("status exits 0 when Succeeded, 1 when Failed, RollingBack or RolledBack, 3 when the status is stale", async () => {
    for (const [phase, code] of [["Succeeded", 0], ["Failed", 1], ["RollingBack", 1], ["RolledBack", 1], ["Progressing", 3]] as const) {
      await cmaStatus({ ...paused, rollout: { phase, message: `it is ${phase}` } });
      const run = await cli(["status", ADDON]);
      expect({ phase, code: run.code }).toEqual({ phase, code });
      expect(run.stdout).toContain(`message:   it is ${phase}\n`);
    }
    await cmaStatus({ ...paused, observedGeneration: 0, rollout: { phase: "Succeeded" } });
    const stale = await cli(["status", ADDON]);
    expect(stale.code).toBe(3);
    expect(stale.stdout).toContain("stale:     the status is of generation 0; the hub has not acted on generation 1 yet");
    expect(await cli(["status", "no-such-addon"])).toMatchObject({ code: 1, stderr: "flotilla: clustermanagementaddon no-such-addon not found\n" });
  });

  it("promote writes the approval of the waiting pause into the annotation, keeping what was there for the revision", async () => {
    await cmaStatus(paused);
    await custom.patchClusterCustomObject({ ...CMA, name: ADDON, body: { metadata: { annotations: { "addon.flotilla.dev/promote": `${R1}/2,${R2}/9` } } } }, merge);
    const run = await cli(["promote", ADDON]);
    expect(run).toMatchObject({ code: 0, stdout: `clustermanagementaddon/${ADDON} promoted: step 2 of ${R2} approved\n` });
    const cma = (await custom.getClusterCustomObject({ ...CMA, name: ADDON })) as ClusterManagementAddOn;
    expect(cma.metadata?.annotations?.["addon.flotilla.dev/promote"]).toBe(`${R2}/9,${R2}/2`);
  });

  it("promote refuses when nothing waits (saying what the rollout does), a step that is no pause, and an unknown addon", async () => {
    await cmaStatus({ ...paused, rollout: { phase: "Progressing", reason: "ClustersInFlight", step: 3, message: "canary step 3/3: 2/4 cluster(s) updated" } });
    const nothing = await cli(["promote", ADDON]);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toBe(`flotilla: nothing to promote: clustermanagementaddon/${ADDON} waits for no approval; the rollout is Progressing (ClustersInFlight): canary step 3/3: 2/4 cluster(s) updated\n`);
    expect(await cli(["promote", ADDON, "--step", "3"])).toMatchObject({ code: 1, stderr: `flotilla: step 3 is not a pause step of clustermanagementaddon/${ADDON}: its pause steps are 2\n` });
    expect(await cli(["promote", "no-such-addon"])).toMatchObject({ code: 1, stderr: "flotilla: clustermanagementaddon no-such-addon not found\n" });
    // --step approves a pause of the update revision whether or not it waits
    expect(await cli(["promote", ADDON, "--step", "2"])).toMatchObject({ code: 0, stdout: `clustermanagementaddon/${ADDON} promoted: step 2 of ${R2} approved\n` });
  });

  it.each([
    ["Succeeded", 0, ""],
    ["RolledBack", 1, `rollout of ${R2} RolledBack: ${R2} failed; every cluster is back on ${R1}\nDegraded=True (CanaryFailed): c1 failed\n`],
  ] as const)("status --watch follows the rollout as it changes and exits when it is %s (%i)", async (phase, code, report) => {
    await cmaStatus(paused);
    await mcaStatus("c2", { desiredRevision: R1 });
    let blocks = 0;
    const watching = cli(["status", ADDON, "--watch"], (out) => (blocks = out.split(`clustermanagementaddon/${ADDON}\n`).length - 1));
    await waitFor("the first block", async () => blocks >= 1, 30_000);
    // a change of an MCA alone redraws: c2 starts on R2
    await mcaStatus("c2", { desiredRevision: R2 });
    await waitFor("a second block after the MCA changed", async () => blocks >= 2, 30_000);
    const message = phase === "Succeeded" ? `4/4 cluster(s) on ${R2}` : `${R2} failed; every cluster is back on ${R1}`;
    const conditions = phase === "Succeeded" ? [] : [cond("Degraded", "True", "CanaryFailed", "c1 failed")];
    await cmaStatus({ ...paused, rollout: { phase, message }, conditions });
    const run = await watching;
    expect(run.code).toBe(code);
    expect(run.stderr).toBe(report);
    expect(run.stdout).toContain("    3  clusters 50%  [##########~~~~~~~~~~] 1/2 succeeded, 1 in flight, 0 failed\n");
    expect(run.stdout.trimEnd().split("\n\n").at(-1)).toContain(`phase:     ${phase}\n`);
  });

  it("status --watch gives up with 1 at --timeout", async () => {
    await cmaStatus(paused);
    const run = await cli(["status", ADDON, "--watch", "--timeout", "2s"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`flotilla: timed out after 2000 ms waiting for the rollout of ${ADDON} to end (it is Paused)\n`);
    expect(run.stdout).toContain("phase:     Paused at step 2 (WaitingForApproval)");
  });
});
