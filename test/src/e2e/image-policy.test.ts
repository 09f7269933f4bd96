import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resources, type ClusterManagementAddOn, type ImagePolicy, type Manifest } from "@flotilla/shared";
import { Fleet } from "../fleet/fleet.js";
import { startChartRepo, type ChartRepoServer } from "../harness/charts/chart-repo.js";
import { HelmCli } from "../harness/charts/helm.js";
import { realChart } from "../harness/charts/real-charts.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";
import { cmaEvents } from "./rollout-support.js";
import { demoAddon, helmAddon, Hub, Spoke, waitFor } from "./support.js";

const PAUSE = "registry.k8s.io/pause:3.10";
const PINNED = `${PAUSE}@sha256:ee6521f290b2168b6e0935a181d4cff9be1ac3f505666ef0e3c98fae8199917a`;
const CLUSTERS = ["cluster-1", "cluster-2"];

/** The demo addon with its Deployment's image set to `image`, and `spec` fields added. */
function addonWithImage(name: string, image: string, spec: Record<string, unknown> = {}, labels?: Record<string, string>): ClusterManagementAddOn {
  const cma = demoAddon(name, { withConfigMap: false });
  return { ...cma, metadata: { name, ...(labels ? { labels } : {}) }, spec: { ...cma.spec, source: { manifests: withImage(cma, image) }, ...spec } };
}

function withImage(cma: ClusterManagementAddOn, image: string): Manifest[] {
  return (cma.spec.source.manifests ?? []).map((m) => {
    if (m.kind !== "Deployment") return m;
    const d = m as unknown as { spec: { template: { spec: object } } };
    return { ...m, spec: { ...d.spec, template: { ...d.spec.template, spec: { containers: [{ name: "server", image }] } } } };
  });
}

