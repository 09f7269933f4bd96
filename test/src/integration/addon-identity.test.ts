// Least privilege on a real API server. The agent runs as a user holding only deploy/rbac/agent.yaml
// (not system:masters), and applies each addon as the addon's own ServiceAccount: what the addon
// declares applies, anything else is refused with a 403 by the API server itself.
import { readFile } from "node:fs/promises";
import { KubeConfig, RbacAuthorizationV1Api } from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AGENT_FIELD_MANAGER, createLogger, httpStatusOf, loadKubeConfig, makeClients, type AddonPermission, type DesiredBundle, type KubeObject } from "@flotilla/shared";
import { Applier } from "../../../agent/src/apply/applier.js";
import { RawObjectApi } from "../../../agent/src/apply/object-api.js";
import { planHooks } from "../../../agent/src/hooks/plan.js";
import { HookRunner } from "../../../agent/src/hooks/runner.js";
import { AddonIdentities } from "../../../agent/src/identity/identities.js";
import { installAgentCrds } from "../../../agent/src/inventory/crd-install.js";
import { startControlPlane, type ControlPlane } from "../harness/controlplane.js";
import { systemClock } from "@flotilla/shared";

const logger = createLogger({ level: "silent" });
const AGENT_USER = "system:serviceaccount:flotilla-system:flotilla-agent";
const RBAC_FILE = new URL("../../../deploy/rbac/agent.yaml", import.meta.url);

let cp: ControlPlane;
let admin: RawObjectApi;
let agent: RawObjectApi;
let identities: AddonIdentities;
let agentKc: KubeConfig;

/** Polls `probe` until it answers true (a condition, not a fixed sleep). */
async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const bundle = (addon: string, objects: KubeObject[], permissions?: AddonPermission[]): DesiredBundle => ({
  version: 1, kind: "DesiredBundle", cluster: "c1", addon, revision: `${addon}-1`, installNamespace: `${addon}-ns`, driftPolicy: "Correct", objects,
  ...(permissions ? { permissions } : {}),
});

const objectsOf = (addon: string): KubeObject[] => [
  { apiVersion: "v1", kind: "Namespace", metadata: { name: `${addon}-ns` } },
  { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings" }, data: { a: "1" } },
  { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" }, spec: { selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "busybox" }] } } } },
  { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: `${addon}-reader` }, rules: [] },
];

const declaredObjects = [...objectsOf("declared"), { apiVersion: "v1", kind: "Secret", metadata: { name: "token" }, stringData: { t: "x" } }];
const declared: AddonPermission[] = [{ kinds: ["Namespace", "ConfigMap"] }, { group: "apps", kinds: ["Deployment"] }, { group: "rbac.authorization.k8s.io", kinds: ["ClusterRole"] }];
const declaredFixed = () => bundle("declared", declaredObjects, [...declared, { kinds: ["Secret"] }]);

/** Places, writes the identity, applies as the addon, as the agent's reconcile does. */
async function applyAs(b: DesiredBundle) {
  const applier = identities.applier(b.addon);
  const objects = await applier.prepare(b);
  await identities.ensure(b, objects, []);
  return applier.apply(objects);
}

beforeAll(async () => {
  cp = await startControlPlane({ name: "identity", controllerManager: false });
  admin = RawObjectApi.forConfig(cp.kubeConfig);
  for (const doc of parseAllDocuments(await readFile(RBAC_FILE, "utf8"))) await admin.apply(doc.toJS() as KubeObject, "test");
  agentKc = loadKubeConfig(await cp.writeUserKubeconfig(AGENT_USER, ["system:serviceaccounts", "system:serviceaccounts:flotilla-system"]));
  agent = RawObjectApi.forConfig(agentKc);
  identities = new AddonIdentities({
    api: agent, namespace: "flotilla-system", logger, clock: systemClock,
    makeApplier: (api) => new Applier({ api, logger, crdTimeoutMs: 30_000 }),
  });
});
afterAll(async () => {
  await cp?.stop();
});

describe("server-side apply and RBAC (what the identity roles are built on)", () => {
  it.each<[string, string[], string[] | undefined, number | "ok"]>([
    ["patch alone cannot create", ["patch"], undefined, 403],
    ["patch and create can", ["create", "patch"], undefined, "ok"],
    ["patch and create by name can (SSA names the object in the URL)", ["create", "patch"], ["cm-by-name"], "ok"],
    ["by another name cannot", ["create", "patch"], ["someone-else"], 403],
  ])("%s", async (label, verbs, names, expected) => {
    const user = `ssa-${label.length}-${verbs.length}-${names?.[0] ?? "any"}`;
    const rbac = cp.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
    await admin.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: "ssa" } }, "test");
    await rbac.createNamespacedRole({ namespace: "ssa", body: { metadata: { name: user }, rules: [{ apiGroups: [""], resources: ["configmaps"], verbs, ...(names ? { resourceNames: names } : {}) }] } });
    await rbac.createNamespacedRoleBinding({ namespace: "ssa", body: { metadata: { name: user }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: user }, subjects: [{ kind: "User", apiGroup: "rbac.authorization.k8s.io", name: user }] } });
    const kc = new KubeConfig();
    kc.loadFromFile(await cp.writeUserKubeconfig(user));
    const api = RawObjectApi.forConfig(kc);
    const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm-by-name", namespace: "ssa" }, data: { user } };
    // Wait until the role is in force (RBAC is cached); `patch` on an existing object is allowed in every row but names.
    const outcome = async () => api.apply(cm, "t").then(() => "ok" as const, (e: unknown) => httpStatusOf(e) ?? 0);
    let got: number | "ok" = 0;
    await until(`${label}: ${expected}`, async () => (got = await outcome()) === expected, 5_000).catch(() => undefined);
    expect(got).toBe(expected);
    await admin.remove({ group: "", version: "v1", kind: "ConfigMap", namespace: "ssa", name: "cm-by-name" });
  });
});

