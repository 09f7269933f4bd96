import semver from "semver";
import { parse } from "yaml";
import { isPlainObject } from "../render/values.js";

export type ChartYamlCheck = { ok: true } | { ok: false; message: string };

/**
 * Whether a Chart.yaml text describes the chart asked for: its `name` equals `chart` and its `version`
 * equals `version` (as a string, or as semver when both parse: `v1.0.0` = `1.0.0`). Pure.
 */
export function checkChartYaml(text: string | undefined, chart: string, version: string): ChartYamlCheck {
  if (text === undefined) return { ok: false, message: "has no Chart.yaml below its top directory" };
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return { ok: false, message: "has a Chart.yaml that is not YAML" };
  }
  const name = isPlainObject(doc) ? doc.name : undefined;
  const found = isPlainObject(doc) ? doc.version : undefined;
  if (typeof name !== "string" || typeof found !== "string") return { ok: false, message: "has a Chart.yaml without name and version" };
  const sameVersion = found === version || (semver.valid(found) !== null && semver.valid(version) !== null && semver.eq(found, version));
  if (name === chart && sameVersion) return { ok: true };
  return { ok: false, message: `holds chart ${name} ${found}; expected ${chart} ${version}` };
}
