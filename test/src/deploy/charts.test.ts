// Flotilla's Helm charts without helm: their copies of crds/ and deploy/rbac/ are current, the sync refuses a
// source it cannot rewrite, the chart version follows Flotilla's, and each README lists every value.
// test/src/integration/deploy-charts.test.ts renders, lints and installs them with the real helm.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { FLOTILLA_VERSION } from "@flotilla/shared/version";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { FULL, KEPT_DEFAULT } from "./chart-values.js";
import { CHARTS, chartDir, chartValues, readChartFile, repoRoot, valuePaths } from "./charts.js";

interface Rewrite {
  from: string;
  to: string;
  count: number;
}
interface SyncCore {
  RBAC_CHARTS: { chart: string; source: string; rewrites: Rewrite[] }[];
  readInputs(repoRoot: string): { crds: { name: string; text: string }[]; rbac: Record<string, string>; files: Record<string, string> };
  generate(inputs: ReturnType<SyncCore["readInputs"]>): Record<string, string>;
  rbacTemplate(c: { chart: string; source: string; rewrites: Rewrite[] }, text: string): string;
}

// The sync is a plain .mjs script outside src/; import it by path so tsc does not follow it.
const core = (await import(/* @vite-ignore */ pathToFileURL(join(repoRoot, "deploy/charts/sync-core.mjs")).href)) as SyncCore;
const outputs = core.generate(core.readInputs(repoRoot));

describe("the charts' copies of crds/ and deploy/rbac/", () => {
  it.each(Object.keys(outputs))("%s is up to date (run `npm run gen` when this fails)", (file) => {
    expect(readChartFile(file.split("/")[2] as (typeof CHARTS)[number], file.split("/").slice(3).join("/"))).toBe(outputs[file]);
  });

  it("the hub chart's crds/ holds the hub's CRDs and nothing else (the agent installs its own)", () => {
    const synced = Object.keys(outputs).filter((f) => f.includes("/crds/")).map((f) => f.split("/").pop());
    expect(readdirSync(join(chartDir("flotilla-hub"), "crds")).sort()).toEqual(synced.sort());
    expect(synced).not.toContain("agent.flotilla.dev_appliedaddons.yaml");
    expect(synced).toHaveLength(5);
  });
});

describe("rbacTemplate", () => {
  const chart = { chart: "c", source: "s.yaml", rewrites: [] as Rewrite[] };
  const source = [
    "# why the file exists",
    "apiVersion: v1",
    "kind: Namespace",
    "metadata:",
    "  name: flotilla-system",
    "---",
    "# the Role: flotilla-system only",
    "kind: Role",
    "metadata:",
    "  name: r",
    "  namespace: flotilla-system",
    "rules:",
    "  - resourceNames: [flotilla-agent-credentials]",
    "",
  ].join("\n");

  it("drops the Namespace, puts the release's namespace and the chart's labels, and keeps comments as written", () => {
    const out = core.rbacTemplate(chart, source);
    expect(out).not.toContain("kind: Namespace");
    expect(out).toContain("# the Role: flotilla-system only\nkind: Role\nmetadata:\n  labels:\n    {{- include \"c.labels\" . | nindent 4 }}\n  name: r\n  namespace: {{ .Release.Namespace }}\n");
  });

  it.each<[string, Rewrite, RegExp | undefined]>([
    ["a rewrite that matches", { from: "resourceNames: [flotilla-agent-credentials]", to: "resourceNames: [x]", count: 1 }, undefined],
    ["a rewrite whose line is gone", { from: "resourceNames: [other]", to: "resourceNames: [x]", count: 1 }, /"resourceNames: \[other\]" rewrote 0 line\(s\), expected 1/],
    ["a rewrite matching more lines than said", { from: "resourceNames: [flotilla-agent-credentials]", to: "x", count: 2 }, /rewrote 1 line\(s\), expected 2/],
  ])("%s", (_name, rewrite, error) => {
    const run = () => core.rbacTemplate({ ...chart, rewrites: [rewrite] }, source);
    if (error) expect(run).toThrow(error);
    else expect(run()).toContain("resourceNames: [x]");
  });

  it("refuses a document without a kind", () => {
    expect(() => core.rbacTemplate(chart, "metadata:\n  name: x\n")).toThrow(/s.yaml: a document without a kind/);
  });
});

describe.each(CHARTS)("%s", (chart) => {
  it("is versioned as Flotilla is (the image tag defaults to appVersion)", () => {
    const meta = parse(readChartFile(chart, "Chart.yaml")) as { version: string; appVersion: string };
    expect(meta).toMatchObject({ version: FLOTILLA_VERSION, appVersion: FLOTILLA_VERSION });
  });

  it("its schema knows every value, and README.md lists every one", () => {
    const { values, schema } = chartValues(chart);
    const { paths, unknown } = valuePaths(values, schema);
    expect(unknown).toEqual([]);
    const readme = readChartFile(chart, "README.md");
    expect(paths.filter((p) => !readme.includes(`| \`${p}\` |`))).toEqual([]);
  });

  it("the integration test's full values set every value, each away from its default (but those KEPT_DEFAULT names)", () => {
    const { values, schema } = chartValues(chart);
    const full = valuePaths(FULL[chart], schema);
    const defaults = valuePaths(values, schema).paths;
    expect(full.unknown).toEqual([]);
    expect(full.paths.filter((p) => !defaults.includes(p))).toEqual([]);
    const at = (v: unknown, path: string) => path.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], v);
    const unchanged = defaults.filter((p) => JSON.stringify(at(FULL[chart], p) ?? at(values, p)) === JSON.stringify(at(values, p)));
    expect(unchanged).toEqual(Object.keys(KEPT_DEFAULT[chart]));
  });
});