describe("the agent with only deploy/rbac/agent.yaml", () => {
  it("runs an addon's hooks as the addon: a hook within its declaration runs and is cleaned up, one outside is refused", async () => {
    const hook = (kind: string, name: string) => ({
      apiVersion: "v1", kind, metadata: { name, annotations: { "helm.sh/hook": "pre-install", "helm.sh/hook-delete-policy": "hook-succeeded" } }, data: {},
    });
    const runner = new HookRunner({ api: agent, apiFor: (a) => identities.api(a), watch: makeClients(agentKc).watch, logger, runs: { inc: () => {} } });
    const run = async (b: DesiredBundle) => {
      const prepared = await identities.applier(b.addon).prepare(b);
      const plan = planHooks(prepared, { appliedRevision: undefined, revision: b.revision, defaultTimeoutMs: 10_000 });
      await identities.ensure(b, [...plan.main, ...plan.objects], []);
      return runner.runPhase(b.addon, "pre-install", plan.pre.hooks);
    };
    const ns = { apiVersion: "v1", kind: "Namespace", metadata: { name: "hooked-ns" } };
    const ok = await run(bundle("hooked", [ns, hook("ConfigMap", "prepare")], [{ kinds: ["Namespace", "ConfigMap"] }]));
    expect(ok.failed).toBeUndefined();
    expect(ok.results.map((r) => r.result)).toEqual(["succeeded"]);
    await until("hook-succeeded deleted it", async () => (await admin.get({ group: "", version: "v1", kind: "ConfigMap", namespace: "hooked-ns", name: "prepare" })) === undefined);

    const refused = await run(bundle("hooked", [ns, hook("ConfigMap", "prepare"), hook("Secret", "sneaky")], [{ kinds: ["Namespace", "ConfigMap"] }]));
    expect(refused.failed?.message).toMatch(/secrets "sneaky" is forbidden: User "system:serviceaccount:flotilla-system:flotilla-addon-hooked"/);
    expect(await admin.get({ group: "", version: "v1", kind: "Secret", namespace: "hooked-ns", name: "sneaky" })).toBeUndefined();
  });

  it("is not an admin: it cannot read a Secret or write a ConfigMap of its own accord", async () => {
    const get = await agent.get({ group: "", version: "v1", kind: "Secret", namespace: "kube-system", name: "anything" }).then(() => 200, (e: unknown) => httpStatusOf(e));
    expect(get).toBe(403);
    const write = await agent.apply({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", namespace: "default" } }, AGENT_FIELD_MANAGER).then(() => 200, (e: unknown) => httpStatusOf(e));
    expect(write).toBe(403);
  });

  it("installs its own CRD", async () => {
    await installAgentCrds(agent, logger);
    expect(await admin.get({ group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition", name: "appliedaddons.agent.flotilla.dev" })).toBeDefined();
  });

  it("applies an addon whose permissions are derived from its bundle, as the addon, and reads it back as itself", async () => {
    const out = await applyAs(bundle("derived", objectsOf("derived")));
    expect(out.error).toBeUndefined();
    expect(out.applied.map((a) => a.item.kind)).toEqual(["Namespace", "ClusterRole", "ConfigMap", "Deployment"]);
    const cm = out.applied.find((a) => a.item.kind === "ConfigMap")?.live;
    expect((cm?.metadata.managedFields as { manager?: string }[] | undefined)?.map((f) => f.manager)).toContain(AGENT_FIELD_MANAGER);
    // The agent's own read role covers the addon's kinds cluster-wide (its watches), nothing more.
    expect(await agent.get({ group: "", version: "v1", kind: "ConfigMap", namespace: "derived-ns", name: "settings" })).toBeDefined();
    const list = await agent.list("apps/v1", "Deployment").then(() => 200, (e: unknown) => httpStatusOf(e));
    expect(list).toBe(200);
  });

  it("an addon declaring ConfigMaps, not Secrets: its Secret is refused by the API server (403) naming the kind and the identity", async () => {
    const out = await applyAs(bundle("declared", declaredObjects, declared));
    expect(out.error?.httpStatus).toBe(403);
    expect(out.error?.code).toBe("Forbidden");
    expect(out.error?.message).toMatch(/^Secret declared-ns\/token: .*system:serviceaccount:flotilla-system:flotilla-addon-declared.*"secrets"/);
    expect(out.applied.map((a) => a.item.kind)).toEqual(["Namespace", "ClusterRole", "ConfigMap"]);
    expect(await admin.get({ group: "", version: "v1", kind: "Secret", namespace: "declared-ns", name: "token" })).toBeUndefined();

    // Declaring it lets it through.
    const fixed = await applyAs(declaredFixed());
    expect(fixed.error).toBeUndefined();
    expect(await admin.get({ group: "", version: "v1", kind: "Secret", namespace: "declared-ns", name: "token" })).toBeDefined();
  });

  it("a role deleted by someone is written again after the first request it refuses", async () => {
    await admin.remove({ group: "rbac.authorization.k8s.io", version: "v1", kind: "Role", namespace: "declared-ns", name: "flotilla-addon-declared" });
    await until("the deleted role is out of force", async () => (await applyAs(declaredFixed())).error?.httpStatus === 403);
    const again = await applyAs(declaredFixed());
    expect(again.error).toBeUndefined();
  });

  it("the addon's identity reaches nothing outside its envelope: another namespace, another ClusterRole", async () => {
    const as = agent.impersonating(identities.userOf("derived"));
    const other = await as.apply({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", namespace: "declared-ns" } }, AGENT_FIELD_MANAGER).then(() => 200, (e: unknown) => httpStatusOf(e));
    expect(other).toBe(403);
    const cr = await as.apply({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "cluster-admin" }, rules: [] }, AGENT_FIELD_MANAGER).then(() => 200, (e: unknown) => httpStatusOf(e));
    expect(cr).toBe(403);
    // Nor may the agent impersonate anyone but its own namespace's ServiceAccounts.
    const elsewhere = await agent.impersonating("system:serviceaccount:kube-system:default").get({ group: "", version: "v1", kind: "ConfigMap", namespace: "kube-system", name: "x" }).then(() => 200, (e: unknown) => httpStatusOf(e));
    expect(elsewhere).toBe(403);
  });

  it("a new revision that leaves objects out narrows the roles but still lets the prune delete them; uninstall removes the identity last", async () => {
    const before = objectsOf("derived");
    const applier = identities.applier("derived");
    const placed = await applier.prepare(bundle("derived", before));
    const inventory = (await applier.apply(placed)).applied.map((a) => a.item);
    const next = bundle("derived", before.filter((o) => o.kind !== "Deployment" && o.kind !== "ClusterRole"));
    await identities.ensure(next, await applier.prepare(next), inventory);
    const role = await admin.get({ group: "rbac.authorization.k8s.io", version: "v1", kind: "Role", namespace: "derived-ns", name: "flotilla-addon-derived" });
    expect((role as { rules?: unknown[] } | undefined)?.rules).toContainEqual({ apiGroups: ["apps"], resources: ["deployments"], resourceNames: ["web"], verbs: ["delete", "get"] });
    const leftovers = inventory.filter((i) => i.kind === "Deployment" || i.kind === "ClusterRole");
    const pruned = await applier.delete(leftovers, "derived");
    expect({ deleted: pruned.deleted.map((d) => d.kind), failed: pruned.failed.map((f) => f.error.message) }).toEqual({ deleted: ["ClusterRole", "Deployment"], failed: [] });

    const all = await applier.delete([...inventory].reverse(), "derived");
    expect(all.failed).toEqual([]);
    await identities.remove("derived");
    const left = await admin.list("rbac.authorization.k8s.io/v1", "RoleBinding", undefined, undefined, undefined, undefined, undefined, "identity.flotilla.dev/addon=derived");
    expect(left.items).toEqual([]);
    expect(await admin.get({ group: "", version: "v1", kind: "ServiceAccount", namespace: "flotilla-system", name: "flotilla-addon-derived" })).toBeUndefined();
  });

  it("uninstalls an addon applied before it had an identity: read and delete by name, exactly the inventory", async () => {
    const b = bundle("legacy", objectsOf("legacy"));
    const asAdmin = new Applier({ api: admin, logger });
    const inventory = (await asAdmin.apply(await asAdmin.prepare(b))).applied.map((a) => a.item);
    await identities.ensureForUninstall("legacy", inventory);
    const role = await admin.get({ group: "rbac.authorization.k8s.io", version: "v1", kind: "Role", namespace: "legacy-ns", name: "flotilla-addon-legacy" });
    expect((role as { rules?: unknown[] } | undefined)?.rules).toEqual([
      { apiGroups: [""], resources: ["configmaps"], resourceNames: ["settings"], verbs: ["delete", "get"] },
      { apiGroups: ["apps"], resources: ["deployments"], resourceNames: ["web"], verbs: ["delete", "get"] },
    ]);
    const del = await identities.applier("legacy").delete([...inventory].reverse(), "legacy");
    expect({ deleted: del.deleted.length, failed: del.failed.map((f) => f.error.message) }).toEqual({ deleted: 4, failed: [] });
    await identities.remove("legacy");
  });
});
