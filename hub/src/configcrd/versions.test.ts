import { describe, expect, it } from "vitest";
import { configCrd } from "./crd.js";
import { configNames } from "./names.js";
import type { StructuralSchema } from "./types.js";
import { existingVersions, fitCrd, planVersions, schemaHash } from "./versions.js";

const A: StructuralSchema = { type: "object", properties: { a: { type: "string" } } };
const B: StructuralSchema = { type: "object", properties: { b: { type: "integer" } } };
/** The CRD as the API server hands it back: JSON, no shared references. */
const stored = (plan: ReturnType<typeof planVersions>) => JSON.parse(JSON.stringify(configCrd({ addon: "cert-manager", versions: plan.versions }))) as unknown;

describe("planVersions", () => {
  const first = planVersions(undefined, A, "1.0.0");
  it.each<[string, () => ReturnType<typeof planVersions>, { change: string; names: string[]; newest: string; charts: (string | undefined)[] }]>([
    ["no CRD yet", () => first, { change: "Created", names: ["v1alpha1"], newest: "v1alpha1", charts: ["1.0.0"] }],
    ["same schema, same chart", () => planVersions(stored(first), A, "1.0.0"), { change: "Unchanged", names: ["v1alpha1"], newest: "v1alpha1", charts: ["1.0.0"] }],
    ["same schema, no chart version (manifests)", () => planVersions(stored(first), A, undefined), { change: "Unchanged", names: ["v1alpha1"], newest: "v1alpha1", charts: ["1.0.0"] }],
    ["same schema, new chart", () => planVersions(stored(first), A, "1.0.1"), { change: "ChartVersionRecorded", names: ["v1alpha1"], newest: "v1alpha1", charts: ["1.0.1"] }],
    ["new schema", () => planVersions(stored(first), B, "2.0.0"), { change: "Added", names: ["v1alpha1", "v1alpha2"], newest: "v1alpha2", charts: ["1.0.0", "2.0.0"] }],
    ["back to the old schema adds a third", () => planVersions(stored(planVersions(stored(first), B, "2.0.0")), A, "1.0.0"), { change: "Added", names: ["v1alpha1", "v1alpha2", "v1alpha3"], newest: "v1alpha3", charts: ["1.0.0", "2.0.0", "1.0.0"] }],
  ])("%s", (_, plan, want) => {
    const p = plan();
    expect({ change: p.change, names: p.versions.map((v) => v.name), newest: p.newest, charts: p.versions.map((v) => v.chartVersion) }).toEqual(want);
  });

  it("keeps old versions served and makes the newest the storage version", () => {
    const crd = configCrd({ addon: "cert-manager", versions: planVersions(stored(first), B, "2.0.0").versions });
    expect(crd.spec.versions.map((v) => [v.name, v.served, v.storage])).toEqual([["v1alpha1", true, false], ["v1alpha2", true, true]]);
    expect(crd.spec.versions[0]!.schema.openAPIV3Schema.properties?.spec?.properties?.values?.properties).toEqual(A.properties);
  });

  it("hashes a version the annotation does not know from its schema", () => {
    const crd = stored(first) as { metadata: { annotations: Record<string, string> } };
    delete crd.metadata.annotations["config.addon.flotilla.dev/versions"];
    expect(existingVersions(crd)).toEqual([{ name: "v1alpha1", values: expect.any(Object), schemaHash: expect.any(String) }]);
    expect(planVersions(crd, A, "1.0.0").change).not.toBe("Created");
  });
});

describe("fitCrd", () => {
  const big: StructuralSchema = { type: "object", description: "x".repeat(5000), properties: { a: { type: "string", description: "y".repeat(5000) } } };
  const versions = [
    { name: "v1alpha1", values: big, schemaHash: schemaHash(big) },
    { name: "v1alpha2", values: big, schemaHash: "other" },
  ];
  it.each<[string, number, boolean, number]>([
    ["fits as is", 1e6, true, 2],
    ["older descriptions dropped first", 19_000, true, 1],
    ["all descriptions dropped", 6_000, true, 0],
    ["too large even so", 1_000, false, 0],
  ])("%s", (_, maxCrdBytes, ok, descriptions) => {
    const r = fitCrd("cert-manager", versions, { maxDepth: 32, maxNodes: 1000, maxCrdBytes });
    expect(r.ok).toBe(ok);
    if (r.ok) expect(JSON.stringify(r.crd).split("y".repeat(5000)).length - 1).toBe(descriptions);
  });
});

describe("configNames", () => {
  it.each([
    ["cert-manager", "CertManagerConfig", "certmanagerconfigs"],
    ["external-dns", "ExternalDnsConfig", "externaldnsconfigs"],
    ["a", "AConfig", "aconfigs"],
    ["1password", "Addon1passwordConfig", "addon1passwordconfigs"],
  ])("%s → %s", (addon, kind, plural) => {
    expect(configNames(addon)).toMatchObject({ kind, plural, listKind: `${kind}List`, singular: kind.toLowerCase() });
  });

  it("refuses a name whose plural passes 63 characters", () => {
    expect(() => configNames("a".repeat(60))).toThrow(/63 characters/);
  });
});
