// The hub's helm renderer with the real helm 4 and real charts (../shared/charts): CRDs (templates and
// crds/ folders), hooks as the agent's plan reads them, helm's own refusals as RenderFailed, the deadline,
// and one helm run per distinct input (cache, in-flight de-duplication, built-in values only where used).
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeObject } from "@flotilla/shared";
import { applyOrder } from "../../../agent/src/apply/kind-order.js";
import { planHooks } from "../../../agent/src/hooks/plan.js";
import { HelmRenderError, HelmRenderer, type HelmRenderInput } from "../../../hub/src/index.js";
import { ensureBinaries } from "../harness/binaries.js";
import { realChart, REAL_CHARTS, type ChartFile } from "../harness/charts.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";
import { waitFor } from "../e2e/support.js";

const CAPS = { kubeVersion: "v1.35.4", apiVersions: ["v1", "apps/v1", "batch/v1", "policy/v1", "policy/v1/PodDisruptionBudget", "admissionregistration.k8s.io/v1"] };
const CLUSTER = { name: "edge-1", labels: { region: "eu" } };

let helm: string;
let dir: string;
const renderers: HelmRenderer[] = [];
const charts: Record<keyof typeof REAL_CHARTS, ChartFile> = {} as never;

beforeAll(async () => {
  helm = (await ensureBinaries()).helm;
  dir = await makeTempDir("helm-render");
  for (const [k, file] of Object.entries(REAL_CHARTS)) charts[k as keyof typeof REAL_CHARTS] = await realChart(file);
});

afterAll(async () => {
  for (const r of renderers) await r.close();
  await removeDir(dir);
});

let homes = 0;
async function renderer(o: { helm?: string; timeoutMs?: number } = {}): Promise<HelmRenderer> {
  const homeDir = join(dir, `home-${homes++}`);
  await mkdir(homeDir);
  const r = new HelmRenderer({ helm: o.helm ?? helm, homeDir, ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}) });
  renderers.push(r);
  return r;
}

const input = (chart: ChartFile, values: Record<string, unknown>, more: Partial<HelmRenderInput> = {}): HelmRenderInput => ({
  chartPath: chart.path, chartDigest: chart.digest, releaseName: "rel", namespace: "addon-ns", values, cluster: CLUSTER, capabilities: CAPS, ...more,
});

const annotations = (o: KubeObject | undefined) => o?.metadata.annotations ?? {};
const hookNames = (objects: readonly KubeObject[]) => objects.filter((o) => annotations(o)["helm.sh/hook"]).map((o) => `${o.kind}/${o.metadata.name}: ${annotations(o)["helm.sh/hook"]}`);

/** What the agent would make of these objects' hooks on install: nothing refused, nothing left unrun. */
function agentHookPlan(objects: readonly KubeObject[]) {
  const plan = planHooks(objects as KubeObject[], { appliedRevision: undefined, revision: "r1", defaultTimeoutMs: 300_000 });
  return { invalid: plan.invalid, notRun: plan.notRun, hooks: plan.objects.length, pre: plan.pre.hooks.length, post: plan.post.hooks.length };
}

async function renderError(p: Promise<unknown>): Promise<HelmRenderError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(HelmRenderError);
  return err as HelmRenderError;
}

