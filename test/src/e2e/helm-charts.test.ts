// Real charts delivered end to end to two clusters, from an OCI registry that speaks the bearer-token
// flow (the distribution registry and our token issuer): cert-manager with its CRDs rendered from
// templates and its post-install hooks handed to the agent, gatekeeper with its `crds/` folder and its
// pre-install and post-install hooks. The simulator plays the job controller, so hook Jobs finish.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiextensionsV1Api } from "@kubernetes/client-node";
import { Fleet } from "../fleet/fleet.js";
import { HelmCli } from "../harness/charts/helm.js";
import { realChart } from "../harness/charts/real-charts.js";
import { startRegistry, type Registry } from "../harness/charts/registry.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";
import { helmAddon, Hub, metric } from "./support.js";

const CLUSTERS = ["cluster-1", "cluster-2"];
const PUSHER = { username: "ci", password: "push-secret" };
const PULLER = { username: "fleet", password: "pull-secret" };
const SECRET = { namespace: "flotilla-system", name: "registry-pull" };

const ociAddon = (name: string, repoURL: string, version: string, values: Record<string, unknown> = {}) =>
  helmAddon(name, { repoURL, chart: name, version, credentialsSecretRef: SECRET }, { values });

describe("real charts from an OCI registry (token flow)", () => {
  let fleet: Fleet;
  let dir: string;
  let hub: Hub;
  let registry: Registry;
  let helm: HelmCli;

  const crdsOn = async (cluster: string) => (await fleet.spoke(cluster).kubeConfig.makeApiClient(ApiextensionsV1Api).listCustomResourceDefinition()).items.map((c) => c.metadata?.name ?? "");
  const hookRuns = (cluster: string, phase: string) => metric(fleet.agents.get(cluster)?.metricsUrl ?? "", "flotilla_agent_hook_runs_total", { phase, result: "succeeded" });

  beforeAll(async () => {
    dir = await makeTempDir("e2e-helm-charts");
    helm = await HelmCli.create();
    registry = await startRegistry({
      auth: {
        mode: "token",
        users: {
          [PUSHER.username]: { password: PUSHER.password, grants: [{ prefix: "charts/", actions: ["pull", "push"] }] },
          [PULLER.username]: { password: PULLER.password, grants: [{ prefix: "charts/", actions: ["pull"] }] },
        },
      },
    });
    for (const tgz of ["cert-manager-1.21.1.tgz", "gatekeeper-3.24.0-beta.0.tgz"]) await helm.push(realChart(tgz), `${registry.ociURL}/charts`, PUSHER);
    fleet = await Fleet.start({ clusters: CLUSTERS.length, dir });
    hub = new Hub(fleet.hubKubeConfig);
    await hub.createSecret(SECRET, PULLER);
  }, 600_000);
  afterAll(async () => {
    await fleet?.stop();
    await registry?.dispose();
    await helm?.dispose();
    await removeDir(dir);
  });

  it("cert-manager: its CRDs (from templates) and its post-install hooks reach both clusters", async () => {
    await hub.createCma(ociAddon("cert-manager", `${registry.ociURL}/charts`, "1.21.x", { crds: { enabled: true } }));
    for (const c of CLUSTERS) await hub.waitAvailable(c, "cert-manager", 180_000);
    const source = (await hub.getCma("cert-manager"))?.status?.source;
    expect(source).toMatchObject({ version: "1.21.1", url: expect.stringContaining("/charts/cert-manager") });
    for (const c of CLUSTERS) {
      expect(await crdsOn(c)).toEqual(expect.arrayContaining(["certificates.cert-manager.io", "issuers.cert-manager.io", "clusterissuers.cert-manager.io"]));
      // startupapicheck: its ServiceAccount, Role, RoleBinding and Job, run after the install, in weight order
      expect(await hookRuns(c, "post-install")).toBeGreaterThanOrEqual(4);
    }
  });

  it("gatekeeper: its crds/ folder goes first, and its pre-install and post-install hooks run", async () => {
    await hub.createCma(ociAddon("gatekeeper", `${registry.ociURL}/charts`, "3.24.0-beta.0"));
    for (const c of CLUSTERS) await hub.waitAvailable(c, "gatekeeper", 180_000);
    for (const c of CLUSTERS) {
      expect(await crdsOn(c)).toEqual(expect.arrayContaining(["constrainttemplates.templates.gatekeeper.sh", "configs.config.gatekeeper.sh"]));
      expect(await hookRuns(c, "pre-install")).toBeGreaterThan(0);
    }
  });
});
