/**
 * Generated config CRDs on a real kube-apiserver (RBAC on): the CRDs converted from cert-manager's and
 * external-dns's real values.schema.json are accepted; config objects that break the schema are refused
 * with the field in the message, valid ones accepted; a changed schema adds a served version and objects
 * written at the old one still read, in full, at the version they were written at; the hub's
 * controller does all of it from a CMA with `spec.configCRD.generate`.
 */
import { execFileSync } from "node:child_process";
import { ApiextensionsV1Api, CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { createLogger, crdModel, hubCrds, Informer, loadKubeConfig, makeClients, resources, systemClock, type ClusterManagementAddOn, type KubeClients } from "@flotilla/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HUB_MANAGER } from "../../../hub/src/api/names.js";
import { CONFIG_GROUP, configNames, convertSchema, fitCrd, planVersions, type ConfigCrd } from "../../../hub/src/configcrd/index.js";
import { ConfigCrdController } from "../../../hub/src/controllers/config/controller.js";
import { applyCrd, isEstablished, readCrd } from "../../../hub/src/controllers/config/crd-client.js";
import { ConfigValues } from "../../../hub/src/controllers/config/values.js";
import { waitFor } from "../e2e/support.js";
import { realChart } from "../harness/charts/real-charts.js";
import { identityKubeconfig } from "../fleet/rbac.js";
import { startControlPlane, type ControlPlane } from "../harness/controlplane.js";

const logger = createLogger({ level: process.env.CC_LOG ?? "silent" });

/** values.schema.json out of a packaged chart, read at run time (the charts stay out of the repository). */
const chartSchema = (chart: string, file: string): unknown => JSON.parse(execFileSync("tar", ["-xzf", realChart(file), "-O", `${chart}/values.schema.json`], { encoding: "utf8" }));

let cp: ControlPlane;
let clients: KubeClients;
let custom: CustomObjectsApi;
const CLUSTER = "eu-edge-1";

beforeAll(async () => {
  cp = await startControlPlane({ name: "config-crd", controllerManager: false });
  // what the hub does here, it does as the hub: holding only deploy/rbac/hub.yaml
  clients = makeClients(loadKubeConfig(await identityKubeconfig(cp, "hub")));
  custom = cp.kubeConfig.makeApiClient(CustomObjectsApi);
  const ext = cp.kubeConfig.makeApiClient(ApiextensionsV1Api);
  for (const crd of hubCrds) await ext.createCustomResourceDefinition({ body: crdModel(crd) });
  await cp.kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: CLUSTER } } });
  await waitFor("hub CRDs Established", async () => (await Promise.all(hubCrds.map((c) => readCrd(clients, c.metadata.name)))).every(isEstablished), 30_000);
});

afterAll(async () => {
  await cp?.stop();
});

/** Converts, plans and applies as the controller does; waits until the API server serves it. */
async function generate(addon: string, schema: unknown, chartVersion: string): Promise<{ crd: ConfigCrd; widened: string[] }> {
  const conversion = convertSchema(schema);
  expect(conversion.rejected).toBeUndefined();
  const plan = planVersions(await readCrd(clients, `${configNames(addon).plural}.${CONFIG_GROUP}`), conversion.schema, chartVersion);
  const fit = fitCrd(addon, plan.versions);
  if (!fit.ok) throw new Error(`CRD too large: ${fit.bytes}`);
  await applyCrd(clients, fit.crd, HUB_MANAGER);
  await waitFor(`${fit.crd.metadata.name} Established`, async () => isEstablished(await readCrd(clients, fit.crd.metadata.name)), 30_000);
  return { crd: fit.crd, widened: conversion.widened.map((w) => `${w.path} ${w.construct}`) };
}

const configObject = (addon: string, values: unknown, version = "v1alpha1", name = addon) => ({
  apiVersion: `${CONFIG_GROUP}/${version}`,
  kind: configNames(addon).kind,
  metadata: { name, namespace: CLUSTER },
  spec: { values },
});

