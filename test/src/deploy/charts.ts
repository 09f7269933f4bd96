/**
 * Reading Flotilla's own Helm charts (deploy/charts) in tests: where they are, their rendered objects, and
 * which values a chart has (for its README). Pure apart from the file reads, which take the repository root.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { repoRoot as fromRepoRoot } from "../fleet/cli-path.js";

export const CHARTS = ["flotilla-hub", "flotilla-agent"] as const;
export type ChartName = (typeof CHARTS)[number];

/** The repository root, as the fleet finds it (cli-path.ts). */
export const repoRoot = fromRepoRoot();
export const chartDir = (chart: ChartName): string => join(repoRoot, "deploy/charts", chart);
export const readChartFile = (chart: ChartName, file: string): string => readFileSync(join(chartDir(chart), file), "utf8");

export interface ChartObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** The objects of a multi-document manifest (`helm template`, `helm get manifest`), empty documents left out. */
export function parseManifest(text: string): ChartObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as ChartObject | null)
    .filter((o): o is ChartObject => o !== null && typeof o === "object");
}

/** `kind/namespace/name`, or `kind/name` for cluster-scoped objects. */
export const objectKey = (o: ChartObject): string => [o.kind, o.metadata.namespace, o.metadata.name].filter((p) => p !== undefined).join("/");

/** The object without the labels a chart adds (the RBAC files carry none), for comparing it with its source. */
export function withoutLabels(o: ChartObject): ChartObject {
  const { labels: _labels, ...metadata } = o.metadata;
  return { ...o, metadata };
}

interface Schema {
  $ref?: string;
  properties?: Record<string, Schema>;
  allOf?: Schema[];
  definitions?: Record<string, Schema>;
}

/**
 * The paths of a chart's values a reader sets one by one: descends into objects the schema describes
 * property by property; a free-form object (resources, nodeSelector, …) is one value. Names the keys the
 * schema does not know in `unknown`.
 */
export function valuePaths(values: Record<string, unknown>, schema: Schema): { paths: string[]; unknown: string[] } {
  const root = schema;
  const resolve = (s: Schema | undefined): Schema | undefined => {
    const ref = s?.$ref ?? s?.allOf?.find((a) => a.$ref)?.$ref;
    return ref === undefined ? s : root.definitions?.[ref.replace("#/definitions/", "")];
  };
  const paths: string[] = [];
  const unknown: string[] = [];
  const walk = (v: Record<string, unknown>, s: Schema, prefix: string) => {
    for (const [k, child] of Object.entries(v)) {
      const path = `${prefix}${k}`;
      const sub = resolve(s.properties?.[k]);
      if (sub === undefined) unknown.push(path);
      else if (sub.properties && child !== null && typeof child === "object" && !Array.isArray(child)) walk(child as Record<string, unknown>, sub, `${path}.`);
      else paths.push(path);
    }
  };
  walk(values, schema, "");
  return { paths, unknown };
}

/** A chart's default values and schema, as files. */
export function chartValues(chart: ChartName): { values: Record<string, unknown>; schema: Schema } {
  return { values: parse(readChartFile(chart, "values.yaml")) as Record<string, unknown>, schema: JSON.parse(readChartFile(chart, "values.schema.json")) as Schema };
}
