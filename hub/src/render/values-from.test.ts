import { describe, expect, it } from "vitest";
import { valuesFrom, type ValuesLookup } from "./values-from.js";

const b64 = (s: string) => Buffer.from(s).toString("base64");
const objects: Record<string, { data?: Record<string, string> }> = {
  "ConfigMap/ns/base": { data: { "values.yaml": "replicas: 2\nimage: {tag: v1}\nmode: 0644\n" } },
  "ConfigMap/ns/other-key": { data: { "prod.yaml": "replicas: 5\n" } },
  "Secret/ns/creds": { data: { "values.yaml": b64("password: hunter2\nimage: {pullSecret: reg}\n") } },
  "ConfigMap/ns/bad": { data: { "values.yaml": "a: [1, 2\n" } },
  "ConfigMap/ns/list": { data: { "values.yaml": "- a\n- b\n" } },
  "ConfigMap/ns/empty": { data: { "values.yaml": "" } },
};
const lookup: ValuesLookup = (kind, namespace, name) => objects[`${kind}/${namespace}/${name}`];

describe("valuesFrom", () => {
  it("merges the objects in order, Secrets decoded, YAML 1.1 as the API server reads it", () => {
    const r = valuesFrom(
      [
        { kind: "ConfigMap", namespace: "ns", name: "base" },
        { kind: "Secret", namespace: "ns", name: "creds" },
        { kind: "ConfigMap", namespace: "ns", name: "other-key", valuesKey: "prod.yaml" },
      ],
      lookup,
    );
    expect(r).toEqual({ ok: true, values: { replicas: 5, image: { tag: "v1", pullSecret: "reg" }, mode: 420, password: "hunter2" } });
  });

  it.each([
    ["no references", undefined, { ok: true, values: undefined }],
    ["an empty document", [{ kind: "ConfigMap" as const, namespace: "ns", name: "empty" }], { ok: true, values: undefined }],
    ["a missing optional object", [{ kind: "ConfigMap" as const, namespace: "ns", name: "gone", optional: true }], { ok: true, values: undefined }],
  ])("%s", (_n, refs, want) => {
    expect(valuesFrom(refs, lookup)).toEqual(want);
  });

  it.each([
    ["a missing object", { kind: "ConfigMap" as const, namespace: "ns", name: "gone" }, "ValuesFromNotFound", "ConfigMap ns/gone is not there (or lacks the label addon.flotilla.dev/values=true)"],
    ["a missing key", { kind: "ConfigMap" as const, namespace: "ns", name: "other-key" }, "ValuesFromNotFound", "has no key values.yaml"],
    ["bad YAML", { kind: "ConfigMap" as const, namespace: "ns", name: "bad" }, "ValuesFromInvalid", "not YAML"],
    ["a list", { kind: "ConfigMap" as const, namespace: "ns", name: "list" }, "ValuesFromInvalid", "not a map of values"],
  ])("refuses %s, naming the object and key", (_n, ref, reason, text) => {
    const r = valuesFrom([ref], lookup);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe(reason);
      expect(r.message).toContain(text);
      expect(r.message).toContain("valuesFrom[0]");
    }
  });

  it("never puts a Secret's data in a message", () => {
    const r = valuesFrom([{ kind: "Secret", namespace: "ns", name: "creds", valuesKey: "other" }], lookup);
    expect(JSON.stringify(r)).not.toContain("hunter2");
  });
});