function create(addon: string, body: ReturnType<typeof configObject>, version = "v1alpha1"): Promise<unknown> {
  return custom.createNamespacedCustomObject({ group: CONFIG_GROUP, version, plural: configNames(addon).plural, namespace: CLUSTER, body, fieldValidation: "Strict" });
}

/** Creates the object, expecting the API server to refuse it (422 Invalid, or 400 for a Strict unknown field); returns its message. */
async function refused(addon: string, body: ReturnType<typeof configObject>): Promise<string> {
  try {
    await create(addon, body, body.apiVersion.split("/")[1]);
  } catch (err) {
    const { code, body: raw } = err as { code?: number; body?: unknown };
    const status = (typeof raw === "string" ? JSON.parse(raw) : raw) as { message?: string };
    expect([400, 422], status.message).toContain(code);
    return status.message ?? "";
  }
  throw new Error(`${JSON.stringify(body).slice(0, 200)} was accepted`);
}

async function remove(addon: string): Promise<void> {
  await custom.deleteNamespacedCustomObject({ group: CONFIG_GROUP, version: "v1alpha1", plural: configNames(addon).plural, namespace: CLUSTER, name: addon });
}

describe("a config CRD from external-dns's values.schema.json", () => {
  const addon = "external-dns";
  let widened: string[] = [];
  beforeAll(async () => {
    ({ widened } = await generate(addon, chartSchema("external-dns", "external-dns-1.21.1.tgz"), "1.21.1"));
  });

  it("is accepted by the API server; what it cannot express is listed", () => {
    expect(widened).toEqual([".extraArgs type: [array, object]", ".provider type: [object, string]"]);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ["missing the required policy", { logLevel: "info" }, /spec\.values\.policy: Required value/],
    ["policy not in the enum", { policy: "delete-all" }, /spec\.values\.policy: Unsupported value: "delete-all": supported values: "create-only", "sync", "upsert-only"/],
    ["a string where an integer belongs", { policy: "sync", revisionHistoryLimit: "ten" }, /spec\.values\.revisionHistoryLimit: Invalid value: "string": spec\.values\.revisionHistoryLimit in body must be of type integer/],
    ["an integer where a string belongs", { policy: "sync", logLevel: 3 }, /spec\.values\.logLevel: Invalid value: "integer"/],
    ["a duplicate in a set (uniqueItems)", { policy: "sync", managedRecordTypes: ["A", "A"] }, /spec\.values\.managedRecordTypes\[1\]: Duplicate value: "A"/],
    ["a set item outside its enum", { policy: "sync", service: { ipFamilies: ["IPv5"] } }, /spec\.values\.service\.ipFamilies\[0\]: Unsupported value: "IPv5"/],
  ])("refuses values %s, naming the field", async (_, values, message) => {
    expect(await refused(addon, configObject(addon, values))).toMatch(message);
  });

  it("refuses an object not named after the addon", async () => {
    expect(await refused(addon, configObject(addon, { policy: "sync" }, "v1alpha1", "other"))).toMatch(/metadata\.name: Invalid value: .*must be named external-dns/);
  });

  it("accepts valid values, widened fields included, and keeps them as written", async () => {
    const values = { policy: "sync", logLevel: "debug", sources: ["service", "ingress"], provider: { name: "aws" }, extraArgs: ["--aws-zone-type=public"], revisionHistoryLimit: 3, unlisted: { kept: true } };
    await create(addon, configObject(addon, values));
    const got = (await custom.getNamespacedCustomObject({ group: CONFIG_GROUP, version: "v1alpha1", plural: configNames(addon).plural, namespace: CLUSTER, name: addon })) as { spec: { values: unknown } };
    expect(got.spec.values).toEqual(values);
    await remove(addon);
  });
});

