import { canonicalJson, sha256Hex } from "@flotilla/shared";
import { DEFAULT_BUDGET, type Budget } from "./budget.js";
import { configCrd, type ConfigCrd, type ConfigVersion } from "./crd.js";
import { isSchemaObject } from "./refs.js";
import { VERSIONS_ANNOTATION } from "./names.js";
import type { StructuralSchema } from "./types.js";

export const FIRST_VERSION = "v1alpha1";

export type VersionChange = "Created" | "Added" | "Unchanged" | "ChartVersionRecorded";

export interface VersionPlan {
  versions: ConfigVersion[];
  change: VersionChange;
  /** The version new objects are written at (the storage version). */
  newest: string;
}

export const schemaHash = (values: StructuralSchema): string => sha256Hex(canonicalJson(values)).slice(0, 16);

/**
 * Which versions the config CRD serves after a chart (version) with this values schema. A schema equal
 * to the newest version's keeps that version (recording the new chart version); a different one adds
 * `v1alphaN+1`, which becomes the storage version, and every older version stays served, so objects
 * written at it still read. Going back to an older chart's schema adds a version too: versions only
 * ever grow, and the newest is always the current chart's.
 */
export function planVersions(existing: unknown, values: StructuralSchema, chartVersion: string | undefined): VersionPlan {
  const hash = schemaHash(values);
  const current = existingVersions(existing);
  const last = current.at(-1);
  const fresh = (name: string): ConfigVersion => ({ name, values, schemaHash: hash, ...(chartVersion ? { chartVersion } : {}) });
  if (!last) return { versions: [fresh(FIRST_VERSION)], change: "Created", newest: FIRST_VERSION };
  if (last.schemaHash === hash) {
    if (last.chartVersion === chartVersion || chartVersion === undefined) return { versions: current, change: "Unchanged", newest: last.name };
    return { versions: [...current.slice(0, -1), { ...last, chartVersion }], change: "ChartVersionRecorded", newest: last.name };
  }
  const name = nextName(current.map((v) => v.name));
  return { versions: [...current, fresh(name)], change: "Added", newest: name };
}

function nextName(names: readonly string[]): string {
  const n = Math.max(0, ...names.map((x) => Number(/^v1alpha(\d+)$/.exec(x)?.[1] ?? 0)));
  return `v1alpha${n + 1}`;
}

/**
 * The versions of a CRD as the hub wrote it: values schemas from `spec.versions`, chart versions and
 * hashes from the annotation (a version the annotation does not know is hashed from its schema).
 */
export function existingVersions(crd: unknown): ConfigVersion[] {
  if (!isSchemaObject(crd)) return [];
  const spec = isSchemaObject(crd.spec) ? crd.spec : {};
  const meta = isSchemaObject(crd.metadata) ? crd.metadata : {};
  const notes = parseNotes(isSchemaObject(meta.annotations) ? meta.annotations[VERSIONS_ANNOTATION] : undefined);
  const out: ConfigVersion[] = [];
  for (const v of Array.isArray(spec.versions) ? spec.versions : []) {
    if (!isSchemaObject(v) || typeof v.name !== "string") continue;
    const values = valuesOf(v);
    if (!values) continue;
    const note = notes.get(v.name);
    out.push({ name: v.name, values, schemaHash: note?.schemaHash ?? schemaHash(values), ...(note?.chartVersion ? { chartVersion: note.chartVersion } : {}) });
  }
  // oldest first, by the number in the name (the API server keeps the order it was given, but be sure)
  return out.sort((a, b) => rank(a.name) - rank(b.name));
}

const rank = (name: string): number => Number(/^v1alpha(\d+)$/.exec(name)?.[1] ?? 0);

function valuesOf(v: Record<string, unknown>): StructuralSchema | undefined {
  const path = ["schema", "openAPIV3Schema", "properties", "spec", "properties", "values"];
  let n: unknown = v;
  for (const k of path) n = isSchemaObject(n) ? n[k] : undefined;
  return isSchemaObject(n) ? (n as StructuralSchema) : undefined;
}

function parseNotes(raw: unknown): Map<string, { chartVersion?: string; schemaHash?: string }> {
  const out = new Map<string, { chartVersion?: string; schemaHash?: string }>();
  if (typeof raw !== "string") return out;
  try {
    const list: unknown = JSON.parse(raw);
    for (const e of Array.isArray(list) ? list : []) {
      if (!isSchemaObject(e) || typeof e.name !== "string") continue;
      out.set(e.name, {
        ...(typeof e.chartVersion === "string" ? { chartVersion: e.chartVersion } : {}),
        ...(typeof e.schemaHash === "string" ? { schemaHash: e.schemaHash } : {}),
      });
    }
  } catch {
    // a hand-edited annotation: every version is hashed from its schema instead
  }
  return out;
}

/**
 * The CRD for a plan, within the size budget: when all versions do not fit, descriptions are left out
 * of the older versions (objects are written at the newest one, where `kubectl explain` matters), then
 * of all; if it still does not fit, it is TooLarge and the caller leaves the CRD as it is.
 */
export function fitCrd(addon: string, versions: readonly ConfigVersion[], budget: Budget = DEFAULT_BUDGET): { ok: true; crd: ConfigCrd; bytes: number } | { ok: false; bytes: number } {
  const attempts: (readonly ConfigVersion[])[] = [
    versions,
    versions.map((v, i) => (i === versions.length - 1 ? v : { ...v, values: withoutDescriptions(v.values) })),
    versions.map((v) => ({ ...v, values: withoutDescriptions(v.values) })),
  ];
  let bytes = 0;
  for (const vs of attempts) {
    const crd = configCrd({ addon, versions: vs });
    bytes = JSON.stringify(crd).length;
    if (bytes <= budget.maxCrdBytes) return { ok: true, crd, bytes };
  }
  return { ok: false, bytes };
}

/** Descriptions removed everywhere (their only cost is size). The hash is of the full schema, so plans do not change. */
export function withoutDescriptions(s: StructuralSchema): StructuralSchema {
  const { description: _d, properties, additionalProperties, items, ...rest } = s;
  return {
    ...rest,
    ...(properties ? { properties: Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, withoutDescriptions(v)])) } : {}),
    ...(additionalProperties ? { additionalProperties: withoutDescriptions(additionalProperties) } : {}),
    ...(items ? { items: withoutDescriptions(items) } : {}),
  };
}
