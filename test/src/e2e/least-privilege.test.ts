// The fleet runs the hub and every agent as the ServiceAccounts of deploy/rbac/hub.yaml and agent.yaml
// (fleet/rbac.ts), never as system:masters: the processes really get those kubeconfigs, the API server
// says who they are, what the files do not grant is refused, and an addon still goes all the way out.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ApiextensionsV1Api, AuthenticationV1Api, CoordinationV1Api, CoreV1Api, KubeConfig, RbacAuthorizationV1Api, type V1UserInfo } from "@kubernetes/client-node";
import { httpStatusOf } from "@flotilla/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Fleet } from "../fleet/fleet.js";
import { identityKubeconfigPath, serviceAccountUser, type FlotillaPart } from "../fleet/rbac.js";
import type { ControlPlane } from "../harness/controlplane.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";
import { cmaEvents } from "./rollout-support.js";
import { demoAddon, Hub, Spoke, waitFor } from "./support.js";

const CLUSTER = "cluster-1";

const kubeConfigOf = (path: string): KubeConfig => {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
};

/** Who the API server takes the part's kubeconfig on `cp` to be. */
async function whoAmI(cp: ControlPlane, part: FlotillaPart): Promise<V1UserInfo> {
  const review = await kubeConfigOf(identityKubeconfigPath(cp, part)).makeApiClient(AuthenticationV1Api).createSelfSubjectReview({ body: {} });
  return review.status?.userInfo ?? {};
}

/** The `--kubeconfig` a running process was started with, from its command line. */
function kubeconfigFlag(pid: number): string | undefined {
  const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  const i = argv.indexOf("--kubeconfig");
  return i >= 0 ? argv[i + 1] : undefined;
}

const statusOf = (p: Promise<unknown>): Promise<number | undefined> => p.then(() => 200, (err: unknown) => httpStatusOf(err));

describe("least privilege: hub and agents hold only deploy/rbac", () => {
  let fleet: Fleet;
  let dir: string;

  beforeAll(async () => {
    dir = await makeTempDir("e2e-least-privilege");
    fleet = await Fleet.start({ clusters: 1, dir });
  });
  afterAll(async () => {
    await fleet?.stop();
    await removeDir(dir);
  });

  it("runs the hub as flotilla-system/flotilla-hub, outside system:masters, refused what hub.yaml does not grant", async () => {
    const hubProc = fleet.hubs.get("hub-0");
    expect(hubProc && kubeconfigFlag(hubProc.proc.pid)).toBe(identityKubeconfigPath(fleet.hub, "hub"));
    const who = await whoAmI(fleet.hub, "hub");
    expect(who.username).toBe(serviceAccountUser("hub"));
    expect(who.groups ?? []).not.toContain("system:masters");

    const kc = kubeConfigOf(identityKubeconfigPath(fleet.hub, "hub"));
    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    const binding = { metadata: { name: "hub-escalates" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" }, subjects: [{ kind: "ServiceAccount", name: "flotilla-hub", namespace: "flotilla-system" }] };
    expect(await statusOf(rbac.createClusterRoleBinding({ body: binding }))).toBe(403);
    expect(await statusOf(core.listNamespacedPod({ namespace: "kube-system" }))).toBe(403);
    expect(await statusOf(core.deleteNamespace({ name: "default" }))).toBe(403);
    // CRDs: RBAC lets the hub write any, the admission policy of hub.yaml only its config CRDs (dry runs: nothing is kept)
    const ext = kc.makeApiClient(ApiextensionsV1Api);
    const crd = (group: string) => ({
      metadata: { name: `widgets.${group}` },
      spec: { group, scope: "Namespaced", names: { kind: "Widget", plural: "widgets" }, versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object" } } }] },
    });
    await waitFor("the hub refused a CRD of another group", async () => (await statusOf(ext.createCustomResourceDefinition({ body: crd("example.com"), dryRun: "All" }))) === 403);
    expect(await statusOf(ext.createCustomResourceDefinition({ body: crd("config.addon.flotilla.dev"), dryRun: "All" }))).toBe(200);
    // a Lease other than its own, in its own namespace: get is granted by name only
    expect(await statusOf(kc.makeApiClient(CoordinationV1Api).readNamespacedLease({ namespace: "flotilla-system", name: "someone-else" }))).toBe(403);
  });

  it("runs every agent as flotilla-system/flotilla-agent, outside system:masters, refused what agent.yaml does not grant", async () => {
    const cp = fleet.spoke(CLUSTER);
    const agentProc = fleet.agents.get(CLUSTER);
    expect(agentProc && kubeconfigFlag(agentProc.proc.pid)).toBe(identityKubeconfigPath(cp, "agent"));
    const who = await whoAmI(cp, "agent");
    expect(who.username).toBe(serviceAccountUser("agent"));
    expect(who.groups ?? []).not.toContain("system:masters");

    const core = kubeConfigOf(identityKubeconfigPath(cp, "agent")).makeApiClient(CoreV1Api);
    expect(await statusOf(core.listNamespacedSecret({ namespace: "kube-system" }))).toBe(403);
    expect(await statusOf(core.createNamespace({ body: { metadata: { name: "agent-made" } } }))).toBe(403);
  });

  it("installs, updates and uninstalls an addon end to end with nothing more", async () => {
    const hub = new Hub(fleet.hubKubeConfig);
    const spoke = new Spoke(fleet.spoke(CLUSTER).kubeConfig);
    const addon = "lean";
    await hub.install(demoAddon(addon), [CLUSTER]);
    await hub.patchCma(addon, { spec: { values: { greeting: "least" } } });
    await waitFor("the new greeting on the spoke", async () => (await spoke.configMap(`${addon}-ns`, "settings"))?.data?.greeting === `least from ${CLUSTER}`);
    await hub.waitAvailable(CLUSTER, addon);
    // the hub recorded the rollout on the CMA (an Event: create on events is in hub.yaml)
    await waitFor("an Event about the addon from the hub", async () => (await cmaEvents(fleet.hubKubeConfig, addon)).length > 0);
    await hub.deleteCma(addon);
    await waitFor("the addon's AppliedAddOn is gone (uninstall done)", async () => (await spoke.appliedAddOn(addon)) === undefined);
    // Nothing either process asked for along the way was refused (a missing rule shows here first).
    for (const log of ["hub-hub-0.log", `agent-${CLUSTER}.log`]) {
      const refused = readFileSync(join(dir, "logs", log), "utf8").split("\n").filter((l) => /forbidden|\b403\b/i.test(l));
      expect(refused, log).toEqual([]);
    }
  });
});