describe("a config CRD from cert-manager's values.schema.json ($refs inlined)", () => {
  const addon = "cert-manager";
  let crd: ConfigCrd;
  beforeAll(async () => {
    ({ crd } = await generate(addon, chartSchema("cert-manager", "cert-manager-1.21.1.tgz"), "1.21.1"));
  });

  it("is accepted by the API server, within the size budget", () => {
    expect(JSON.stringify(crd).length).toBeLessThan(1024 * 1024);
    expect(crd.spec.names.kind).toBe("CertManagerConfig");
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ["a string where a number belongs", { replicaCount: "two" }, /spec\.values\.replicaCount: Invalid value: "string"/],
    ["a field the chart does not know (additionalProperties: false)", { replicaCount: 2, bogus: 1 }, /unknown field "spec\.values\.bogus"/],
    ["a nested wrong type behind a $ref", { webhook: { timeoutSeconds: "soon" } }, /spec\.values\.webhook\.timeoutSeconds: Invalid value: "string"/],
  ])("refuses values with %s", async (_, values, message) => {
    expect(await refused(addon, configObject(addon, values))).toMatch(message);
  });

  it("accepts valid values", async () => {
    await create(addon, configObject(addon, { replicaCount: 2, crds: { enabled: true }, webhook: { timeoutSeconds: 15 } }));
    await remove(addon);
  });
});

describe("every construct the conversion keeps, on the real API server", () => {
  const addon = "kitchen-sink";
  const schema = {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    type: "object",
    additionalProperties: false,
    required: ["free"],
    $defs: { port: { type: "integer", minimum: 1, maximum: 65535 } },
    properties: {
      name: { type: "string", minLength: 2, maxLength: 10, pattern: "^\\u0061[a-z]*$", default: "ab" },
      port: { $ref: "#/$defs/port" },
      ratio: { type: "number", exclusiveMinimum: 0, maximum: 1, multipleOf: 0.25 },
      target: { type: ["integer", "string"] },
      note: { type: ["string", "null"] },
      level: { const: "high", type: "string" },
      email: { type: "string", format: "email" },
      tags: { type: "array", items: { type: "string" }, uniqueItems: true, maxItems: 3 },
      labels: { type: "object", additionalProperties: { type: "string" } },
      auth: { type: "object", additionalProperties: false, properties: { token: { type: "string" }, file: { type: "string" } }, oneOf: [{ required: ["token"] }, { required: ["file"] }] },
      both: { allOf: [{ type: "object", properties: { a: { type: "string" } } }, { required: ["a"] }] },
      free: { description: "anything" },
      spaced: { type: "string", pattern: "^a\\sb$" },
    },
  };

  beforeAll(async () => {
    const { widened } = await generate(addon, schema, "0.1.0");
    expect(widened).toEqual([]);
  });

  it("accepts values that satisfy it", async () => {
    const values = { name: "abc", port: 443, ratio: 0.5, target: "50%", note: null, level: "high", email: "a@example.com", tags: ["x", "y"], labels: { a: "b" }, auth: { token: "t" }, both: { a: "x" }, free: [1, { two: 2 }], spaced: "a\u00a0b" };
    await create(addon, configObject(addon, values));
    await remove(addon);
    // an untyped field takes null too, even when required (it is nullable, so null is not pruned)
    await create(addon, configObject(addon, { ...values, free: null }));
    expect(((await custom.getNamespacedCustomObject({ group: CONFIG_GROUP, version: "v1alpha1", plural: configNames(addon).plural, namespace: CLUSTER, name: addon })) as { spec: { values: { free: unknown } } }).spec.values.free).toBeNull();
    await remove(addon);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ["pattern (\\u escape rewritten for RE2)", { name: "bcd" }, /spec\.values\.name: Invalid value: "bcd": spec\.values\.name in body should match/],
    ["\\s (JavaScript's white space, not RE2's)", { spaced: "a-b" }, /spec\.values\.spaced: Invalid value: "a-b": spec\.values\.spaced in body should match/],
    ["a $ref's bound", { port: 0 }, /spec\.values\.port: Invalid value: 0: spec\.values\.port in body should be greater than or equal to 1/],
    ["an exclusive bound", { ratio: 0 }, /spec\.values\.ratio: Invalid value: 0: spec\.values\.ratio in body should be greater than 0/],
    ["multipleOf", { ratio: 0.3 }, /spec\.values\.ratio: Invalid value: 0\.3: spec\.values\.ratio in body should be a multiple of 0\.25/],
    ["int-or-string", { target: true }, /spec\.values\.target: Invalid value: "boolean"/],
    ["const", { level: "low" }, /spec\.values\.level: Unsupported value: "low": supported values: "high"/],
    ["format", { email: "nope" }, /spec\.values\.email: Invalid value: "nope": spec\.values\.email in body must be of type email/],
    ["maxItems", { tags: ["a", "b", "c", "d"] }, /spec\.values\.tags: Too many: 4: must have at most 3 items/],
    ["a map's value type", { labels: { a: 1 } }, /spec\.values\.labels\.a: Invalid value: "integer"/],
    ["oneOf of required", { auth: { token: "t", file: "f" } }, /"spec\.values\.auth" must validate one and only one schema \(oneOf\)\. Found 2 valid alternatives/],
    ["allOf's required", { both: {} }, /spec\.values\.both\.a: Required value/],
    ["required (an untyped field)", { free: undefined }, /spec\.values\.free: Required value/],
  ])("refuses a value breaking %s", async (_, values, message) => {
    expect(await refused(addon, configObject(addon, { free: 1, ...values }))).toMatch(message);
  });
});

