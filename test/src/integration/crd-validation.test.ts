/**
 * The CRDs against a real kube-apiserver: it accepts them (structural, CEL compiles within the cost
 * budget), refuses bad objects with a message naming the field (DESIGN §12), and accepts and defaults
 * good ones.
 */
import { ApiextensionsV1Api, CoreV1Api, CustomObjectsApi } from "@kubernetes/client-node";
import {
  agentCrds,
  crdModel,
  hubCrds,
  resources,
  type AddOnRevision,
  type AppliedAddOn,
  type ClusterManagementAddOn,
  type ManagedCluster,
  type ManagedClusterAddOn,
  type ResourceRef,
} from "@flotilla/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../e2e/support.js";
import { startControlPlane, type ControlPlane } from "../harness/controlplane.js";

let cp: ControlPlane;
let custom: CustomObjectsApi;

beforeAll(async () => {
  cp = await startControlPlane({ name: "crd-validation", controllerManager: false });
  const ext = cp.kubeConfig.makeApiClient(ApiextensionsV1Api);
  custom = cp.kubeConfig.makeApiClient(CustomObjectsApi);
  const all = [...hubCrds, ...agentCrds];
  // crdModel: the typed client would drop x-kubernetes-* keys given the wire JSON
  for (const crd of all) await ext.createCustomResourceDefinition({ body: crdModel(crd) });
  await waitFor("CRDs Established", async () => {
    const got = await Promise.all(all.map((c) => ext.readCustomResourceDefinition({ name: c.metadata.name })));
    return got.every((c) => c.status?.conditions?.some((x) => x.type === "Established" && x.status === "True"));
  }, 30_000);
  await cp.kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: "eu-edge-1" } } });
});

afterAll(async () => {
  await cp?.stop();
});

function create(ref: ResourceRef, body: object, namespace?: string): Promise<unknown> {
  const { group, version, plural } = ref;
  return namespace === undefined
    ? custom.createClusterCustomObject({ group, version, plural, body })
    : custom.createNamespacedCustomObject({ group, version, plural, namespace, body });
}

/** Creates the object, expecting a 422; returns the server's message. */
async function refused(ref: ResourceRef, body: object, namespace?: string): Promise<string> {
  try {
    await create(ref, body, namespace);
  } catch (err) {
    const { code, body: raw } = err as { code?: number; body?: unknown };
    const status = (typeof raw === "string" ? JSON.parse(raw) : raw) as { message?: string };
    expect(code, status.message).toBe(422);
    return status.message ?? "";
  }
  throw new Error(`${JSON.stringify(body).slice(0, 200)} was accepted`);
}

const cma = (name: string, spec: Record<string, unknown>): ClusterManagementAddOn =>
  ({ apiVersion: "addon.flotilla.dev/v1alpha1", kind: "ClusterManagementAddOn", metadata: { name }, spec }) as unknown as ClusterManagementAddOn;

const configMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings" }, data: { cluster: "{{ .Cluster.Name }}" } };
const helm = { repoURL: "oci://reg.example.com/charts", chart: "metrics-agent", version: "~1.4.0" };
const placements = (rolloutStrategy: Record<string, unknown>) => ({
  type: "Placements",
  placements: [{ name: "prod", clusterSelector: { matchLabels: { env: "prod" } }, rolloutStrategy }],
});

