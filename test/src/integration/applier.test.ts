// The agent's applier on a real API server: kind order, CRDs waited for, objects placed in the install
// namespace, deletion by inventory; and a discovery call that fails for real (RBAC denies it for a
// while) is retried, never read as "scope unknown", so no object lands outside its namespace.
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api, type V1ClusterRoleBinding } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADDON_NAME_LABEL, createLogger, FlotillaError, httpStatusOf, retryUntil, type DesiredBundle, type KubeObject } from "@flotilla/shared";
import { Applier } from "../../../agent/src/apply/applier.js";
import { RawObjectApi } from "../../../agent/src/apply/object-api.js";
import { startControlPlane, type ControlPlane } from "../harness/controlplane.js";

const logger = createLogger({ level: "silent" });
const quick = { baseMs: 100, maxMs: 1_000 };

/** Polls `probe` until it answers true (a condition, not a fixed sleep). */
async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const bundle = (addon: string, installNamespace: string, objects: KubeObject[]): DesiredBundle => ({
  version: 1, kind: "DesiredBundle", cluster: "c1", addon, revision: `${addon}-1`, installNamespace, driftPolicy: "Correct", objects,
});

const widgetCrd: KubeObject = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "widgets.example.com" },
  spec: {
    group: "example.com",
    scope: "Namespaced",
    names: { kind: "Widget", plural: "widgets", singular: "widget", listKind: "WidgetList" },
    versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object", properties: { spec: { type: "object", properties: { size: { type: "integer" } } } } } } }],
  },
};

/** Prepares and applies until the whole bundle is in, as the agent's work queue would retry it. */
async function applyUntilDone(applier: Applier, b: DesiredBundle, hooks: { afterPrepare?: (attempt: number) => Promise<void>; errors?: unknown[] } = {}) {
  return retryUntil(
    async (attempt) => {
      let placed: KubeObject[];
      try {
        placed = await applier.prepare(b);
      } finally {
        await hooks.afterPrepare?.(attempt);
      }
      const out = await applier.apply(placed);
      if (out.error) throw out.error;
      return out;
    },
    { policy: quick, maxAttempts: 40, onRetry: (err) => hooks.errors?.push(err) },
  );
}

let cp: ControlPlane;
beforeAll(async () => {
  cp = await startControlPlane({ name: "applier", controllerManager: false });
});
afterAll(async () => {
  await cp?.stop();
});

describe("Applier on a real API server", () => {
  it("applies in kind order, waits for a bundled CRD, places namespaced objects, then deletes by inventory (CRDs only when asked)", async () => {
    const applier = new Applier({ api: RawObjectApi.forConfig(cp.kubeConfig), logger, crdTimeoutMs: 30_000 });
    const b = bundle("shop", "shop-ns", [
      { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" }, spec: { size: 3 } },
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings" }, data: { a: "1" } },
      { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "shop-reader", namespace: "ignored" }, rules: [] },
      widgetCrd,
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop-ns" } },
    ]);
    const out = await applyUntilDone(applier, b);
    const where = Object.fromEntries(out.applied.map((a) => [a.item.kind, a.item.namespace ?? "(cluster)"]));
    expect(where).toEqual({ Namespace: "(cluster)", CustomResourceDefinition: "(cluster)", ClusterRole: "(cluster)", ConfigMap: "shop-ns", Widget: "shop-ns" });
    expect(out.applied.map((a) => a.item.kind)).toEqual(["Namespace", "CustomResourceDefinition", "ClusterRole", "ConfigMap", "Widget"]);
    for (const a of out.applied) {
      expect(a.item.uid).not.toBe("");
      expect(a.live.metadata.labels?.[ADDON_NAME_LABEL]).toBe("shop");
    }

    const doomed = out.applied.filter((a) => a.item.kind === "ConfigMap" || a.item.kind === "Widget").map((a) => a.item).reverse();
    const del = await applier.delete(doomed, "shop");
    expect(del.deleted.map((d) => d.kind)).toEqual(["Widget", "ConfigMap"]);
    expect(del.failed).toEqual([]);
    const again = await applier.delete(doomed, "shop");
    expect(again.skipped.map((s) => s.reason)).toEqual(["Gone", "Gone"]);

    // Uninstall leaves the CRD (deleting it would delete every Widget in the cluster, whoever made it)
    // unless the addon asks for deleteCRDs.
    const crd = out.applied.filter((a) => a.item.kind === "CustomResourceDefinition").map((a) => a.item);
    const kept = await applier.delete(crd, "shop");
    expect({ deleted: kept.deleted, skipped: kept.skipped.map((s) => s.reason) }).toEqual({ deleted: [], skipped: ["CRDKept"] });
    expect(await RawObjectApi.forConfig(cp.kubeConfig).get(crd[0]!)).toBeDefined();
    const gone = await applier.delete(crd, "shop", { deleteCRDs: true });
    expect(gone.deleted.map((d) => d.name)).toEqual(["widgets.example.com"]);
  });

  describe("when discovery fails transiently during an apply", () => {
    let agentConfig: KubeConfig;
    const rbac = () => cp.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
    let discoveryBinding: V1ClusterRoleBinding;

    /** Discovery as the agent sees it: 200 or 403. */
    const discoveryStatus = () =>
      agentConfig.makeApiClient(CoreV1Api).getAPIResources().then(() => 200, (e: unknown) => httpStatusOf(e) ?? 0);

    const denyDiscovery = async () => {
      await rbac().deleteClusterRoleBinding({ name: "system:discovery" });
      await until("discovery denied", async () => (await discoveryStatus()) === 403);
    };
    const allowDiscovery = async () => {
      const { metadata, roleRef, subjects } = discoveryBinding;
      await rbac().createClusterRoleBinding({ body: { metadata: { name: metadata?.name, labels: metadata?.labels, annotations: metadata?.annotations }, roleRef, subjects } });
      await until("discovery allowed", async () => (await discoveryStatus()) === 200);
    };

    beforeAll(async () => {
      // An agent identity allowed every resource but no non-resource URL: its discovery rests on the
      // default system:discovery binding alone, which the test takes away and gives back.
      await rbac().createClusterRole({ body: { metadata: { name: "test-agent" }, rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }] } });
      await rbac().createClusterRoleBinding({
        body: { metadata: { name: "test-agent" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "test-agent" }, subjects: [{ kind: "User", name: "test-agent", apiGroup: "rbac.authorization.k8s.io" }] },
      });
      agentConfig = new KubeConfig();
      agentConfig.loadFromFile(await cp.writeUserKubeconfig("test-agent"));
      discoveryBinding = await rbac().readClusterRoleBinding({ name: "system:discovery" });
      await until("the agent's RBAC", async () => agentConfig.makeApiClient(CoreV1Api).listNamespace().then(() => true, () => false));
    });

    it("the failure is retried as Retryable and no object lands outside its namespace", async () => {
      const applier = new Applier({ api: RawObjectApi.forConfig(agentConfig), logger });
      const b = bundle("probe", "probe-ns", [
        { apiVersion: "v1", kind: "Namespace", metadata: { name: "probe-ns" } },
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "probe-settings" }, data: { a: "1" } },
        { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "probe-sa" } },
      ]);
      await denyDiscovery();
      const errors: unknown[] = [];
      // Discovery comes back between the first placement and its apply: had the failed discovery been
      // read as "scope unknown", the apply would now resolve the kinds and use the default namespace.
      const out = await applyUntilDone(applier, b, { errors, afterPrepare: async (attempt) => (attempt === 1 ? allowDiscovery() : undefined) });

      const core = cp.kubeConfig.makeApiClient(CoreV1Api);
      const selector = `${ADDON_NAME_LABEL}=probe`;
      expect((await core.listNamespacedConfigMap({ namespace: "default", labelSelector: selector })).items).toEqual([]);
      expect((await core.listNamespacedServiceAccount({ namespace: "default", labelSelector: selector })).items).toEqual([]);
      expect((await core.listConfigMapForAllNamespaces({ labelSelector: selector })).items.map((c) => c.metadata?.namespace)).toEqual(["probe-ns"]);
      expect(out.applied.filter((a) => a.item.kind !== "Namespace").map((a) => a.item.namespace)).toEqual(["probe-ns", "probe-ns"]);
      // the first placement failed on the refused discovery and was retried, not guessed
      expect(errors.length).toBeGreaterThanOrEqual(1);
      expect(errors[0]).toBeInstanceOf(FlotillaError);
      expect((errors[0] as FlotillaError).code).toBe("Retryable");
      expect((errors[0] as Error).message).toMatch(/discovery of v1 \w+ failed/);
      expect(httpStatusOf((errors[0] as Error).cause)).toBe(403);
    });
  });
});

