// Least privilege end to end: the agent runs as the ServiceAccount user of deploy/rbac/agent.yaml (no
// system:masters) and applies each addon as the addon's own ServiceAccount. An addon declaring only
// ConfigMaps whose manifests also hold a Secret is refused by the spoke API server, and the MCA says
// so, naming the kind and the identity; declaring Secrets too makes it apply; uninstall removes it all.
import { readFile } from "node:fs/promises";
import { RbacAuthorizationV1Api } from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AddonPermission, ClusterManagementAddOn, KubeObject } from "@flotilla/shared";
import { RawObjectApi } from "../../../agent/src/apply/object-api.js";
import { agentEntryPath, agentNodeFlags } from "../fleet/cli-path.js";
import { Fleet } from "../fleet/fleet.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";
import { Hub, orUndefined, Spoke, waitFor } from "./support.js";

const CLUSTER = "cluster-1";
const ADDON = "locked";
const RBAC_FILE = new URL("../../../deploy/rbac/agent.yaml", import.meta.url);

function lockedAddon(permissions: AddonPermission[]): ClusterManagementAddOn {
  const ns = `${ADDON}-ns`;
  return {
    apiVersion: "addon.flotilla.dev/v1alpha1",
    kind: "ClusterManagementAddOn",
    metadata: { name: ADDON },
    spec: {
      installNamespace: ns,
      permissions,
      source: {
        manifests: [
          { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } },
          { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings" }, data: { a: "1" } },
          { apiVersion: "v1", kind: "Secret", metadata: { name: "token" }, stringData: { token: "t" } },
        ],
      },
      installStrategy: { type: "Placements", placements: [{ name: "dev", clusterSelector: { matchLabels: { env: "dev" } }, rolloutStrategy: { type: "All" } }] },
    },
  } as ClusterManagementAddOn;
}

describe("impersonation: an addon touches only what it declares", () => {
  let fleet: Fleet;
  let dir: string;
  let hub: Hub;
  let spoke: Spoke;

  beforeAll(async () => {
    dir = await makeTempDir("e2e-impersonation");
    fleet = await Fleet.start({ clusters: 1, dir, startAgents: false });
    hub = new Hub(fleet.hubKubeConfig);
    const cp = fleet.spoke(CLUSTER);
    spoke = new Spoke(cp.kubeConfig);
    const admin = RawObjectApi.forConfig(cp.kubeConfig);
    for (const doc of parseAllDocuments(await readFile(RBAC_FILE, "utf8"))) await admin.apply(doc.toJS() as KubeObject, "e2e");
    const kubeconfig = await cp.writeUserKubeconfig("system:serviceaccount:flotilla-system:flotilla-agent", ["system:serviceaccounts", "system:serviceaccounts:flotilla-system"]);
    // The fleet's flags first, then this kubeconfig, which wins: the agent holds only agent.yaml.
    await fleet.startAgent(CLUSTER, { node: [...agentNodeFlags(), agentEntryPath()], args: ["--kubeconfig", kubeconfig] });
  });
  afterAll(async () => {
    await fleet?.stop();
    await removeDir(dir);
  });

  it("refuses the undeclared Secret (Applied=False/Forbidden naming it), applies once it is declared, and uninstalls everything", async () => {
    await hub.createCma(lockedAddon([{ kinds: ["Namespace", "ConfigMap"] }]));
    const refused = await waitFor(`${ADDON} refused on ${CLUSTER}`, async () => {
      const applied = (await hub.getMca(CLUSTER, ADDON))?.status?.conditions?.find((c) => c.type === "Applied");
      return applied?.status === "False" && applied.reason === "Forbidden" ? applied : undefined;
    });
    expect(refused.message).toMatch(/^Secret locked-ns\/token: /);
    expect(refused.message).toContain('User "system:serviceaccount:flotilla-system:flotilla-addon-locked" cannot');
    expect(refused.message).toContain('resource "secrets"');
    expect(await spoke.configMap(`${ADDON}-ns`, "settings")).toBeDefined();
    expect(await orUndefined(spoke.core.readNamespacedSecret({ namespace: `${ADDON}-ns`, name: "token" }))).toBeUndefined();

    await hub.patchCma(ADDON, { spec: { permissions: [{ kinds: ["Namespace", "ConfigMap", "Secret"] }] } });
    await hub.waitAvailable(CLUSTER, ADDON);
    expect(await orUndefined(spoke.core.readNamespacedSecret({ namespace: `${ADDON}-ns`, name: "token" }))).toBeDefined();
    // The agent really is the ServiceAccount of agent.yaml: it bound its read role to what the API server says it is.
    const read = await fleet.spoke(CLUSTER).kubeConfig.makeApiClient(RbacAuthorizationV1Api).readClusterRoleBinding({ name: `flotilla-agent-read-${ADDON}` });
    expect(read.subjects).toEqual([{ kind: "ServiceAccount", name: "flotilla-agent", namespace: "flotilla-system" }]);

    await hub.deleteCma(ADDON);
    await waitFor("the addon's AppliedAddOn is gone (uninstall done)", async () => (await spoke.appliedAddOn(ADDON)) === undefined);
    expect(await spoke.namespaceGoneOrTerminating(`${ADDON}-ns`)).toBe(true);
    await waitFor("the addon's ServiceAccount is gone", async () => (await orUndefined(spoke.core.readNamespacedServiceAccount({ namespace: "flotilla-system", name: `flotilla-addon-${ADDON}` }))) === undefined);
  });
});