describe("a second schema version", () => {
  const addon = "versioned";
  const v1 = { type: "object", additionalProperties: false, properties: { name: { type: "string" }, legacy: { type: "string" } } };
  const v2 = { type: "object", additionalProperties: false, required: ["name"], properties: { name: { type: "string", minLength: 2 } } };
  const plural = configNames(addon).plural;
  const get = (version: string) => custom.getNamespacedCustomObject({ group: CONFIG_GROUP, version, plural, namespace: CLUSTER, name: addon }) as Promise<{ apiVersion: string; spec: { values: Record<string, unknown> } }>;

  it("adds a served version; objects written at the old one still read, in full at their own version", async () => {
    await generate(addon, v1, "1.0.0");
    await create(addon, configObject(addon, { name: "old", legacy: "kept" }));
    const { crd } = await generate(addon, v2, "2.0.0");
    expect(crd.spec.versions.map((v) => [v.name, v.served, v.storage])).toEqual([["v1alpha1", true, false], ["v1alpha2", true, true]]);

    // Conversion None: the newest version shows the old object with only its apiVersion changed, and
    // prunes what its schema no longer has; the old version still shows everything.
    const asNew = await get("v1alpha2");
    expect(asNew.apiVersion).toBe(`${CONFIG_GROUP}/v1alpha2`);
    expect(asNew.spec.values).toEqual({ name: "old" });
    expect((await get("v1alpha1")).spec.values).toEqual({ name: "old", legacy: "kept" });

    // The hub reads it at the version it was written at (its managedFields), so nothing is lost.
    const seen: string[] = [];
    const values = new ConfigValues({ clients, logger, clock: systemClock, onChange: (c, a) => seen.push(`${c}/${a}`) });
    try {
      await values.watch(addon, ["v1alpha1", "v1alpha2"], "v1alpha2");
      const entry = await waitFor("the config values", async () => values.entry(CLUSTER, addon));
      expect(entry).toMatchObject({ version: "v1alpha1", values: { name: "old", legacy: "kept" } });
      expect(seen).toContain(`${CLUSTER}/${addon}`);
    } finally {
      await values.stop();
    }

    // New objects are checked against the new schema.
    await remove(addon);
    const msg = await refused(addon, { ...configObject(addon, { name: "x" }, "v1alpha2") });
    expect(msg).toMatch(/spec\.values\.name: Invalid value: "x": spec\.values\.name in body should be at least 2 chars long/);
  });
});