describe("helm render, real charts", () => {
  it("cert-manager with crds.enabled: its CRDs, and the startupapicheck post-install hooks kept with their annotations", async () => {
    const r = await renderer();
    const out = await r.render(input(charts.certManager, { crds: { enabled: true } }));
    const crds = out.objects.filter((o) => o.kind === "CustomResourceDefinition").map((o) => o.metadata.name);
    expect(crds).toHaveLength(6);
    expect(crds).toContain("certificates.cert-manager.io");
    expect(out.crds).toBe(0); // from templates/, not a crds/ folder
    const job = out.objects.find((o) => o.kind === "Job" && o.metadata.name === "rel-cert-manager-startupapicheck");
    expect(annotations(job)).toMatchObject({ "helm.sh/hook": "post-install", "helm.sh/hook-weight": "1", "helm.sh/hook-delete-policy": "before-hook-creation,hook-succeeded" });
    expect(out.hooks).toBe(4); // the Job with its ServiceAccount, Role and RoleBinding
    expect(agentHookPlan(out.objects)).toEqual({ invalid: [], notRun: [], hooks: 4, pre: 0, post: 4 });
    // the agent applies CRDs before everything but namespaces
    expect(applyOrder(out.objects.filter((o) => !annotations(o)["helm.sh/hook"]))[0]?.kind).toBe("CustomResourceDefinition");
    expect(out.cacheHit).toBe(false);
    expect(Object.isFrozen(out.objects[0])).toBe(true);
  });

  it("gatekeeper: 17 CRDs from crds/ first; pre-install, post-install and pre-delete hooks the agent accepts", async () => {
    const r = await renderer();
    const values = { preUninstall: { deleteWebhookConfigurations: { enabled: true } }, postUpgrade: { labelNamespace: { enabled: true } } };
    const out = await r.render(input(charts.gatekeeper, values));
    expect(out.crds).toBe(17);
    expect(out.objects.slice(0, 17).every((o) => o.kind === "CustomResourceDefinition")).toBe(true);
    const hooks = hookNames(out.objects);
    expect(hooks.some((h) => h.endsWith("pre-install,pre-upgrade"))).toBe(true);
    expect(hooks.some((h) => h.startsWith("Job/") && h.endsWith(": post-install"))).toBe(true);
    expect(hooks.some((h) => h.startsWith("Job/") && h.endsWith(": pre-delete"))).toBe(true);
    expect(hooks.some((h) => h.endsWith(": post-upgrade"))).toBe(true);
    const plan = agentHookPlan(out.objects);
    expect(plan).toMatchObject({ invalid: [], notRun: [] });
    expect(plan.hooks).toBe(out.hooks);
    // the PodDisruptionBudget follows the served versions passed as --api-versions
    expect(out.objects.find((o) => o.kind === "PodDisruptionBudget")?.apiVersion).toBe("policy/v1");
  });

  it("ingress-nginx: its admission-webhook hooks are all ones the agent runs", async () => {
    const r = await renderer();
    const out = await r.render(input(charts.ingressNginx, {}));
    expect(out.hooks).toBe(7);
    expect(agentHookPlan(out.objects)).toMatchObject({ invalid: [], notRun: [], hooks: 7 });
  });

  it("external-dns: helm's schema check refuses missing `policy`, naming it; with policy: sync it renders, crds/ first", async () => {
    const r = await renderer();
    const err = await renderError(r.render(input(charts.externalDns, {})));
    expect(err.reason).toBe("RenderFailed");
    expect(err.code).toBe("Invalid");
    expect(err.message).toContain("missing property 'policy'");
    const out = await r.render(input(charts.externalDns, { policy: "sync" }));
    expect(out.crds).toBe(2);
    expect(out.objects.slice(0, 2).map((o) => o.kind)).toEqual(["CustomResourceDefinition", "CustomResourceDefinition"]);
    expect(r.stats()).toMatchObject({ renders: 2, failures: 1 });
    // the failure is an answer about those inputs: asked again, helm does not run again
    await renderError(r.render(input(charts.externalDns, {})));
    expect(r.stats()).toMatchObject({ renders: 2, cacheHits: 1 });
  });

  it("a cluster older than the chart's kubeVersion constraint: RenderFailed with helm's message", async () => {
    const r = await renderer();
    const err = await renderError(r.render(input(charts.certManager, {}, { capabilities: { ...CAPS, kubeVersion: "v1.20.0" } })));
    expect(err.reason).toBe("RenderFailed");
    expect(err.message).toContain("chart requires kubeVersion: >= 1.22.0-0 which is incompatible with Kubernetes v1.20.0");
  });

  it("a cluster whose version is not reported yet: KubeVersionUnknown, no helm run (helm would assume its own)", async () => {
    const r = await renderer();
    const err = await renderError(r.render(input(charts.certManager, {}, { capabilities: { kubeVersion: "", apiVersions: [] } })));
    expect(err.reason).toBe("KubeVersionUnknown");
    expect(err.code).toBe("Retryable");
    expect(r.stats().renders).toBe(0);
  });
});

