import { parse } from "yaml";
import { normalizeDigest } from "./digest.js";
import { isPlainObject } from "../render/values.js";

/** One version of a chart in a repository's `index.yaml`. */
export interface IndexEntry {
  version: string;
  /** As written: absolute, or relative to the repository URL. */
  urls: string[];
  /** `sha256:<hex>` when the index gives one (helm's `digest`, bare hex). */
  digest?: string;
}

export type IndexRead =
  | { ok: true; entries: IndexEntry[] }
  | { ok: false; reason: "InvalidRepository" | "ChartNotFound"; message: string };

/** The entries of `chart` in an index.yaml text, pure. Entries without a version or URL are skipped. */
export function readIndex(text: string, chart: string): IndexRead {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    return { ok: false, reason: "InvalidRepository", message: `index.yaml is not YAML: ${(err as Error).message.split("\n")[0]}` };
  }
  const entries = isPlainObject(doc) ? doc.entries : undefined;
  if (!isPlainObject(entries)) return { ok: false, reason: "InvalidRepository", message: "index.yaml has no entries map" };
  const list = entries[chart];
  if (list === undefined || list === null) return { ok: false, reason: "ChartNotFound", message: `index.yaml has no chart named ${chart}` };
  if (!Array.isArray(list)) return { ok: false, reason: "InvalidRepository", message: `index.yaml entries.${chart} is not a list` };
  const out: IndexEntry[] = [];
  for (const item of list) {
    if (!isPlainObject(item)) continue;
    const version = typeof item.version === "string" ? item.version : undefined;
    const urls = Array.isArray(item.urls) ? item.urls.filter((u): u is string => typeof u === "string" && u !== "") : [];
    if (version === undefined || urls.length === 0) continue;
    const entry: IndexEntry = { version, urls };
    if (item.digest !== undefined && item.digest !== null && item.digest !== "") {
      // A digest that does not parse is a repository fault, never a reason to skip the check.
      const digest = typeof item.digest === "string" ? normalizeDigest(item.digest) : undefined;
      if (digest === undefined) {
        return { ok: false, reason: "InvalidRepository", message: `index.yaml gives ${chart} ${version} a digest that is not sha256 hex: ${String(item.digest).slice(0, 80)}` };
      }
      entry.digest = digest;
    }
    out.push(entry);
  }
  return { ok: true, entries: out };
}