describe("Applier claims: who holds an object", () => {
  const cm = (addon: string, name: string, data: Record<string, string>): KubeObject => ({
    apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "claims", labels: { [ADDON_NAME_LABEL]: addon } }, data,
  });
  let applier: Applier;
  let api: RawObjectApi;
  beforeAll(async () => {
    api = RawObjectApi.forConfig(cp.kubeConfig);
    applier = new Applier({ api, logger });
    await api.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: "claims" } }, "test");
  });

  it("refuses an object another addon holds, takes one whose label is stale (that addon left it behind)", async () => {
    expect((await applier.apply([cm("first", "common", { owner: "first" })], { owned: new Set() })).error).toBeUndefined();
    const held = await applier.apply([cm("second", "common", { owner: "second" })], { owned: new Set(), heldBy: (a) => a === "first" });
    expect(held.error?.ownership).toBe(true);
    expect(held.error?.code).toBe("Conflict");
    expect(held.error?.message).toBe("ConfigMap claims/common: already managed by addon first (label addon.flotilla.dev/name); the first addon keeps it");
    expect((await api.get({ group: "", version: "v1", kind: "ConfigMap", namespace: "claims", name: "common" }))?.data).toEqual({ owner: "first" });
    const stale = await applier.apply([cm("second", "common", { owner: "second" })], { owned: new Set(), heldBy: () => false });
    expect(stale.error).toBeUndefined();
    expect(stale.applied[0]?.live.data).toEqual({ owner: "second" });
  });

  it("does not force a field another manager owns unless asked; forces what the addon holds", async () => {
    await api.apply({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "limits", namespace: "claims" }, data: { level: "high" } }, "platform-team");
    const refused = await applier.apply([cm("mine", "limits", { level: "low" })], { owned: new Set() });
    expect(refused.error?.ownership).toBe(true);
    expect(refused.error?.retryable).toBe(false);
    expect(refused.error?.message).toMatch(/ConfigMap claims\/limits: Apply failed with 1 conflict: conflict with "platform-team".*\.data\.level/);
    const forced = await applier.apply([cm("mine", "limits", { level: "low" })], { owned: new Set(), forceConflicts: true });
    expect(forced.error).toBeUndefined();
    // now held: someone else's edit is drift, and put back with force
    await api.apply({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "limits", namespace: "claims" }, data: { level: "high" } }, "platform-team");
    const again = await applier.apply([cm("mine", "limits", { level: "low" })], { owned: new Set(["/ConfigMap/claims/limits"]) });
    expect(again.applied[0]?.live.data).toEqual({ level: "low" });
  });
});
