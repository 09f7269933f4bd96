// Agent auto-install end to end: a ManagedCluster with spec.agentInstall makes the hub install the
// agent into the cluster's real API server (namespace, ServiceAccount, RBAC, bootstrap Secret,
// Deployment of the pinned image), another --agent-image upgrades it, deleting the cluster removes it.
// The spokes have no kubelet: the Deployment never runs, which is all this file needs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CoreV1Api, RbacAuthorizationV1Api } from "@kubernetes/client-node";
import { readFile } from "node:fs/promises";
import { FLOTILLA_VERSION } from "@flotilla/shared";
import { Fleet, HUB_NAMESPACE } from "../fleet/fleet.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";
import { Hub, orUndefined, Spoke, waitFor } from "./support.js";

const CLUSTER = "cluster-1";
const NS = "flotilla-system";
const KUBECONFIG_SECRET = { namespace: HUB_NAMESPACE, name: "cluster-1-kubeconfig" };
const SELECTOR = "app.kubernetes.io/managed-by=flotilla-hub";

describe("agent auto-install", () => {
  let fleet: Fleet;
  let dir: string;
  let hub: Hub;
  let spoke: Spoke;

  beforeAll(async () => {
    dir = await makeTempDir("e2e-agent-install");
    fleet = await Fleet.start({ clusters: 1, dir, startAgents: false });
    hub = new Hub(fleet.hubKubeConfig);
    spoke = new Spoke(fleet.spoke(CLUSTER).kubeConfig);
  });
  afterAll(async () => {
    await fleet?.stop();
    if (!process.env.KEEP) await removeDir(dir);
  });

  const rbac = () => fleet.spoke(CLUSTER).kubeConfig.makeApiClient(RbacAuthorizationV1Api);
  const hubCore = () => fleet.hubKubeConfig.makeApiClient(CoreV1Api);
  const installed = (image: string) =>
    waitFor(`AgentInstalled=True with ${image}`, async () => {
      const c = await hub.clusterCondition(CLUSTER, "AgentInstalled");
      return c?.status === "True" && c.message?.includes(image) ? c : undefined;
    });
  const agentDeployment = () => spoke.deployment(NS, "flotilla-agent");
  const container = async () => (await agentDeployment())?.spec?.template.spec?.containers[0];

  it("installs the agent's objects into the spoke once the kubeconfig Secret is there", async () => {
    await hub.patchCluster(CLUSTER, { spec: { agentInstall: { kubeconfigSecretRef: KUBECONFIG_SECRET } } });
    const missing = await waitFor("AgentInstalled=False/KubeconfigNotFound", async () => {
      const c = await hub.clusterCondition(CLUSTER, "AgentInstalled");
      return c?.reason === "KubeconfigNotFound" ? c : undefined;
    });
    expect(missing.status).toBe("False");
    expect(missing.message).toContain(`${KUBECONFIG_SECRET.namespace}/${KUBECONFIG_SECRET.name}`);

    const t0 = Date.now();
    await hub.createSecret(KUBECONFIG_SECRET, { kubeconfig: await readFile(fleet.spoke(CLUSTER).kubeconfigPath, "utf8") });
    const image = `ghcr.io/flotilla/agent:${FLOTILLA_VERSION}`;
    const cond = await installed(image);
    process.stderr.write(`agent-install: kubeconfig Secret → AgentInstalled=True in ${Date.now() - t0} ms\n`);
    expect(cond.reason).toBe("Installed");

    const c = await container();
    expect(c?.image).toBe(image);
    expect(c?.args).toEqual(["--cluster", CLUSTER, "--nats", fleet.nats.url, "--bootstrap-creds", "/etc/flotilla/bootstrap/creds", "--namespace", NS]);
    expect(c?.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(c?.readinessProbe?.httpGet?.path).toBe("/readyz");
    const ns = await orUndefined(spoke.core.readNamespace({ name: NS }));
    expect(ns?.metadata?.labels?.["app.kubernetes.io/managed-by"]).toBe("flotilla-hub");
    expect(await orUndefined(spoke.core.readNamespacedServiceAccount({ namespace: NS, name: "flotilla-agent" }))).toBeDefined();
    const role = await rbac().readClusterRole({ name: "flotilla-agent" });
    expect(role.rules?.some((r) => r.resources?.includes("appliedaddons"))).toBe(true);
    expect((await rbac().readClusterRoleBinding({ name: "flotilla-agent" })).subjects).toEqual([{ kind: "ServiceAccount", name: "flotilla-agent", namespace: NS }]);
    expect(await orUndefined(rbac().readNamespacedRole({ namespace: NS, name: "flotilla-agent" }))).toBeDefined();
    expect(await orUndefined(rbac().readNamespacedRoleBinding({ namespace: NS, name: "flotilla-agent" }))).toBeDefined();
    // the bootstrap Secret holds the creds the hub minted into the installer's token
    const token = await hubCore().readNamespacedSecret({ namespace: HUB_NAMESPACE, name: `agent-install-${CLUSTER}` });
    const boot = await spoke.core.readNamespacedSecret({ namespace: NS, name: "flotilla-agent-bootstrap" });
    const text = (b64: string | undefined) => Buffer.from(b64 ?? "", "base64").toString("utf8").trim();
    expect(text(boot.data?.creds)).toContain("BEGIN NATS USER JWT");
    expect(text(boot.data?.creds)).toBe(text(token.data?.creds));
    const mc = (await hub.getCluster(CLUSTER)) as { metadata?: { finalizers?: string[] } };
    expect(mc.metadata?.finalizers).toContain("cluster.flotilla.dev/agent-install");
    // the hub's own status writer leaves the installer's condition alone
    expect((await hub.clusterCondition(CLUSTER, "Accepted"))?.status).toBe("True");
  });

  it("upgrades the Deployment when the hub's agent image changes", async () => {
    const next = "registry.example/flotilla/agent:next";
    await fleet.stopHub();
    const t0 = Date.now();
    await fleet.startHub("hub-0", ["--agent-image", next]);
    await waitFor(`the agent Deployment runs ${next}`, async () => (await container())?.image === next);
    process.stderr.write(`agent-install: hub restart with another --agent-image → Deployment upgraded in ${Date.now() - t0} ms\n`);
    await installed(next);
    // the args and the rest are unchanged
    expect((await container())?.args).toContain("--bootstrap-creds");
  });

  it("removes what it installed when the cluster is deleted, then lets the cluster go", async () => {
    const t0 = Date.now();
    await hub.deleteCluster(CLUSTER);
    await waitFor("the ManagedCluster is gone", async () => (await hub.getCluster(CLUSTER)) === undefined);
    process.stderr.write(`agent-install: delete → objects removed and ManagedCluster gone in ${Date.now() - t0} ms\n`);
    expect(await agentDeployment()).toBeUndefined();
    expect(await orUndefined(rbac().readClusterRole({ name: "flotilla-agent" }))).toBeUndefined();
    expect(await orUndefined(rbac().readClusterRoleBinding({ name: "flotilla-agent" }))).toBeUndefined();
    expect(await orUndefined(spoke.core.readNamespacedSecret({ namespace: NS, name: "flotilla-agent-bootstrap" }))).toBeUndefined();
    for (const list of [await spoke.core.listServiceAccountForAllNamespaces({ labelSelector: SELECTOR }), await rbac().listRoleBindingForAllNamespaces({ labelSelector: SELECTOR })]) {
      expect(list.items).toEqual([]);
    }
    await waitFor(`namespace ${NS} is gone`, async () => (await orUndefined(spoke.core.readNamespace({ name: NS }))) === undefined);
    expect(await orUndefined(hubCore().readNamespacedSecret({ namespace: HUB_NAMESPACE, name: `agent-install-${CLUSTER}` }))).toBeUndefined();
  });
});