describe("the config CRD controller", () => {
  const cmas = () => new Informer<ClusterManagementAddOn>({ clients, resource: resources.clusterManagementAddOns, logger });
  const cmaBody = (name: string, spec: Record<string, unknown>) => ({ apiVersion: "addon.flotilla.dev/v1alpha1", kind: "ClusterManagementAddOn", metadata: { name }, spec });
  const condition = async (name: string) =>
    ((await custom.getClusterCustomObject({ group: "addon.flotilla.dev", version: "v1alpha1", plural: "clustermanagementaddons", name })) as ClusterManagementAddOn).status?.conditions?.find((c) => c.type === "ConfigCRDReady");

  it("generates the CRD from a CMA, says what was widened, serves the cluster's values, and adds a version when the schema changes", async () => {
    const inf = cmas();
    const ac = new AbortController();
    const changed: string[] = [];
    const controller = new ConfigCrdController({ clients, cmas: inf, logger, clock: systemClock, onValuesChange: (c, a) => changed.push(`${c}/${a}`) });
    void inf.start();
    await inf.synced;
    controller.start(ac.signal);
    try {
      const schema = chartSchema("external-dns", "external-dns-1.21.1.tgz");
      const source = { helm: { repoURL: "oci://reg.example.com/charts", chart: "external-dns", version: "1.21.1" } };
      await custom.createClusterCustomObject({ group: "addon.flotilla.dev", version: "v1alpha1", plural: "clustermanagementaddons", body: cmaBody("dns", { source, valuesSchema: schema, configCRD: { generate: true } }) });
      const ready = await waitFor("ConfigCRDReady=True", async () => ((await condition("dns"))?.status === "True" ? condition("dns") : undefined), 60_000);
      expect(ready).toMatchObject({ reason: "Generated" });
      expect(ready?.message).toContain("DnsConfig (dnsconfigs.config.addon.flotilla.dev) serves v1alpha1");
      expect(ready?.message).toContain(".extraArgs (type: [array, object])");

      await create("dns", configObject("dns", { policy: "upsert-only" }));
      await waitFor("valuesFor", async () => controller.valuesFor(CLUSTER, "dns"));
      expect(controller.valuesFor(CLUSTER, "dns")).toEqual({ policy: "upsert-only" });
      expect(changed).toContain(`${CLUSTER}/dns`);

      // A new chart version whose schema changed: a second served version.
      const next = structuredClone(schema) as { properties: Record<string, unknown> };
      next.properties.zone = { type: "string" };
      await custom.patchClusterCustomObject({ group: "addon.flotilla.dev", version: "v1alpha1", plural: "clustermanagementaddons", name: "dns", body: { spec: { valuesSchema: next, source: { helm: { ...source.helm, version: "1.22.0" } } } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
      await waitFor("v1alpha2 in the condition", async () => (await condition("dns"))?.message?.includes("serves v1alpha1, v1alpha2"));
      const crd = (await readCrd(clients, "dnsconfigs.config.addon.flotilla.dev")) as ConfigCrd;
      expect(JSON.parse(crd.metadata.annotations["config.addon.flotilla.dev/versions"]!)).toEqual([
        { name: "v1alpha1", chartVersion: "1.21.1", schemaHash: expect.any(String) },
        { name: "v1alpha2", chartVersion: "1.22.0", schemaHash: expect.any(String) },
      ]);
      await waitFor("values still served after the move to v1alpha2", async () => controller.valuesFor(CLUSTER, "dns")?.policy === "upsert-only");

      // A schema the conversion rejects: the condition says why, the CRD stays.
      await custom.createClusterCustomObject({ group: "addon.flotilla.dev", version: "v1alpha1", plural: "clustermanagementaddons", body: cmaBody("scalar", { source, valuesSchema: { type: "string" }, configCRD: { generate: true } }) });
      const rejected = await waitFor("ConfigCRDReady=False", async () => ((await condition("scalar"))?.status === "False" ? condition("scalar") : undefined), 60_000);
      expect(rejected).toMatchObject({ reason: "SchemaRejected", message: expect.stringContaining("NotAnObjectSchema") });

      // Generation turned off: the condition goes; the CRDs stay (deleting one would delete every config object).
      await custom.patchClusterCustomObject({ group: "addon.flotilla.dev", version: "v1alpha1", plural: "clustermanagementaddons", name: "scalar", body: { spec: { configCRD: { generate: false } } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
      await waitFor("ConfigCRDReady gone", async () => (await condition("scalar")) === undefined);
      expect(await readCrd(clients, "dnsconfigs.config.addon.flotilla.dev")).toBeDefined();
    } finally {
      ac.abort();
      await inf.stop();
    }
  });
});
