import { describe, expect, it } from "vitest";
import { ValuesValidator, valuesPath, type ValuesValidation } from "./validator.js";

const schema = {
  type: "object",
  properties: {
    replicas: { type: "integer", minimum: 0 },
    greeting: { type: "string" },
    image: { type: "object", properties: { tag: { type: "string" } }, additionalProperties: false },
    ports: { type: "array", items: { type: "integer", maximum: 65535 } },
    mode: { enum: ["a", "b"] },
    url: { type: "string", format: "uri" },
  },
};

describe("ValuesValidator.validate", () => {
  const v = new ValuesValidator();
  it.each<[string, unknown, unknown, ValuesValidation]>([
    ["valid values", schema, { replicas: 2, greeting: "hi" }, { ok: true }],
    ["empty values against a schema without required", schema, {}, { ok: true }],
    ["a minimum names the path", schema, { replicas: -1 }, { ok: false, errors: ["values.replicas: must be >= 0"] }],
    ["a wrong type", schema, { greeting: 3 }, { ok: false, errors: ["values.greeting: must be string"] }],
    ["nested and additional properties", schema, { image: { tag: 1, pull: "x" } }, { ok: false, errors: ["values.image: must NOT have additional properties (pull)", "values.image.tag: must be string"] }],
    ["array items", schema, { ports: [80, 70000] }, { ok: false, errors: ["values.ports[1]: must be <= 65535"] }],
    ["enum lists the allowed values", schema, { mode: "c" }, { ok: false, errors: ['values.mode: must be equal to one of the allowed values: "a", "b"'] }],
    ["formats are checked", schema, { url: "not a uri" }, { ok: false, errors: ['values.url: must match format "uri"'] }],
    ["the root", { type: "object", required: ["greeting"] }, {}, { ok: false, errors: ["values: must have required property 'greeting'"] }],
    ["every error, not just the first", schema, { replicas: -1, greeting: 3 }, { ok: false, errors: ["values.replicas: must be >= 0", "values.greeting: must be string"] }],
    [
      "errors are capped",
      { type: "object", additionalProperties: { type: "string" } },
      { a: 1, b: 1, c: 1, d: 1, e: 1, f: 1, g: 1 },
      { ok: false, errors: ["values.a: must be string", "values.b: must be string", "values.c: must be string", "values.d: must be string", "values.e: must be string", "and 2 more"] },
    ],
    ["unknown keywords are ignored (strict: false)", { type: "object", "x-helm-thing": true }, {}, { ok: true }],
    ["true accepts anything", true, { anything: 1 }, { ok: true }],
    ["false accepts nothing", false, {}, { ok: false, errors: ["values: boolean schema is false"] }],
    ["a schema that does not compile", { type: "object", properties: { replicas: { minimum: "zero" } } }, {}, { ok: false, errors: ["valuesSchema: schema is invalid: data/properties/replicas/minimum must be number"] }],
    ["an unresolvable $ref", { $ref: "https://example.com/s.json" }, {}, { ok: false, errors: ["valuesSchema: can't resolve reference https://example.com/s.json from id #"] }],
    ["a schema that is not an object", "object", {}, { ok: false, errors: ["valuesSchema: must be an object or a boolean"] }],
  ])("%s", (_n, s, values, want) => {
    expect(v.validate(s, values)).toEqual(want);
  });
});

describe("valuesPath", () => {
  it.each([
    ["", "values"],
    ["/replicas", "values.replicas"],
    ["/a/0/b", "values.a[0].b"],
    ["/a~1b/c~0d", 'values["a/b"]["c~d"]'],
    ["/app.kubernetes.io", 'values["app.kubernetes.io"]'],
  ])("%s → %s", (p, want) => {
    expect(valuesPath(p)).toBe(want);
  });
});

describe("ValuesValidator cache", () => {
  it("compiles a schema once, whatever its key order or object identity", () => {
    const v = new ValuesValidator();
    v.validate({ type: "object", properties: { a: { type: "string" } } }, {});
    v.validate({ properties: { a: { type: "string" } }, type: "object" }, {});
    expect(v.size).toBe(1);
  });

  it("is bounded, dropping the least recently used", () => {
    const v = new ValuesValidator({ maxSchemas: 2 });
    const s = (n: number) => ({ type: "object", properties: { r: { minimum: n } } });
    v.validate(s(1), {});
    v.validate(s(2), {});
    v.validate(s(1), {});
    v.validate(s(3), {});
    expect(v.size).toBe(2);
    // s(1) was used last before s(3), so it is still right; s(2) is compiled again and still right.
    expect(v.validate(s(1), { r: 0 })).toEqual({ ok: false, errors: ["values.r: must be >= 1"] });
    expect(v.validate(s(2), { r: 1 })).toEqual({ ok: false, errors: ["values.r: must be >= 2"] });
  });

  it("does not mutate or hold on to the caller's schema", () => {
    const v = new ValuesValidator();
    const s = { type: "object", properties: { r: { minimum: 1 } } };
    expect(v.validate(s, { r: 0 }).ok).toBe(false);
    s.properties.r.minimum = 0;
    expect(s).toEqual({ type: "object", properties: { r: { minimum: 0 } } });
    expect(v.validate(s, { r: 0 })).toEqual({ ok: true });
  });

  it("two schemas with the same $id both work", () => {
    const v = new ValuesValidator();
    const a = { $id: "https://example.com/values.json", type: "object", properties: { r: { minimum: 1 } } };
    const b = { ...a, properties: { r: { minimum: 5 } } };
    expect(v.validate(a, { r: 2 })).toEqual({ ok: true });
    expect(v.validate(b, { r: 2 })).toEqual({ ok: false, errors: ["values.r: must be >= 5"] });
    expect(v.validate(a, { r: 2 })).toEqual({ ok: true });
  });

  it("caches a schema that does not compile", () => {
    const v = new ValuesValidator();
    const bad = { type: "nonsense" };
    expect(v.validate(bad, {}).ok).toBe(false);
    expect(v.validate(bad, {}).ok).toBe(false);
    expect(v.size).toBe(1);
  });
});
