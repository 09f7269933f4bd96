import { describe, expect, it } from "vitest";
import { ValuesValidator } from "@flotilla/shared";
import type { ClusterManagementAddOnSpec } from "../api/types.js";
import { effectiveValues, matchingPlacement, renderBundle, type RenderInput } from "./bundle.js";

const validator = new ValuesValidator();
const validateValues = (schema: unknown, values: unknown) => validator.validate(schema, values);

const spec: ClusterManagementAddOnSpec = {
  installNamespace: "metrics",
  values: { replicas: 1, logLevel: "info", image: { tag: "1.0" } },
  source: {
    manifests: [
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg" }, data: { cluster: "{{ .Cluster.Name }}", level: "{{ .Values.logLevel }}" } },
      { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "agent" }, spec: { replicas: "{{ .Values.replicas }}" } },
    ],
  },
  installStrategy: {
    type: "Placements",
    placements: [
      { name: "all", clusterSelector: {}, values: { logLevel: "debug" } },
      { name: "prod", clusterSelector: { matchLabels: { env: "prod" } }, values: { logLevel: "warn", replicas: 2 } },
    ],
  },
};

describe("effectiveValues", () => {
  it.each([
    ["dev cluster: CMA < first placement", { env: "dev" }, undefined, { replicas: 1, logLevel: "debug", image: { tag: "1.0" } }],
    ["prod cluster: the last matching placement wins", { env: "prod" }, undefined, { replicas: 2, logLevel: "warn", image: { tag: "1.0" } }],
    ["MCA values win over all", { env: "prod" }, { replicas: 5, image: { pull: "Always" } }, { replicas: 5, logLevel: "warn", image: { tag: "1.0", pull: "Always" } }],
  ])("%s", (_n, labels, mcaValues, want) => {
    expect(effectiveValues(spec, labels, mcaValues ? { clusterValues: mcaValues } : {})).toEqual(want);
  });

  it("finds no placement when none matches", () => {
    expect(matchingPlacement({ source: {}, installStrategy: { type: "Placements", placements: [{ name: "p", clusterSelector: { matchLabels: { a: "b" } } }] } }, {})).toBeUndefined();
  });
});

