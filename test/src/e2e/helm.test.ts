// Helm sources through the whole path: a chart in an HTTP repository with basic auth (credentials from a
// hub Secret) → resolved by the hub (status.source, SourceResolved) → recorded in the AddOnRevision by
// exact version and digest → rendered per cluster with helm template → applied by each agent. A newer
// chart version published to the repository rolls out by itself; bad credentials and bad values are
// conditions with reasons, and a bad per-cluster override stays on that cluster.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { resources, type AddOnRevision } from "@flotilla/shared";
import { Fleet } from "../fleet/fleet.js";
import { startChartRepo, type ChartRepoServer } from "../harness/charts/chart-repo.js";
import { HelmCli } from "../harness/charts/helm.js";
import { realChart } from "../harness/charts/real-charts.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";
import { helmAddon, Hub, Spoke, waitFor } from "./support.js";

const CLUSTERS = ["cluster-1", "cluster-2"];
const CREDS = { username: "fleet", password: "s3cret-chart-pass" };
const SECRET = { namespace: "flotilla-system", name: "charts-basic-auth" };

describe("helm sources", () => {
  let fleet: Fleet;
  let dir: string;
  let hub: Hub;
  let repo: ChartRepoServer;
  let helm: HelmCli;
  let custom: CustomObjectsApi;

  const source = async (addon: string) => (await hub.getCma(addon))?.status?.source;
  const revision = async (name: string) => {
    const r = resources.addOnRevisions;
    return (await custom.getClusterCustomObject({ group: r.group, version: r.version, plural: r.plural, name })) as AddOnRevision;
  };
  /** The `helm.sh/chart` label of the chart's Deployment on a spoke: which chart version runs there. */
  const chartOn = async (cluster: string, namespace: string, name: string) => (await new Spoke(fleet.spoke(cluster).kubeConfig).deployment(namespace, name))?.metadata?.labels?.["helm.sh/chart"];

  beforeAll(async () => {
    dir = await makeTempDir("e2e-helm");
    helm = await HelmCli.create();
    repo = await startChartRepo({ basicAuth: CREDS });
    await helm.addToRepo(repo.dir, realChart("metrics-server-3.13.1.tgz"));
    await helm.addToRepo(repo.dir, realChart("external-dns-1.21.1.tgz"));
    await helm.addToRepo(repo.dir, realChart("sealed-secrets-2.18.5.tgz"));
    await helm.addToRepo(repo.dir, realChart("cert-manager-1.21.1.tgz"));
    fleet = await Fleet.start({ clusters: CLUSTERS.length, dir });
    hub = new Hub(fleet.hubKubeConfig);
    custom = fleet.hubKubeConfig.makeApiClient(CustomObjectsApi);
    await hub.createSecret(SECRET, CREDS);
  }, 600_000);
  afterAll(async () => {
    await fleet?.stop();
    await repo?.dispose();
    await helm?.dispose();
    await removeDir(dir);
  });

  it("resolves a range to a chart, records it in the revision, renders it per cluster and applies it everywhere", async () => {
    await hub.createCma(helmAddon("metrics-server", { repoURL: repo.url, chart: "metrics-server", version: "~3.13.0", interval: "2s", credentialsSecretRef: SECRET }));
    for (const c of CLUSTERS) await hub.waitAvailable(c, "metrics-server", 120_000);

    const s = await source("metrics-server");
    expect(s).toMatchObject({ requestedVersion: "~3.13.0", version: "3.13.1" });
    expect(s?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(s?.failure).toBeUndefined();
    expect((await hub.cmaCondition("metrics-server", "SourceResolved"))?.reason).toBe("ChartResolved");
    const cma = await hub.getCma("metrics-server");
    const rev = await revision(cma?.status?.updateRevision ?? "");
    expect(rev.spec.source.helm).toMatchObject({ chart: "metrics-server", version: "3.13.1", digest: s?.digest });
    expect(rev.spec.source.helm).not.toHaveProperty("interval");
    // the chart's templates, rendered by helm for this release, in the release namespace the bundle brought
    for (const c of CLUSTERS) expect(await chartOn(c, "metrics-server", "metrics-server")).toBe("metrics-server-3.13.1");
    // credentials were sent (the repository refuses without them) and never appear in the CMA
    expect(repo.requests.some((r) => r.path === "/index.yaml" && r.status === 200 && r.authorization)).toBe(true);
    expect(JSON.stringify(cma)).not.toContain(CREDS.password);
  });

  it("rolls out a newer chart published to the repository by itself", async () => {
    await hub.createCma(helmAddon("sealed-secrets", { repoURL: repo.url, chart: "sealed-secrets", version: ">=2.18.0 <3.0.0", interval: "2s", credentialsSecretRef: SECRET }));
    for (const c of CLUSTERS) await hub.waitAvailable(c, "sealed-secrets", 120_000);
    const before = (await hub.getCma("sealed-secrets"))?.status?.updateRevision;
    expect((await revision(before ?? "")).spec.source.helm?.version).toBe("2.18.5");
    const scratch = await makeTempDir("e2e-helm-pkg");
    try {
      await helm.addToRepo(repo.dir, await helm.repackage(realChart("sealed-secrets-2.18.5.tgz"), "2.18.6", scratch));
    } finally {
      await removeDir(scratch);
    }
    const next = await hub.nextRevision("sealed-secrets", before);
    expect((await revision(next)).spec.source.helm?.version).toBe("2.18.6");
    for (const c of CLUSTERS) await hub.waitAvailable(c, "sealed-secrets", 120_000);
    for (const c of CLUSTERS) expect(await chartOn(c, "sealed-secrets", "sealed-secrets")).toBe("sealed-secrets-2.18.6");
  });

  it("says why a chart cannot be fetched: wrong credentials are Unauthorized, an unknown version VersionNotFound", async () => {
    await hub.createSecret({ ...SECRET, name: "wrong" }, { username: "fleet", password: "nope" });
    await hub.createCma(helmAddon("denied", { repoURL: repo.url, chart: "metrics-server", version: "3.13.1", credentialsSecretRef: { ...SECRET, name: "wrong" } }));
    await hub.createCma(helmAddon("missing", { repoURL: repo.url, chart: "metrics-server", version: "9.9.9", credentialsSecretRef: SECRET }));
    await hub.createCma(helmAddon("no-secret", { repoURL: repo.url, chart: "metrics-server", credentialsSecretRef: { ...SECRET, name: "absent" } }));
    for (const [addon, reason] of [["denied", "Unauthorized"], ["missing", "VersionNotFound"], ["no-secret", "CredentialsNotFound"]] as const) {
      const c = await waitFor(`${addon}: SourceResolved=False/${reason}`, async () => {
        const cond = await hub.cmaCondition(addon, "SourceResolved");
        return cond?.status === "False" && cond.reason === reason ? cond : undefined;
      });
      expect(c.message).not.toContain("nope");
      expect((await hub.cmaCondition(addon, "Ready"))?.reason).toBe("SourceUnresolved");
      // nothing rolls out: no revision, no cluster told to install anything
      expect((await hub.getCma(addon))?.status?.updateRevision ?? "").toBe("");
    }
  });

  it("refuses values the chart's schema rejects before anything rolls out: external-dns without `policy`", async () => {
    await hub.createCma(helmAddon("dns-no-policy", { repoURL: repo.url, chart: "external-dns", version: "1.21.1", credentialsSecretRef: SECRET }));
    for (const c of CLUSTERS) {
      const cond = await waitFor(`dns-no-policy: ValuesValid=False on ${c}`, async () => {
        const v = await hub.mcaCondition(c, "dns-no-policy", "ValuesValid");
        return v?.status === "False" ? v : undefined;
      });
      expect(cond.message).toContain("must have required property 'policy'");
    }
    // the CMA sums the clusters' outcome up once the placement controller has seen both MCAs
    await waitFor("dns-no-policy: CMA ValuesValid=False", async () => (await hub.cmaCondition("dns-no-policy", "ValuesValid"))?.status === "False");
    // nothing reached a cluster: no Deployment, and the agent never got a bundle to apply
    for (const c of CLUSTERS) expect(await new Spoke(fleet.spoke(c).kubeConfig).deployment("dns-no-policy", "dns-no-policy-external-dns")).toBeUndefined();
    expect((await hub.getMca("cluster-1", "dns-no-policy"))?.status?.appliedRevision).toBeUndefined();
  });

  it("refuses values the chart's schema rejects, naming the path, and keeps a bad per-cluster override on that cluster", async () => {
    // external-dns' values.schema.json requires `policy` and allows only sync or upsert-only
    await hub.createCma(helmAddon("external-dns", { repoURL: repo.url, chart: "external-dns", version: "1.21.1", credentialsSecretRef: SECRET }, { values: { policy: "sync" } }));
    for (const c of CLUSTERS) await hub.waitAvailable(c, "external-dns", 120_000);
    await hub.patchMca("cluster-2", "external-dns", { spec: { values: { policy: "delete-everything" } } });
    const bad = await waitFor("external-dns: ValuesValid=False on cluster-2", async () => {
      const c = await hub.mcaCondition("cluster-2", "external-dns", "ValuesValid");
      return c?.status === "False" ? c : undefined;
    });
    expect(bad.message).toContain("values.policy");
    expect((await hub.mcaCondition("cluster-1", "external-dns", "ValuesValid"))?.status ?? "True").toBe("True");
    const cmaValid = await waitFor("external-dns: CMA ValuesValid=False", async () => {
      const c = await hub.cmaCondition("external-dns", "ValuesValid");
      return c?.status === "False" ? c : undefined;
    });
    expect(cmaValid.message).toContain("cluster-2");
    // cluster-2 keeps what it had: still applied and available on the revision it got
    expect((await hub.getMca("cluster-2", "external-dns"))?.status?.conditions?.find((c) => c.type === "Available")?.status).toBe("True");
  });

  it("generates a typed config CRD from the chart's schema: the API server refuses a bad config object, a good one changes what that cluster runs", async () => {
    // cert-manager's values.schema.json (its $refs, additionalProperties false) becomes TypedCmConfig
    await hub.createCma(helmAddon("typed-cm", { repoURL: repo.url, chart: "cert-manager", version: "1.21.1", credentialsSecretRef: SECRET }, { configCRD: { generate: true } }));
    for (const c of CLUSTERS) await hub.waitAvailable(c, "typed-cm", 120_000);
    await waitFor("ConfigCRDReady=True on typed-cm", async () => (await hub.cmaCondition("typed-cm", "ConfigCRDReady"))?.status === "True");
    const config = (values: Record<string, unknown>) => ({ apiVersion: "config.addon.flotilla.dev/v1alpha1", kind: "TypedCmConfig", metadata: { name: "typed-cm", namespace: "cluster-1" }, spec: { values } });
    const create = (body: object) => custom.createNamespacedCustomObject({ group: "config.addon.flotilla.dev", version: "v1alpha1", namespace: "cluster-1", plural: "typedcmconfigs", body });
    // the API server itself says no, naming the field
    const refused = await create(config({ replicaCount: "two" })).then(() => undefined, (err: unknown) => String((err as { body?: unknown }).body ?? err));
    expect(refused).toContain("spec.values.replicaCount");
    await create(config({ replicaCount: 2 }));
    const replicas = async (cluster: string) => (await new Spoke(fleet.spoke(cluster).kubeConfig).deployment("typed-cm", "typed-cm-cert-manager"))?.spec?.replicas;
    await waitFor("cluster-1 runs 2 cert-manager controllers", async () => (await replicas("cluster-1")) === 2);
    // the other cluster keeps the chart's default
    expect(await replicas("cluster-2")).toBe(1);
  });

  it("takes values from labelled hub ConfigMaps and Secrets (valuesFrom): an edit re-renders at once, a missing one holds the clusters back", async () => {
    const core = fleet.hubKubeConfig.makeApiClient(CoreV1Api);
    const labels = { "addon.flotilla.dev/values": "true" };
    await core.createNamespacedConfigMap({ namespace: SECRET.namespace, body: { metadata: { name: "ms-values", labels }, data: { "values.yaml": "replicas: 2\n" } } });
    await core.createNamespacedSecret({ namespace: SECRET.namespace, body: { metadata: { name: "ms-secret-values", labels }, stringData: { "values.yaml": "args: [--kubelet-insecure-tls]\n" } } });
    const valuesFromRefs = [
      { kind: "ConfigMap", namespace: SECRET.namespace, name: "ms-values" },
      { kind: "Secret", namespace: SECRET.namespace, name: "ms-secret-values" },
    ];
    await hub.createCma(helmAddon("ms-from", { repoURL: repo.url, chart: "metrics-server", version: "3.13.1", credentialsSecretRef: SECRET }, { valuesFrom: valuesFromRefs }));
    const deployment = (c: string) => new Spoke(fleet.spoke(c).kubeConfig).deployment("ms-from", "ms-from-metrics-server");
    for (const c of CLUSTERS) {
      await waitFor(`${c}: ms-from with 2 replicas and the Secret's args`, async () => {
        const d = await deployment(c);
        return d?.spec?.replicas === 2 && d.spec.template.spec?.containers[0]?.args?.includes("--kubelet-insecure-tls");
      });
    }
    // an edit of the ConfigMap reaches every cluster without a change to the addon
    await core.patchNamespacedConfigMap({ namespace: SECRET.namespace, name: "ms-values", body: { data: { "values.yaml": "replicas: 3\n" } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
    for (const c of CLUSTERS) await waitFor(`${c}: ms-from with 3 replicas`, async () => (await deployment(c))?.spec?.replicas === 3);
    // a reference to something missing (or unlabelled) holds the clusters on what they have, and says why
    await hub.createCma(helmAddon("ms-missing", { repoURL: repo.url, chart: "metrics-server", version: "3.13.1", credentialsSecretRef: SECRET }, { valuesFrom: [{ kind: "ConfigMap", namespace: SECRET.namespace, name: "nowhere" }] }));
    const held = await waitFor("ms-missing: Rendered=False/ValuesFromNotFound", async () => {
      const cond = await hub.mcaCondition("cluster-1", "ms-missing", "Rendered");
      return cond?.reason === "ValuesFromNotFound" ? cond : undefined;
    });
    expect(held.message).toContain("ConfigMap flotilla-system/nowhere");
    // the revision records the references, never the data
    const rev = await revision((await hub.getCma("ms-from"))?.status?.updateRevision ?? "");
    expect(rev.spec.valuesFrom).toEqual(valuesFromRefs);
    expect(JSON.stringify([rev, await hub.getCma("ms-from"), await hub.getMca("cluster-1", "ms-from")])).not.toContain("kubelet-insecure-tls");
  });
});