describe("image policy: a revision whose images break a policy is refused before any cluster gets it", () => {
  let fleet: Fleet;
  let dir: string;
  let hub: Hub;
  let custom: CustomObjectsApi;
  let repo: ChartRepoServer;
  let helm: HelmCli;
  const spokes = new Map<string, Spoke>();
  const IP = resources.imagePolicies;

  const createPolicy = (name: string, spec: ImagePolicy["spec"]) =>
    custom.createClusterCustomObject({ group: IP.group, version: IP.version, plural: IP.plural, body: { apiVersion: `${IP.group}/${IP.version}`, kind: IP.kind, metadata: { name }, spec } });
  const patchPolicy = (name: string, spec: object) =>
    custom.patchClusterCustomObject({ group: IP.group, version: IP.version, plural: IP.plural, name, body: { spec } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));

  /** The CMA's ImagePolicyCompliant condition once it has `reason`. */
  const compliance = (addon: string, reason: string) =>
    waitFor(`${addon} ImagePolicyCompliant/${reason}`, async () => {
      const c = await hub.cmaCondition(addon, "ImagePolicyCompliant");
      return c?.reason === reason ? c : undefined;
    });

  /** Every target's MCA exists and has no desired revision, and no spoke has the addon (nor its Deployment). */
  async function nothingRolledOut(addon: string, deployment = { namespace: `${addon}-ns`, name: "server" }): Promise<void> {
    for (const c of CLUSTERS) {
      const mca = await waitFor(`${addon}'s MCA on ${c}`, () => hub.getMca(c, addon));
      expect(mca.status?.desiredRevision, `${addon} desired on ${c}`).toBeUndefined();
      expect(await spokes.get(c)!.appliedAddOn(addon), `${addon} applied on ${c}`).toBeUndefined();
      expect(await spokes.get(c)!.deployment(deployment.namespace, deployment.name), `${addon} Deployment on ${c}`).toBeUndefined();
    }
  }

  beforeAll(async () => {
    dir = await makeTempDir("e2e-image-policy");
    helm = await HelmCli.create();
    repo = await startChartRepo();
    await helm.addToRepo(repo.dir, realChart("metrics-server-3.13.1.tgz"));
    fleet = await Fleet.start({ clusters: 2, dir });
    hub = new Hub(fleet.hubKubeConfig);
    custom = fleet.hubKubeConfig.makeApiClient(CustomObjectsApi);
    for (const c of CLUSTERS) spokes.set(c, new Spoke(fleet.spoke(c).kubeConfig));
    // Fleet-wide, for the addons labelled policy=registry: images from registry.k8s.io only.
    await createPolicy("k8s-registry-only", { allowedRegistries: ["registry.k8s.io"], addonSelector: { matchLabels: { policy: "registry" } } });
  });
  afterAll(async () => {
    await fleet?.stop();
    await repo?.dispose();
    await helm?.dispose();
    await removeDir(dir);
  });

  it("an image from another registry is refused, named in the condition and a Warning Event; fixed, it rolls out", async () => {
    await hub.createCma(addonWithImage("img-reg", "nginx:1.25", {}, { policy: "registry" }));
    const refused = await compliance("img-reg", "ImageNotAllowed");
    expect(refused.status).toBe("False");
    expect(refused.message).toContain('image "nginx:1.25" (Deployment server container server) is docker.io/library/nginx, not from a registry ImagePolicy/k8s-registry-only allows (allowedRegistries: registry.k8s.io)');
    expect((await hub.getCma("img-reg"))?.status?.rollout).toMatchObject({ phase: "Pending", reason: "ImagePolicyRefused" });
    await nothingRolledOut("img-reg");
    const events = await waitFor("the Warning Event", async () => (await cmaEvents(fleet.hubKubeConfig, "img-reg")).find((e) => e.reason === "ImageNotAllowed"));
    expect(events).toMatchObject({ type: "Warning", message: refused.message });

    await hub.patchCma("img-reg", { spec: { source: { manifests: withImage(demoAddon("img-reg", { withConfigMap: false }), PAUSE) } } });
    for (const c of CLUSTERS) await hub.waitAvailable(c, "img-reg", 90_000);
    expect((await spokes.get("cluster-1")!.deployment("img-reg-ns", "server"))?.spec?.template.spec?.containers[0]?.image).toBe(PAUSE);
    expect(await hub.cmaCondition("img-reg", "ImagePolicyCompliant")).toMatchObject({ status: "True", reason: "Compliant" });
  });

  it("the addon's own requireDigest refuses a tag, and takes a digest", async () => {
    await hub.createCma(addonWithImage("img-pin", PAUSE, { imagePolicy: { requireDigest: true } }));
    const refused = await compliance("img-pin", "DigestRequired");
    expect(refused.message).toContain(`image "${PAUSE}" (Deployment server container server) is not pinned by digest (name@sha256:…), which ClusterManagementAddOn/img-pin spec.imagePolicy requires (requireDigest)`);
    await nothingRolledOut("img-pin");

    await hub.patchCma("img-pin", { spec: { source: { manifests: withImage(demoAddon("img-pin", { withConfigMap: false }), PINNED) } } });
    for (const c of CLUSTERS) await hub.waitAvailable(c, "img-pin", 90_000);
    expect((await spokes.get("cluster-2")!.deployment("img-pin-ns", "server"))?.spec?.template.spec?.containers[0]?.image).toBe(PINNED);
  });

  it("a policy change re-evaluates: relaxing the policy lets a refused revision out", async () => {
    await hub.createCma(addonWithImage("img-relax", "ghcr.io/acme/server:1", {}, { policy: "registry" }));
    await compliance("img-relax", "ImageNotAllowed");
    await nothingRolledOut("img-relax");
    await patchPolicy("k8s-registry-only", { allowedRegistries: ["registry.k8s.io", "ghcr.io/acme"] });
    for (const c of CLUSTERS) await hub.waitAvailable(c, "img-relax", 90_000);
    expect((await hub.cmaCondition("img-relax", "ImagePolicyCompliant"))?.reason).toBe("Compliant");
  });

  it("a cluster whose own render breaks the policy gets nothing, its MCA says why; the others roll out", async () => {
    // The revision is checked as the first cluster by name renders it (cluster-1: allowed); cluster-2's
    // label names another registry, which only its own render shows.
    await hub.labelCluster("cluster-1", { registry: "registry.k8s.io" });
    await hub.labelCluster("cluster-2", { registry: "quay.io" });
    await hub.createCma(addonWithImage("img-cluster", "{{ .Cluster.Labels.registry }}/pause:3.10", {}, { policy: "registry" }));
    await hub.waitAvailable("cluster-1", "img-cluster", 90_000);
    const c = await waitFor("cluster-2's MCA refuses the image", async () => {
      const cond = await hub.mcaCondition("cluster-2", "img-cluster", "ImagePolicyCompliant");
      return cond?.status === "False" ? cond : undefined;
    });
    expect(c.reason).toBe("ImageNotAllowed");
    expect(c.message).toContain('image "quay.io/pause:3.10" (Deployment server container server) is quay.io/pause, not from a registry ImagePolicy/k8s-registry-only allows');
    expect(await spokes.get("cluster-2")!.deployment("img-cluster-ns", "server")).toBeUndefined();
    expect(await hub.cmaCondition("img-cluster", "ImagePolicyCompliant")).toMatchObject({ status: "True", reason: "Compliant" });
  });

  it("a Helm chart's image is checked as helm renders it; values that name an allowed image let it out", async () => {
    const cma = helmAddon("img-chart", { repoURL: repo.url, chart: "metrics-server", version: "3.13.1" }, { imagePolicy: { allowedRegistries: ["ghcr.io/acme"] } });
    await hub.createCma(cma);
    const refused = await compliance("img-chart", "ImageNotAllowed");
    expect(refused.message).toMatch(/image "registry\.k8s\.io\/metrics-server\/metrics-server:v[0-9.]+" \(Deployment img-chart\/img-chart-metrics-server container metrics-server\) is registry\.k8s\.io\/metrics-server\/metrics-server, not from a registry ClusterManagementAddOn\/img-chart spec\.imagePolicy allows/);
    await nothingRolledOut("img-chart", { namespace: "img-chart", name: "img-chart-metrics-server" });

    await hub.patchCma("img-chart", { spec: { values: { image: { repository: "ghcr.io/acme/metrics-server" } } } });
    for (const c of CLUSTERS) await hub.waitAvailable(c, "img-chart", 120_000);
    const image = (await spokes.get("cluster-1")!.deployment("img-chart", "img-chart-metrics-server"))?.spec?.template.spec?.containers[0]?.image;
    expect(image).toMatch(/^ghcr\.io\/acme\/metrics-server:v/);
  });
});
