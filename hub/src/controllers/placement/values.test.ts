import { describe, expect, it } from "vitest";
import { ValuesValidator } from "@flotilla/shared";
import type { ClusterManagementAddOnSpec } from "../../api/types.js";
import { addonValueLayers, valuesCondition, type InvalidClusterValues } from "./values.js";

const validator = new ValuesValidator();
const validate = (schema: unknown, values: unknown) => validator.validate(schema, values);
const valuesSchema = { type: "object", properties: { replicas: { type: "integer", minimum: 0 }, greeting: { type: "string" } } };
const base: ClusterManagementAddOnSpec = {
  source: { manifests: [] },
  values: { replicas: 1, greeting: "hi" },
  valuesSchema,
  installStrategy: { type: "Placements", placements: [{ name: "dev", values: { greeting: "dev" } }, { name: "prod", values: { replicas: 3 } }] },
};
const withPlacementValues = (prod: Record<string, unknown>): ClusterManagementAddOnSpec => ({
  ...base,
  installStrategy: { type: "Placements", placements: [{ name: "dev" }, { name: "prod", values: prod }] },
});
const bad = (cluster: string, message = "values.replicas: must be >= 0"): InvalidClusterValues => ({ cluster, message });

describe("valuesCondition", () => {
  it.each<[string, ClusterManagementAddOnSpec, InvalidClusterValues[], string, string]>([
    ["no schema: nothing to check", { ...base, valuesSchema: undefined }, [], "True/NoSchema", ""],
    ["no schema of its own, but a cluster failed its chart's values.schema.json", { ...base, valuesSchema: undefined }, [bad("c1")], "False/ValuesInvalid", "values invalid on 1 cluster(s): c1: values.replicas: must be >= 0"],
    ["CMA and placement values satisfy the schema", base, [], "True/ValuesValid", "values satisfy valuesSchema on every targeted cluster"],
    ["the CMA's own values fail where no placement overrides them", { ...base, values: { replicas: -1 } }, [], "False/ValuesInvalid", 'placement "dev": values.replicas: must be >= 0'],
    ["the first failing placement is named, the others counted", { ...base, values: { replicas: -1, greeting: 1 } }, [], "False/ValuesInvalid", 'placement "dev": values.replicas: must be >= 0 (and 1 more value sets)'],
    ["a placement's values fail, named", withPlacementValues({ replicas: -2, greeting: 7 }), [], "False/ValuesInvalid", 'placement "prod": values.replicas: must be >= 0; values.greeting: must be string'],
    ["a placement fixes the CMA's values", { ...withPlacementValues({ replicas: 2 }), installStrategy: { type: "Placements", placements: [{ name: "prod", values: { replicas: 2 } }] }, values: { replicas: -1 } }, [], "True/ValuesValid", "values satisfy valuesSchema on every targeted cluster"],
    ["Manual: the CMA's values alone count too", { ...base, values: { replicas: -1 }, installStrategy: { type: "Manual", placements: [{ name: "p", values: { replicas: 1 } }] } }, [], "False/ValuesInvalid", "spec.values: values.replicas: must be >= 0"],
    ["no placements: the CMA's values", { ...base, values: { greeting: 1 }, installStrategy: undefined }, [], "False/ValuesInvalid", "spec.values: values.greeting: must be string"],
    ["per-cluster failures, the first error of each", base, [bad("cluster-2", "values.replicas: must be >= 0; values.greeting: must be string")], "False/ValuesInvalid", "values invalid on 1 cluster(s): cluster-2: values.replicas: must be >= 0"],
    ["a few clusters named, sorted", base, [bad("d"), bad("b"), bad("a"), bad("c")], "False/ValuesInvalid", "values invalid on 4 cluster(s): a: values.replicas: must be >= 0; b: values.replicas: must be >= 0; c: values.replicas: must be >= 0; and 1 more"],
    ["addon-level first, clusters after", withPlacementValues({ replicas: -2 }), [bad("c1")], "False/ValuesInvalid", 'placement "prod": values.replicas: must be >= 0 (values invalid on 1 cluster(s): c1: values.replicas: must be >= 0)'],
    ["a schema that does not compile", { ...base, valuesSchema: { type: "nonsense" } }, [], "False/InvalidSchema", "valuesSchema: schema is invalid"],
  ])("%s", (_n, spec, invalidClusters, want, message) => {
    const c = valuesCondition({ spec, validate, invalidClusters });
    expect(c.type).toBe("ValuesValid");
    expect(`${c.status}/${c.reason}`).toBe(want);
    if (want.endsWith("InvalidSchema")) expect(c.message).toMatch(new RegExp(`^${message}`));
    else expect(c.message).toBe(message);
  });
});

describe("addonValueLayers", () => {
  it("merges the CMA's values under each placement's", () => {
    expect(addonValueLayers(base)).toEqual([
      { where: 'placement "dev"', values: { replicas: 1, greeting: "dev" } },
      { where: 'placement "prod"', values: { replicas: 3, greeting: "hi" } },
    ]);
  });
});