describe("renderBundle", () => {
  it("renders a typed, per-cluster bundle", () => {
    const r = renderBundle({ addon: "metrics", revision: "metrics-abc", spec, cluster: { name: "eu-1", labels: { env: "prod" } }, validateValues });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.bundle).toEqual({
      version: 1,
      kind: "DesiredBundle",
      cluster: "eu-1",
      addon: "metrics",
      revision: "metrics-abc",
      installNamespace: "metrics",
      driftPolicy: "Correct",
      objects: [
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg" }, data: { cluster: "eu-1", level: "warn" } },
        { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "agent" }, spec: { replicas: 2 } },
      ],
    });
  });

  it("carries the addon's health checks, and leaves the field out when there are none", () => {
    const healthChecks = [{ kind: "ConfigMap", name: "cfg", cel: [{ expression: 'object.data.level == "warn"', message: "level not set" }] }];
    const r = renderBundle({ addon: "metrics", revision: "metrics-abc", spec: { ...spec, healthChecks }, cluster: { name: "eu-1", labels: {} }, validateValues });
    expect(r.ok && r.bundle.healthChecks).toEqual(healthChecks);
    const none = renderBundle({ addon: "metrics", revision: "metrics-abc", spec: { ...spec, healthChecks: [] }, cluster: { name: "eu-1", labels: {} }, validateValues });
    expect(none.ok && "healthChecks" in none.bundle).toBe(false);
  });

  it("carries the declared permissions, and leaves the field out when none are declared", () => {
    const permissions = [{ kinds: ["ConfigMap"], namespaces: ["metrics"] }, { group: "apps", kinds: ["Deployment"] }];
    const r = renderBundle({ addon: "metrics", revision: "metrics-abc", spec: { ...spec, permissions }, cluster: { name: "eu-1", labels: {} }, validateValues });
    expect(r.ok && r.bundle.permissions).toEqual(permissions);
    const none = renderBundle({ addon: "metrics", revision: "metrics-abc", spec: { ...spec, permissions: [] }, cluster: { name: "eu-1", labels: {} }, validateValues });
    expect(none.ok && "permissions" in none.bundle).toBe(false);
  });

  it("names the object and the path of an unknown placeholder", () => {
    const bad: ClusterManagementAddOnSpec = { ...spec, source: { manifests: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "x" }, data: { a: "{{ .Values.nope }}" } }] } };
    const r = renderBundle({ addon: "m", revision: "m-1", spec: bad, cluster: { name: "c1", labels: {} }, validateValues });
    expect(r).toEqual({ ok: false, reason: "RenderFailed", message: "manifests[0] (ConfigMap x/c): .Values.nope is not defined (at data.a)" });
  });

  it.each([
    ["no kind", { apiVersion: "v1", metadata: { name: "a" } }, "kind is missing"],
    ["no name", { apiVersion: "v1", kind: "ConfigMap", metadata: {} }, "metadata.name is missing"],
    ["a name that renders empty", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "{{ .Values.empty }}" } }, "metadata.name is missing"],
    ["not an object", "just a string", "not an object"],
  ])("rejects a manifest with %s", (_n, manifest, msg) => {
    const r = renderBundle({ addon: "m", revision: "m-1", spec: { values: { empty: "" }, source: { manifests: [manifest as never] } }, cluster: { name: "c1", labels: {} }, validateValues });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe("InvalidManifest");
      expect(r.message).toContain(msg);
    }
  });

  it("does not render helm sources yet", () => {
    const r = renderBundle({ addon: "m", revision: "m-1", spec: { source: { helm: { repoURL: "https://charts.example.com", chart: "x" } } }, cluster: { name: "c1", labels: {} }, validateValues });
    expect(r).toMatchObject({ ok: false, reason: "UnsupportedSource" });
  });

  describe("values against valuesSchema", () => {
    const schema = { type: "object", properties: { replicas: { type: "integer", minimum: 0 }, logLevel: { enum: ["debug", "info", "warn"] } } };
    const input = (over: Partial<RenderInput>): RenderInput => ({
      addon: "metrics",
      revision: "metrics-abc",
      spec: { ...spec, valuesSchema: schema },
      cluster: { name: "eu-1", labels: { env: "prod" } },
      validateValues,
      ...over,
    });
    it.each<[string, Partial<RenderInput>, string | undefined]>([
      ["valid merged values render", {}, undefined],
      ["the MCA's values are checked merged with the rest", { clusterValues: { replicas: -1 } }, "values.replicas: must be >= 0"],
      ["a placement's values are checked", { spec: { ...spec, valuesSchema: schema, installStrategy: { type: "Placements", placements: [{ name: "p", values: { logLevel: "loud" } }] } } }, 'values.logLevel: must be equal to one of the allowed values: "debug", "info", "warn"'],
      ["an MCA can fix what the CMA got wrong", { spec: { ...spec, values: { replicas: -1, logLevel: "info" }, valuesSchema: schema, installStrategy: { type: "Manual" } }, clusterValues: { replicas: 1 } }, undefined],
      ["every error is listed", { clusterValues: { replicas: -1, logLevel: "loud" } }, 'values.replicas: must be >= 0; values.logLevel: must be equal to one of the allowed values: "debug", "info", "warn"'],
      ["a schema that does not compile fails the render", { spec: { ...spec, valuesSchema: { type: "nonsense" } } }, "valuesSchema: schema is invalid"],
      ["no schema, no check", { spec, clusterValues: { replicas: -1 } }, undefined],
    ])("%s", (_n, over, error) => {
      const r = renderBundle(input(over));
      if (error === undefined) expect(r.ok).toBe(true);
      else expect(r).toMatchObject({ ok: false, reason: "ValuesInvalid", message: expect.stringContaining(error) as unknown });
    });

    it("checks values before rendering: invalid values never reach a placeholder", () => {
      const r = renderBundle(input({ clusterValues: { replicas: "{{ .Values.nope }}" } }));
      expect(r).toEqual({ ok: false, reason: "ValuesInvalid", message: "values.replicas: must be integer" });
    });
  });
});