describe("the API server refuses bad objects, naming the field", () => {
  it("a CMA with both manifests and helm", async () => {
    const msg = await refused(resources.clusterManagementAddOns, cma("both", { source: { manifests: [configMap], helm } }));
    expect(msg).toContain("spec.source: exactly one of manifests or helm must be set");
  });

  it("a CMA with neither manifests nor helm", async () => {
    const msg = await refused(resources.clusterManagementAddOns, cma("neither", { source: {} }));
    expect(msg).toContain("spec.source: exactly one of manifests or helm must be set");
  });

  it("a CMA with rollout type Bogus", async () => {
    const msg = await refused(resources.clusterManagementAddOns, cma("bogus", { source: { helm }, installStrategy: placements({ type: "Bogus" }) }));
    expect(msg).toContain("spec.installStrategy.placements[0].rolloutStrategy.type");
    expect(msg).toContain('"Bogus"');
  });

  it("a Canary rollout without canary steps", async () => {
    const msg = await refused(resources.clusterManagementAddOns, cma("nocanary", { source: { helm }, installStrategy: placements({ type: "Canary" }) }));
    expect(msg).toContain("spec.installStrategy.placements[0].rolloutStrategy.canary");
    expect(msg).toContain("canary is required when type is Canary");
  });

  it("a canary step that is both a count and a pause", async () => {
    const msg = await refused(
      resources.clusterManagementAddOns,
      cma("badstep", { source: { helm }, installStrategy: placements({ type: "Canary", canary: { steps: [{ clusters: 1, pause: {} }] } }) }),
    );
    expect(msg).toContain("spec.installStrategy.placements[0].rolloutStrategy.canary.steps[0]");
    expect(msg).toContain("exactly one of clusters, clusterSelector or pause must be set");
  });

  it.each([
    ["a malformed percentage", "25 percent"],
    ["a percentage over 100", "101%"],
    ["zero", 0],
  ])("a maxConcurrency that is %s", async (_, maxConcurrency) => {
    const msg = await refused(
      resources.clusterManagementAddOns,
      cma("badrolling", { source: { helm }, installStrategy: placements({ type: "Rolling", rolling: { maxConcurrency } }) }),
    );
    expect(msg).toContain("spec.installStrategy.placements[0].rolloutStrategy.rolling.maxConcurrency");
  });

  it("Placements without placements", async () => {
    const msg = await refused(resources.clusterManagementAddOns, cma("noplacements", { source: { helm }, installStrategy: { type: "Placements" } }));
    expect(msg).toContain("spec.installStrategy.placements");
  });

  it("an addon that depends on itself", async () => {
    const msg = await refused(resources.clusterManagementAddOns, cma("selfish", { source: { helm }, dependsOn: ["selfish"] }));
    expect(msg).toContain("spec.dependsOn");
  });

  it("a health check with no rule in it", async () => {
    const msg = await refused(resources.clusterManagementAddOns, cma("norule", { source: { helm }, healthChecks: [{ kind: "ConfigMap", name: "gate" }] }));
    expect(msg).toContain("spec.healthChecks[0]: Invalid value: at least one of conditions, fields or cel must be set");
  });

  it("a CEL health check without an expression", async () => {
    const msg = await refused(resources.clusterManagementAddOns, cma("noexpr", { source: { helm }, healthChecks: [{ kind: "ConfigMap", cel: [{ message: "m" }] }] }));
    expect(msg).toContain("spec.healthChecks[0].cel[0].expression: Required value");
  });

  it("a CMA named with a dot", async () => {
    const msg = await refused(resources.clusterManagementAddOns, cma("metrics.agent", { source: { helm } }));
    expect(msg).toContain("metadata.name");
  });

  it('a ManagedCluster named "bad.name"', async () => {
    const msg = await refused(resources.managedClusters, { apiVersion: "cluster.flotilla.dev/v1alpha1", kind: "ManagedCluster", metadata: { name: "bad.name" }, spec: {} });
    expect(msg).toContain("metadata.name");
    expect(msg).toContain("DNS-1123 label");
  });

  it("a ManagedCluster name over 63 characters", async () => {
    const msg = await refused(resources.managedClusters, { apiVersion: "cluster.flotilla.dev/v1alpha1", kind: "ManagedCluster", metadata: { name: "c".repeat(64) }, spec: {} });
    expect(msg).toContain("metadata.name");
  });

  const imagePolicy = (name: string, spec: Record<string, unknown>) => ({ apiVersion: "addon.flotilla.dev/v1alpha1", kind: "ImagePolicy", metadata: { name }, spec });
  it.each<[string, Record<string, unknown>, string]>([
    ["an ImagePolicy that says nothing", {}, "spec: set allowedRegistries or requireDigest: true"],
    ["an ImagePolicy with requireDigest false only", { requireDigest: false }, "spec: set allowedRegistries or requireDigest: true"],
    ["an ImagePolicy with no registry in its list", { allowedRegistries: [] }, "spec.allowedRegistries"],
    ["an ImagePolicy registry with a scheme", { allowedRegistries: ["https://ghcr.io"] }, "spec.allowedRegistries[0]"],
  ])("%s", async (_n, spec, message) => {
    expect(await refused(resources.imagePolicies, imagePolicy("bad", spec))).toContain(message);
  });

  it("a CMA imagePolicy that says nothing", async () => {
    const msg = await refused(resources.clusterManagementAddOns, cma("emptypolicy", { source: { helm }, imagePolicy: {} }));
    expect(msg).toContain("spec.imagePolicy: set allowedRegistries or requireDigest: true");
  });

  it("an AppliedAddOn not named after its addon", async () => {
    const msg = await refused(resources.appliedAddOns, { apiVersion: "agent.flotilla.dev/v1alpha1", kind: "AppliedAddOn", metadata: { name: "other" }, spec: { addon: "metrics-agent", revision: "metrics-agent-5c9f1e07aa" } });
    expect(msg).toContain("metadata.name must equal spec.addon");
  });
});

