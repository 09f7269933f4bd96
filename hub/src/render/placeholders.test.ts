import { describe, expect, it } from "vitest";
import { PlaceholderError, renderString, renderTree, type RenderContext } from "./placeholders.js";

const ctx: RenderContext = {
  values: { replicas: 3, enabled: false, name: "m", nested: { level: "warn", list: [1, 2] }, nothing: null },
  cluster: { name: "eu-1", labels: { region: "eu", env: "prod" } },
};

describe("renderString", () => {
  it.each([
    ["a lone placeholder keeps a number", "{{ .Values.replicas }}", 3],
    ["a lone placeholder keeps a boolean", "{{ .Values.enabled }}", false],
    ["a lone placeholder keeps an object", "{{ .Values.nested }}", { level: "warn", list: [1, 2] }],
    ["a lone placeholder keeps null", "{{ .Values.nothing }}", null],
    ["no spaces", "{{.Values.replicas}}", 3],
    ["trim markers", "{{- .Values.replicas -}}", 3],
    ["cluster name", "{{ .Cluster.Name }}", "eu-1"],
    ["cluster label", "{{ .Cluster.Labels.region }}", "eu"],
    ["interpolated string", "hello from {{ .Cluster.Name }}", "hello from eu-1"],
    ["interpolated number", "n={{ .Values.replicas }}", "n=3"],
    ["two placeholders", "{{ .Values.name }}-{{ .Cluster.Labels.env }}", "m-prod"],
    ["interpolated object is JSON", "x {{ .Values.nested.list }}", "x [1,2]"],
    ["interpolated null is empty", "[{{ .Values.nothing }}]", "[]"],
    ["plain strings pass", "no placeholders", "no placeholders"],
    ["whole values map", "{{ .Values }}", ctx.values],
  ])("%s", (_name, input, want) => {
    expect(renderString(input, ctx, "spec.x")).toEqual(want);
  });

  it.each([
    ["unknown values path", "{{ .Values.missing.deep }}", ".Values.missing.deep is not defined (at spec.x)"],
    ["path through a scalar", "{{ .Values.replicas.x }}", ".Values.replicas.x is not defined (at spec.x)"],
    ["unknown label", "a-{{ .Cluster.Labels.zone }}", ".Cluster.Labels.zone is not defined (at spec.x)"],
    ["unknown root", "{{ .Chart.Name }}", "unknown placeholder {{ .Chart.Name }} (at spec.x)"],
    ["unknown cluster field", "{{ .Cluster.Region }}", "unknown placeholder {{ .Cluster.Region }} (at spec.x)"],
    ["no logic", "{{ if .Values.enabled }}", "unsupported placeholder {{ if .Values.enabled }} (at spec.x)"],
    ["no functions", "{{ .Values.name | upper }}", "unsupported placeholder"],
  ])("rejects %s", (_name, input, message) => {
    expect(() => renderString(input, ctx, "spec.x")).toThrowError(PlaceholderError);
    expect(() => renderString(input, ctx, "spec.x")).toThrowError(message);
  });
});

describe("renderTree", () => {
  it("renders values at any depth, leaves keys alone and names the path on errors", () => {
    const tree = { "{{ .Values.name }}": "k", spec: { replicas: "{{ .Values.replicas }}", args: ["--region={{ .Cluster.Labels.region }}", 7] } };
    expect(renderTree(tree, ctx, "")).toEqual({ "{{ .Values.name }}": "k", spec: { replicas: 3, args: ["--region=eu", 7] } });
    expect(() => renderTree({ spec: { a: [{ b: "{{ .Values.x }}" }] } }, ctx, "")).toThrowError("(at spec.a[0].b)");
  });

  it("copies typed values, so rendered output never aliases the values", () => {
    const out = renderTree({ v: "{{ .Values.nested }}" }, ctx, "") as { v: { level: string } };
    out.v.level = "changed";
    expect((ctx.values.nested as { level: string }).level).toBe("warn");
  });
});

describe("renderTree with hostile keys", () => {
  it("keeps a key named __proto__ as a key", () => {
    const ctx: RenderContext = { values: {}, cluster: { name: "c1", labels: {} } };
    const out = renderTree(JSON.parse('{"data":{"__proto__":"{{ .Cluster.Name }}"}}'), ctx, "");
    expect(JSON.stringify(out)).toBe('{"data":{"__proto__":"c1"}}');
  });
});