describe("helm render, one run per distinct input", () => {
  it("the same inputs twice: one helm run, the second a cache hit with the same objects", async () => {
    const r = await renderer();
    const a = await r.render(input(charts.certManager, { replicaCount: 2 }));
    const b = await r.render(input(charts.certManager, { replicaCount: 2 }, { cluster: { name: "edge-2", labels: {} }, chartPath: charts.certManager.path }));
    expect(b.cacheHit).toBe(true);
    expect(b.objects).toBe(a.objects);
    expect(r.stats()).toMatchObject({ renders: 1, cacheHits: 1, failures: 0, cacheEntries: 1 });
  });

  it("concurrent identical calls wait for one run", async () => {
    const r = await renderer();
    const outs = await Promise.all(Array.from({ length: 8 }, () => r.render(input(charts.certManager, { replicaCount: 3 }))));
    expect(r.stats()).toMatchObject({ renders: 1, joined: 7 });
    expect(outs.filter((o) => !o.cacheHit)).toHaveLength(1);
    expect(new Set(outs.map((o) => o.objects)).size).toBe(1);
  });

  it("different values render separately", async () => {
    const r = await renderer();
    await Promise.all([1, 2, 3].map((n) => r.render(input(charts.certManager, { replicaCount: n }))));
    expect(r.stats()).toMatchObject({ renders: 3, cacheEntries: 3 });
  });

  it("built-in values reach a chart whose templates use them (one render per cluster), and no other", async () => {
    const chart = join(dir, "builtin-chart");
    await mkdir(join(chart, "templates"), { recursive: true });
    await writeFile(join(chart, "Chart.yaml"), "apiVersion: v2\nname: builtin\nversion: 0.1.0\n");
    await writeFile(join(chart, "values.yaml"), "flotilla:\n  cluster:\n    name: from-values-yaml\n");
    await writeFile(
      join(chart, "templates", "cm.yaml"),
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: where\ndata:\n  cluster: {{ .Values.flotilla.cluster.name | quote }}\n  region: {{ .Values.flotilla.cluster.labels.region | quote }}\n",
    );
    const r = await renderer();
    const at = (name: string) => r.render(input({ path: chart, digest: "sha256:builtin" }, { flotilla: { cluster: { name: "spoofed" } } }, { cluster: { name, labels: { region: "eu" } } }));
    const [a, b] = await Promise.all([at("edge-1"), at("edge-2")]);
    expect(a.objects[0]).toMatchObject({ data: { cluster: "edge-1", region: "eu" } });
    expect(b.objects[0]).toMatchObject({ data: { cluster: "edge-2", region: "eu" } });
    expect(r.stats().renders).toBe(2);
    // the same chart packaged by helm: its templates are found in the archive too
    await promisify(execFile)(helm, ["package", chart, "--destination", dir], { env: { PATH: process.env.PATH, HOME: dir, HELM_CACHE_HOME: dir, HELM_CONFIG_HOME: dir, HELM_DATA_HOME: dir } });
    const packaged = await r.render(input({ path: join(dir, "builtin-0.1.0.tgz"), digest: "sha256:builtin-tgz" }, {}, { cluster: { name: "edge-3", labels: { region: "ap" } } }));
    expect(packaged.objects[0]).toMatchObject({ data: { cluster: "edge-3", region: "ap" } });
  });
});

/** A "helm" that never finishes and says its pid: the test sees it start and sees it gone. */
async function slowHelm(name: string): Promise<{ path: string; pid: () => Promise<number | undefined> }> {
  const path = join(dir, name);
  await writeFile(path, `#!/bin/sh\necho $$ > ${path}.pid\nexec sleep 30\n`);
  await chmod(path, 0o755);
  return { path, pid: async () => (existsSync(`${path}.pid`) ? Number((await readFile(`${path}.pid`, "utf8")).trim()) : undefined) };
}

const gone = (pid: number) => waitFor(`helm process ${pid} gone`, async () => !existsSync(`/proc/${pid}`), 10_000);

describe("helm render, failures of the run itself", () => {
  it("a helm that does not finish is killed at the deadline: RenderTimeout, not cached", async () => {
    const slow = await slowHelm("slow-helm");
    const r = await renderer({ helm: slow.path, timeoutMs: 300 });
    const started = performance.now();
    const err = await renderError(r.render(input(charts.certManager, {})));
    expect(err.reason).toBe("RenderTimeout");
    expect(err.code).toBe("Retryable");
    expect(performance.now() - started).toBeLessThan(5_000);
    await gone((await slow.pid()) ?? -1);
    await renderError(r.render(input(charts.certManager, {})));
    expect(r.stats()).toMatchObject({ renders: 2, failures: 2, cacheEntries: 0 });
  });

  it("no helm at the configured path: RenderFailed, Retryable", async () => {
    const r = await renderer({ helm: join(dir, "no-such-helm") });
    const err = await renderError(r.render(input(charts.certManager, {})));
    expect(err.reason).toBe("RenderFailed");
    expect(err.code).toBe("Retryable");
    expect(err.message).toContain("ENOENT");
  });

  it("a missing chart: RenderFailed naming the path, before any helm runs", async () => {
    const r = await renderer();
    const err = await renderError(r.render(input({ path: join(dir, "gone.tgz"), digest: "sha256:gone" }, {})));
    expect(err.message).toContain("gone.tgz");
    expect(r.stats().renders).toBe(0);
  });

  it("a caller that gives up stops the run when nobody else waits for it", async () => {
    const slow = await slowHelm("slow-helm-2");
    const r = await renderer({ helm: slow.path, timeoutMs: 60_000 });
    const ac = new AbortController();
    const p = r.render(input(charts.certManager, {}), ac.signal);
    const pid = await waitFor("helm started", slow.pid, 10_000);
    ac.abort();
    await expect(p).rejects.toThrow("aborted");
    await gone(pid);
    expect(r.stats()).toMatchObject({ renders: 1, inFlight: 0, cacheEntries: 0 });
  });
});
