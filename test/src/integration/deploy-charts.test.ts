/**
 * Flotilla's own Helm charts (deploy/charts) with the pinned helm: `helm lint --strict` and `helm template`
 * with the fewest values and with every value; the RBAC they render is deploy/rbac/*.yaml object for object;
 * the agent's Deployment is the one the hub's installer writes; the flags they pass parse with the hub's and
 * the agent's own parsers; bad values are refused naming the field.
 * Then each chart is installed into a real kube-apiserver (RBAC on): every object of the release exists,
 * the ServiceAccount holds every grant of the release's roles (and the hub's admission policy holds), and
 * `helm uninstall` leaves only the CRDs.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ApiextensionsV1Api, CoreV1Api, KubeConfig, KubernetesObjectApi } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { parseAgentArgs } from "../../../agent/src/cli/args.js";
import { hubCommand } from "../../../hub/src/cli/commands/hub.js";
import { agentManifests } from "../../../hub/src/controllers/agentinstall/manifests.js";
import { waitFor } from "../e2e/support.js";
import { readRbacFile, waitInForce, type FlotillaPart } from "../fleet/rbac.js";
import type { RbacDoc } from "../fleet/rbac-rules.js";
import { HelmCli } from "../harness/charts/helm.js";
import { startControlPlane, type ControlPlane } from "../harness/controlplane.js";
import { writeTokenKubeconfig } from "../harness/kubeconfig.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";
import { FULL, MINIMAL } from "../deploy/chart-values.js";
import { CHARTS, chartDir, objectKey, parseManifest, repoRoot, withoutLabels, type ChartName, type ChartObject } from "../deploy/charts.js";

const NS = "flotilla-system";
const PART: Record<ChartName, FlotillaPart> = { "flotilla-hub": "hub", "flotilla-agent": "agent" };
const RBAC_KINDS = new Set(["ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"]);

let helm: HelmCli;
let dir: string;
const files = {} as Record<ChartName, { minimal: string; full: string }>;

beforeAll(async () => {
  helm = await HelmCli.create();
  dir = await makeTempDir("deploy-charts");
  for (const chart of CHARTS) {
    files[chart] = { minimal: join(dir, `${chart}-minimal.json`), full: join(dir, `${chart}-full.json`) };
    await writeFile(files[chart].minimal, JSON.stringify(MINIMAL[chart]));
    await writeFile(files[chart].full, JSON.stringify(FULL[chart]));
  }
});

afterAll(async () => {
  await helm?.dispose();
  if (dir) await removeDir(dir);
});

const template = async (chart: ChartName, args: string[], namespace = NS): Promise<ChartObject[]> =>
  parseManifest(await helm.stdout(["template", "rel", chartDir(chart), "--namespace", namespace, ...args]));
const find = (objects: ChartObject[], kind: string): ChartObject => {
  const o = objects.find((x) => x.kind === kind);
  if (!o) throw new Error(`no ${kind} in ${objects.map(objectKey).join(", ")}`);
  return o;
};
const byKey = (objects: ChartObject[]) => [...objects].sort((a, b) => objectKey(a).localeCompare(objectKey(b)));

interface PodSpec {
  securityContext: unknown;
  volumes: { name: string; emptyDir?: unknown }[];
  containers: { image: string; imagePullPolicy?: string; args: string[]; env?: unknown[]; livenessProbe: unknown; readinessProbe: unknown; resources: unknown; securityContext: unknown; ports: unknown[] }[];
  [field: string]: unknown;
}
const podOf = (d: ChartObject) => (d as unknown as { spec: { replicas: number; strategy?: unknown; template: { spec: PodSpec } } }).spec;

describe.each(CHARTS)("%s: helm lint --strict", (chart) => {
  it.each(["minimal", "full"] as const)("passes with the %s values", async (which) => {
    const out = await helm.run(["lint", "--strict", chartDir(chart), "-f", files[chart][which]]);
    expect(out).toContain("1 chart(s) linted, 0 chart(s) failed");
  });
});

describe("helm template", () => {
  it.each(CHARTS)("%s: the RBAC is deploy/rbac's, object for object (its Namespace is the release's)", async (chart) => {
    const rendered = (await template(chart, ["-f", files[chart].minimal])).filter((o) => RBAC_KINDS.has(o.kind)).map(withoutLabels);
    const source = (await readRbacFile(PART[chart])).filter((o) => o.kind !== "Namespace") as unknown as ChartObject[];
    expect(byKey(rendered)).toEqual(byKey(source));
  });

  it("the hub in another namespace: its objects, its ServiceAccount's subjects and the admission policy's user follow", async () => {
    const objects = await template("flotilla-hub", ["-f", files["flotilla-hub"].minimal], "ops");
    expect(objects.filter((o) => o.metadata.namespace !== undefined && o.metadata.namespace !== "ops").map(objectKey)).toEqual([]);
    expect(find(objects, "ValidatingAdmissionPolicy")).toMatchObject({ spec: { matchConditions: [{ expression: 'request.userInfo.username == "system:serviceaccount:ops:flotilla-hub"' }] } });
    expect(find(objects, "RoleBinding")).toMatchObject({ subjects: [{ kind: "ServiceAccount", name: "flotilla-hub", namespace: "ops" }] });
    expect(podOf(find(objects, "Deployment")).template.spec.containers[0]?.args).toContain("--namespace=ops");
  });

  it("the hub with the fewest values: 2 leader-elected replicas named by their pod, a PDB, no ServiceMonitor, no credentials", async () => {
    const objects = await template("flotilla-hub", ["-f", files["flotilla-hub"].minimal]);
    expect(objects.map((o) => o.kind).sort()).toEqual([...RBAC_KINDS, "Deployment", "PodDisruptionBudget", "Service"].sort());
    const spec = podOf(find(objects, "Deployment"));
    const c = spec.template.spec.containers[0]!;
    expect(spec.replicas).toBe(2);
    expect(c.image).toBe("ghcr.io/flotilla/hub:0.1.0");
    expect(c.args).toEqual(expect.arrayContaining(["--nats=nats://nats.example:4222", "--leader-id=$(POD_NAME)", "--namespace=flotilla-system", "--metrics-addr=:9090", "--chart-cache-dir=/var/cache/flotilla/charts"]));
    expect(c.args.filter((a) => a.startsWith("--nats-"))).toEqual([]);
    expect(c.env).toContainEqual({ name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } });
    expect(spec.template.spec.volumes.filter((v) => v.emptyDir).map((v) => v.name)).toEqual(["tmp", "chart-cache"]);
    expect(find(objects, "PodDisruptionBudget")).toMatchObject({ spec: { minAvailable: 1 } });
  });

  it("the hub with one replica has no PodDisruptionBudget (it would block every drain)", async () => {
    const objects = await template("flotilla-hub", ["-f", files["flotilla-hub"].minimal, "--set", "replicas=1"]);
    expect(objects.map((o) => o.kind)).not.toContain("PodDisruptionBudget");
  });

  it("the hub with every value: each reaches the object it is for", async () => {
    const objects = await template("flotilla-hub", ["-f", files["flotilla-hub"].full]);
    const spec = podOf(find(objects, "Deployment"));
    const pod = spec.template.spec;
    const c = pod.containers[0]!;
    expect(spec.replicas).toBe(3);
    expect(c.image).toBe(`registry.example/flotilla/hub:0.1.0-rc.1@sha256:${"a".repeat(64)}`);
    expect(c.args).toEqual(
      expect.arrayContaining([
        "--nats=nats://a.example:4222,nats://b.example:4222", "--nats-creds=/etc/flotilla/nats/creds", "--nats-issuer=/etc/flotilla/issuer/issuer.json",
        "--credentials-ttl=3600", "--presence-grace=45", "--lease-duration=20", "--agent-image=registry.example/flotilla/agent:0.1.0",
        "--agent-nats=nats://edge.example:4222", "--chart-plain-http=loopback", "--log-level=debug", "--helm=/usr/local/bin/helm",
      ]),
    );
    expect(pod).toMatchObject({ nodeSelector: FULL["flotilla-hub"].nodeSelector, tolerations: FULL["flotilla-hub"].tolerations, affinity: FULL["flotilla-hub"].affinity, priorityClassName: "system-cluster-critical", imagePullSecrets: [{ name: "regcred" }] });
    expect(find(objects, "ServiceMonitor")).toMatchObject({ metadata: { labels: { release: "prometheus" } }, spec: { endpoints: [{ port: "metrics", interval: "15s", scrapeTimeout: "5s" }] } });
    expect(find(objects, "Service")).toMatchObject({ spec: { type: "NodePort", ports: [{ name: "metrics", port: 9100, targetPort: "http" }] } });
    expect(find(objects, "PodDisruptionBudget")).toMatchObject({ spec: { minAvailable: "50%" } });
  });

  it("the hub's PrometheusRule and dashboard ConfigMap carry deploy/prometheus and deploy/grafana as they are ({{ $labels }} left to Prometheus)", async () => {
    const objects = await template("flotilla-hub", ["-f", files["flotilla-hub"].full]);
    const rules = parseYaml(await readFile(join(repoRoot, "deploy/prometheus/flotilla.rules.yaml"), "utf8")) as unknown;
    const rule = find(objects, "PrometheusRule") as unknown as { metadata: { labels: Record<string, string> }; spec: unknown };
    expect(rule.metadata.labels).toMatchObject({ release: "prometheus" });
    expect(rule.spec).toEqual(rules);
    expect(JSON.stringify(rule.spec)).toContain("{{ $labels.");
    const dashboard = find(objects, "ConfigMap") as unknown as { metadata: { namespace: string; labels: Record<string, string> }; data: Record<string, string> };
    expect(dashboard.metadata).toMatchObject({ namespace: "monitoring", labels: { grafana_dashboard: "1" } });
    expect(JSON.parse(dashboard.data["flotilla.json"]!)).toEqual(JSON.parse(await readFile(join(repoRoot, "deploy/grafana/flotilla-dashboard.json"), "utf8")));
    const fewest = await template("flotilla-hub", ["-f", files["flotilla-hub"].minimal]);
    expect(fewest.map((o) => o.kind)).not.toContain("PrometheusRule");
    expect(fewest.map((o) => o.kind)).not.toContain("ConfigMap");
  });

  it("the agent's Deployment is the hub installer's: pod and container security, probes, resources, one replica, Recreate, /tmp", async () => {
    const spec = podOf(find(await template("flotilla-agent", ["-f", files["flotilla-agent"].minimal]), "Deployment"));
    const installer = podOf(agentManifests({ cluster: "edge-1", namespace: NS, image: "x", natsUrl: "nats://x", bootstrapCreds: "c", version: "0.1.0" }).find((o) => o.kind === "Deployment") as ChartObject);
    const pick = (s: typeof spec) => {
      const c = s.template.spec.containers[0]!;
      const { image: _i, imagePullPolicy: _p, args: _a, env: _e, ...container } = c;
      return { replicas: s.replicas, strategy: s.strategy, pod: s.template.spec.securityContext, container, tmp: s.template.spec.volumes.find((v) => v.name === "tmp") };
    };
    expect(pick(spec)).toEqual(pick(installer));
    expect(spec.template.spec.containers[0]?.args).toEqual(expect.arrayContaining(["--cluster=edge-1", "--bootstrap-creds=/etc/flotilla/bootstrap/creds", "--namespace=flotilla-system"]));
  });

  it("the agent with every value: its own credentials Secret is the one its Role may touch", async () => {
    const objects = await template("flotilla-agent", ["-f", files["flotilla-agent"].full]);
    const c = podOf(find(objects, "Deployment")).template.spec.containers[0]!;
    expect(c.args).toEqual(expect.arrayContaining(["--cluster=eu-edge-1", "--nats-creds=/etc/flotilla/nats/creds", "--credentials-secret=eu-edge-1-credentials", "--addon-identity=false", "--resync=60"]));
    expect(c.args.some((a) => a.startsWith("--bootstrap-creds"))).toBe(false);
    expect(find(objects, "Role")).toMatchObject({ rules: expect.arrayContaining([{ apiGroups: [""], resources: ["secrets"], resourceNames: ["eu-edge-1-credentials"], verbs: ["get", "create", "patch"] }]) });
    expect(find(objects, "ServiceMonitor")).toMatchObject({ spec: { endpoints: [{ port: "metrics" }] } });
  });
});

describe("the flags the charts pass are the ones the processes take", () => {
  const argsOf = async (chart: ChartName, which: "minimal" | "full") => podOf(find(await template(chart, ["-f", files[chart][which]]), "Deployment")).template.spec.containers[0]!.args;

  it.each(["minimal", "full"] as const)("the hub's command line parses them (%s values)", async (which) => {
    const cmd = hubCommand().exitOverride().action(() => undefined);
    cmd.parse(await argsOf("flotilla-hub", which), { from: "user" });
    expect(cmd.opts()).toMatchObject({ namespace: NS, leaderId: "$(POD_NAME)", metricsAddr: ":9090", chartCacheDir: "/var/cache/flotilla/charts" });
    if (which === "full") expect(cmd.opts()).toMatchObject({ natsCreds: "/etc/flotilla/nats/creds", natsIssuer: "/etc/flotilla/issuer/issuer.json", credentialsTtl: 3600, leaseDuration: 20, helm: "/usr/local/bin/helm", chartPlainHttp: "loopback" });
  });

  it.each(["minimal", "full"] as const)("the agent's parser runs with them (%s values)", async (which) => {
    const parsed = parseAgentArgs(await argsOf("flotilla-agent", which), {});
    expect(parsed.kind, JSON.stringify(parsed)).toBe("run");
    const want = which === "full"
      ? { cluster: "eu-edge-1", natsCreds: "/etc/flotilla/nats/creds", credentialsSecret: "eu-edge-1-credentials", addonIdentity: false, resyncSeconds: 60 }
      : { cluster: "edge-1", bootstrapCreds: "/etc/flotilla/bootstrap/creds", credentialsSecret: "flotilla-agent-credentials", addonIdentity: true };
    expect(parsed).toMatchObject({ args: { namespace: NS, metricsAddr: ":9091", ...want } });
  });
});

describe("values the schema refuses, naming the field", () => {
  it.each<[ChartName, string[], RegExp]>([
    ["flotilla-hub", ["--set", "replicas=abc"], /at '\/replicas': got string, want integer/],
    ["flotilla-hub", ["--set", "replicas=0"], /at '\/replicas': minimum/],
    ["flotilla-hub", [], /at '\/nats\/url': minLength/],
    ["flotilla-hub", ["--set", "image.pullPolicy=Sometimes"], /at '\/image\/pullPolicy'/],
    ["flotilla-hub", ["--set", "image.digest=sha256:abc"], /at '\/image\/digest'/],
    ["flotilla-hub", ["--set", "nats.credsSecret=Not_A_Name"], /at '\/nats\/credsSecret'/],
    ["flotilla-hub", ["--set", "charts.plainHttp=sometimes"], /at '\/charts\/plainHttp'/],
    ["flotilla-hub", ["--set", "replica=3"], /additional properties 'replica' not allowed/],
    ["flotilla-agent", ["--set", "nats.url=nats://x:4222,nats.credsSecret=c"], /at '\/cluster\/name': minLength/],
    ["flotilla-agent", ["--set", "cluster.name=eu.edge,nats.url=nats://x:4222,nats.credsSecret=c"], /at '\/cluster\/name': 'eu.edge' does not match pattern/],
    ["flotilla-agent", ["--set", "cluster.name=e,nats.url=nats://x:4222"], /at '\/nats': 'oneOf' failed, none matched[\s\S]*at '\/nats\/credsSecret': minLength[\s\S]*at '\/nats\/bootstrapSecret': minLength/],
    ["flotilla-agent", ["--set", "cluster.name=e,nats.url=nats://x:4222,nats.credsSecret=c,nats.bootstrapSecret=b"], /at '\/nats': 'oneOf' failed[\s\S]*at '\/nats\/(credsSecret|bootstrapSecret)': maxLength/],
    ["flotilla-agent", ["--set", "cluster.name=e,nats.url=nats://x:4222,nats.credsSecret=c,addonIdentity=maybe"], /at '\/addonIdentity': got string, want boolean/],
  ])("%s %j", async (chart, args, message) => {
    await expect(template(chart, args)).rejects.toThrow(message);
  });
});

/** The admission policy the chart installed refuses the hub's ServiceAccount a CRD outside its config group (what RBAC cannot say). */
async function expectCrdPolicyInForce(cp: ControlPlane): Promise<void> {
  const request = await cp.kubeConfig.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({ name: "flotilla-hub", namespace: NS, body: { spec: { audiences: [], expirationSeconds: 600 } } });
  const path = join(dir, `${cp.name}-hub.kubeconfig`);
  await writeTokenKubeconfig(path, { clusterName: cp.name, server: cp.url, caPem: cp.caPem, user: "flotilla-hub", token: request.status?.token ?? "" });
  const asHub = new KubeConfig();
  asHub.loadFromFile(path);
  const crd = { metadata: { name: "widgets.example.com" }, spec: { group: "example.com", scope: "Namespaced", names: { plural: "widgets", singular: "widget", kind: "Widget" }, versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object" } } }] } };
  // the policy is read by the API server from its informer: it may take a moment to hold
  const refusal = await waitFor("the CRD policy refuses the hub a foreign CRD", () =>
    asHub.makeApiClient(ApiextensionsV1Api).createCustomResourceDefinition({ body: crd }).then(
      async () => {
        await cp.kubeConfig.makeApiClient(ApiextensionsV1Api).deleteCustomResourceDefinition({ name: crd.metadata.name });
        return undefined;
      },
      (err: { code?: number; body?: unknown }) => (err.code === 403 ? String(err.body) : undefined),
    ), 30_000);
  expect(refusal).toContain("the hub may write only its generated config CRDs");
}

const NO_OPERATOR: Record<ChartName, string[]> = {
  "flotilla-hub": ["--set", "prometheusRule.enabled=false", "--set", "grafanaDashboard.namespace="],
  "flotilla-agent": [],
};

describe.each(CHARTS)("%s: helm install and uninstall on a real API server", (chart) => {
  let cp: ControlPlane;
  const release = chart;
  const kubeconfig = () => ["--kubeconfig", cp.kubeconfigPath, "--namespace", NS];

  beforeAll(async () => {
    cp = await startControlPlane({ name: `chart-${PART[chart]}`, controllerManager: false });
  });
  afterAll(async () => {
    await cp?.stop();
  });

  it("every object of the release exists; the ServiceAccount holds every grant; uninstall leaves only the CRDs", async () => {
    // every value but the ServiceMonitor and PrometheusRule (no prometheus-operator CRDs on this API server);
    // the dashboard's ConfigMap in the release's namespace
    await helm.run(["install", release, chartDir(chart), ...kubeconfig(), "--create-namespace", "-f", files[chart].full, "--set", "serviceMonitor.enabled=false", ...NO_OPERATOR[chart]]);
    const manifest = parseManifest(await helm.stdout(["get", "manifest", release, ...kubeconfig()]));
    expect(manifest.length).toBeGreaterThan(5);
    const objects = KubernetesObjectApi.makeApiClient(cp.kubeConfig);
    const read = (o: ChartObject) => objects.read({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata.name, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) } });
    for (const o of manifest) {
      const live = await read(o);
      expect(live.metadata?.labels?.["app.kubernetes.io/instance"], objectKey(o)).toBe(release);
    }
    // as installed (the full values name the agent's own credentials Secret, so not the file's)
    await waitInForce(cp, PART[chart], manifest.filter((o) => o.kind === "ClusterRole" || o.kind === "Role") as RbacDoc[]);
    if (chart === "flotilla-hub") await expectCrdPolicyInForce(cp);

    const ext = cp.kubeConfig.makeApiClient(ApiextensionsV1Api);
    const crdNames = async () => (await ext.listCustomResourceDefinition()).items.map((c) => c.metadata?.name).filter((n) => n?.endsWith(".flotilla.dev")).sort();
    const crds = chart === "flotilla-hub" ? ["addonrevisions.addon.flotilla.dev", "clustermanagementaddons.addon.flotilla.dev", "imagepolicies.addon.flotilla.dev", "managedclusteraddons.addon.flotilla.dev", "managedclusters.cluster.flotilla.dev"] : [];
    expect(await crdNames()).toEqual(crds);

    // Helm's record of the release: Secrets labelled owner=helm
    const releaseSecrets = async () => (await cp.kubeConfig.makeApiClient(CoreV1Api).listNamespacedSecret({ namespace: NS, labelSelector: `owner=helm,name=${release}` })).items.map((s) => s.metadata?.name);
    expect(await releaseSecrets()).toEqual([`sh.helm.release.v1.${release}.v1`]);

    await helm.run(["uninstall", release, ...kubeconfig()]);
    const gone = async (o: ChartObject) => read(o).then(() => false, (err: { code?: number }) => err.code === 404);
    await waitFor("every object of the release deleted", async () => (await Promise.all(manifest.map(gone))).every(Boolean), 30_000);
    expect(await releaseSecrets()).toEqual([]);
    expect(await crdNames()).toEqual(crds); // Helm keeps the CRDs of crds/, and with them every object of those kinds
  });
});
