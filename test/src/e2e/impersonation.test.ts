// Least privilege end to end: the agent runs as the ServiceAccount of deploy/rbac/agent.yaml (no
// system:masters, as every agent of the fleet does) and applies each addon as the addon's own
// ServiceAccount. An addon declaring only ConfigMaps whose manifests also hold a Secret is refused by
// the spoke API server, and the MCA says so, naming the kind and the identity; declaring Secrets too
// makes it apply; uninstall removes it all.
import { RbacAuthorizationV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AddonPermission, ClusterManagementAddOn } from "@flotilla/shared";
import { Fleet } from "../fleet/fleet.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";
import { Hub, orUndefined, Spoke, waitFor } from "./support.js";

const CLUSTER = "cluster-1";
const ADDON = "locked";

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
    // The fleet's agents hold only agent.yaml (fleet/rbac.ts).
    fleet = await Fleet.start({ clusters: 1, dir });
    hub = new Hub(fleet.hubKubeConfig);
    spoke = new Spoke(fleet.spoke(CLUSTER).kubeConfig);
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
