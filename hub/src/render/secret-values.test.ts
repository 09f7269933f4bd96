import { describe, expect, it } from "vitest";
import { inlineSecretsMessage, secretPaths, secretPathsSet } from "./secret-values.js";

const schema = {
  type: "object",
  properties: {
    db: { type: "object", properties: { password: { type: "string", "x-flotilla-secret": true }, host: { type: "string" } } },
    token: { type: "string", "x-flotilla-secret": true },
    replicas: { type: "integer" },
  },
};

describe("secret values", () => {
  it("finds the marked paths", () => {
    expect(secretPaths(schema)).toEqual(["db.password", "token"]);
    expect(secretPaths({ type: "object" })).toEqual([]);
    expect(secretPaths(undefined)).toEqual([]);
  });

  it.each([
    [{ db: { host: "h" }, replicas: 2 }, []],
    [{ db: { password: "p" } }, ["db.password"]],
    [{ token: null }, ["token"]],
    [{ db: "not an object" }, []],
  ])("%j sets %j", (values, expected) => {
    expect(secretPathsSet(values, secretPaths(schema))).toEqual(expected);
  });

  it("names the first inline layer that sets one, and the path, never the value", () => {
    const msg = inlineSecretsMessage(schema, [{ where: "spec.values", values: { replicas: 1 } }, { where: 'placement "prod"', values: { token: "abc123" } }]);
    expect(msg).toMatch(/^placement "prod" sets values.token, marked x-flotilla-secret: take it from a Secret through valuesFrom/);
    expect(msg).not.toContain("abc123");
    expect(inlineSecretsMessage(schema, [{ where: "spec.values", values: { replicas: 1 } }])).toBeUndefined();
  });
});