describe("the API server accepts and defaults good objects", () => {
  it("the DESIGN §4 ClusterManagementAddOn, with defaults filled in and a status", async () => {
    const body = cma("metrics-agent", {
      displayName: "Metrics agent",
      installNamespace: "flotilla-metrics",
      source: { helm: { ...helm, credentialsSecretRef: { namespace: "flotilla-system", name: "registry" } } },
      values: { replicas: 2, nested: { free: ["form", 1, true] } },
      valuesSchema: { type: "object", properties: { replicas: { type: "integer", minimum: 1 } } },
      installStrategy: placements({
        type: "Canary",
        rolling: { maxConcurrency: "25%", minSuccessTime: "60s", progressDeadline: "10m", maxFailures: 0 },
        canary: { steps: [{ clusters: 1 }, { pause: {} }, { clusters: "50%" }, { clusterSelector: { matchLabels: { region: "eu" } } }, { pause: { duration: "10m" } }] },
      }),
      dependsOn: ["cert-manager"],
      healthChecks: [
        { group: "apps", kind: "Deployment", conditions: [{ type: "Available" }] },
        { kind: "ConfigMap", name: "gate", cel: [{ expression: 'object.data.ready == "true"', message: "waiting for the gate" }] },
      ],
    });
    const got = (await create(resources.clusterManagementAddOns, body)) as ClusterManagementAddOn;
    expect(got.spec.values).toEqual({ replicas: 2, nested: { free: ["form", 1, true] } });
    expect(got.spec.driftPolicy).toBe("Correct");
    expect(got.spec.paused).toBe(false);
    expect(got.spec.revisionHistoryLimit).toBe(10);
    expect(got.spec.installStrategy?.placements?.[0]?.rolloutStrategy?.canary?.autoRollback).toBe(true);
    expect(got.spec.healthChecks?.[0]?.conditions?.[0]?.status).toBe("True");
    expect(got.spec.healthChecks?.[1]?.cel).toEqual([{ expression: 'object.data.ready == "true"', message: "waiting for the gate" }]);

    const { group, version, plural } = resources.clusterManagementAddOns;
    const withStatus: ClusterManagementAddOn = {
      ...got,
      status: {
        observedGeneration: 1,
        updateRevision: "metrics-agent-81be330c2d",
        rollout: { phase: "Progressing", step: 2, message: "canary 1/1 available; waiting for promote" },
        summary: { desired: 400, updated: 40, applied: 40, available: 398, progressing: 2, failed: 0, unreachable: 3 },
        conditions: [{ type: "Progressing", status: "True", reason: "CanaryPaused", message: "waiting for promote", lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, "Z"), observedGeneration: 1 }],
      },
    };
    const updated = (await custom.replaceClusterCustomObjectStatus({ group, version, plural, name: "metrics-agent", body: withStatus })) as ClusterManagementAddOn;
    expect(updated.status?.summary?.unreachable).toBe(3);
  });

  it("a manifests CMA keeps unknown fields of its objects", async () => {
    const got = (await create(resources.clusterManagementAddOns, cma("settings", { source: { manifests: [configMap] } }))) as ClusterManagementAddOn;
    expect(got.spec.source.manifests?.[0]).toEqual(configMap);
    expect(got.spec.installStrategy).toEqual({ type: "Manual" });
  });

  it("a ManagedCluster, with spec defaulted", async () => {
    const body: Omit<ManagedCluster, "spec"> = { apiVersion: "cluster.flotilla.dev/v1alpha1", kind: "ManagedCluster", metadata: { name: "eu-edge-1", labels: { env: "prod" } } };
    const got = (await create(resources.managedClusters, body)) as ManagedCluster;
    expect(got.spec).toEqual({ hubAcceptsClient: false });
  });

  it("a ManagedClusterAddOn with free-form values, in the cluster's namespace", async () => {
    const body: ManagedClusterAddOn = { apiVersion: "addon.flotilla.dev/v1alpha1", kind: "ManagedClusterAddOn", metadata: { name: "metrics-agent" }, spec: { values: { replicas: 3 } } };
    const got = (await create(resources.managedClusterAddOns, body, "eu-edge-1")) as ManagedClusterAddOn;
    expect(got.spec.values).toEqual({ replicas: 3 });
  });

  it("an AddOnRevision, whose spec is then immutable", async () => {
    const body: AddOnRevision = {
      apiVersion: "addon.flotilla.dev/v1alpha1",
      kind: "AddOnRevision",
      metadata: { name: "metrics-agent-5c9f1e07aa" },
      spec: { addon: "metrics-agent", revision: 1, source: { helm: { ...helm, version: "1.4.2" } }, values: { replicas: 2 } },
    };
    const got = (await create(resources.addOnRevisions, body)) as AddOnRevision;
    const { group, version, plural } = resources.addOnRevisions;
    const changed = { ...got, spec: { ...got.spec, revision: 2 } };
    const err = await custom.replaceClusterCustomObject({ group, version, plural, name: "metrics-agent-5c9f1e07aa", body: changed }).then(
      () => undefined,
      (e: unknown) => e as { code?: number; body?: unknown },
    );
    expect(err?.code).toBe(422);
    expect(String(err?.body)).toContain("spec is immutable");
  });

  it("an ImagePolicy with a selector, registries, prefixes and wildcards, and a CMA imagePolicy", async () => {
    const spec = { addonSelector: { matchLabels: { tier: "1" } }, allowedRegistries: ["registry.k8s.io", "ghcr.io/acme", "*.example.com", "localhost:5000/team"], requireDigest: true };
    const got = (await create(resources.imagePolicies, { apiVersion: "addon.flotilla.dev/v1alpha1", kind: "ImagePolicy", metadata: { name: "corp.registries" }, spec })) as { spec: unknown };
    expect(got.spec).toEqual(spec);
    await create(resources.clusterManagementAddOns, cma("pinned", { source: { helm }, imagePolicy: { requireDigest: true } }));
  });

  it("an AppliedAddOn with an inventory", async () => {
    const body: AppliedAddOn = { apiVersion: "agent.flotilla.dev/v1alpha1", kind: "AppliedAddOn", metadata: { name: "metrics-agent" }, spec: { addon: "metrics-agent", revision: "metrics-agent-5c9f1e07aa" } };
    const got = (await create(resources.appliedAddOns, body)) as AppliedAddOn;
    const { group, version, plural } = resources.appliedAddOns;
    const withStatus: AppliedAddOn = {
      ...got,
      status: {
        appliedRevision: "metrics-agent-5c9f1e07aa",
        inventory: [
          { group: "", version: "v1", kind: "Namespace", name: "flotilla-metrics", uid: "3f1c2a9e-0000-4000-8000-000000000001" },
          { group: "apps", version: "v1", kind: "Deployment", namespace: "flotilla-metrics", name: "metrics-agent", uid: "3f1c2a9e-0000-4000-8000-000000000002" },
        ],
      },
    };
    const updated = (await custom.replaceClusterCustomObjectStatus({ group, version, plural, name: "metrics-agent", body: withStatus })) as AppliedAddOn;
    expect(updated.status?.inventory).toHaveLength(2);
  });
});
