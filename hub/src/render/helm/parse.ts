/**
 * `helm template` output → Kubernetes objects (pure). Helm writes one document per template file part,
 * each after a `# Source: <chart>/<path>` comment; empty documents (a template that rendered nothing)
 * are dropped, a list is expanded into its items, anything that is not an object with apiVersion, kind
 * and metadata.name is refused naming its template file.
 */
import { setOwn, type KubeObject } from "@flotilla/shared";
import { parseAllDocuments, type Tags } from "yaml";
import { isWhite } from "../placeholder-scan.js";
import { isPlainObject } from "../values.js";

export const HOOK_ANNOTATION = "helm.sh/hook";

export interface ParsedRender {
  /** Objects from `crds/` folders first (helm's order), then the templates', hooks included as rendered. */
  objects: KubeObject[];
  /** How many came from a chart's (or subchart's) `crds/` folder. */
  crds: number;
  /** How many carry a `helm.sh/hook` annotation (the agent runs them as hooks). */
  hooks: number;
}

export type ParseResult = { ok: true; value: ParsedRender } | { ok: false; message: string };

const SOURCE = /^# Source: (.+)$/m;

/**
 * Read as the API server's YAML reader (YAML 1.1) does, so `defaultMode: 0644` is 420 and `yes` a
 * boolean, as `kubectl apply` of the same text would give; timestamps stay strings (the API types hold
 * them as strings).
 */
const YAML_OPTIONS = {
  version: "1.1",
  customTags: (tags: Tags) => tags.filter((t) => typeof t === "string" || t.tag !== "tag:yaml.org,2002:timestamp"),
} as const;

/** `mychart/crds/x.yaml` or `mychart/charts/sub/crds/x.yaml`: helm's `crds/` folders, not templates. */
export const isCrdsFolderSource = (source: string): boolean => /^[^/]+(\/charts\/[^/]+)*\/crds\//.test(source);

function checkObject(v: unknown): string | undefined {
  if (!isPlainObject(v)) return `is not an object (${Array.isArray(v) ? "a list" : typeof v})`;
  if (typeof v.apiVersion !== "string" || !v.apiVersion) return "has no apiVersion";
  if (typeof v.kind !== "string" || !v.kind) return "has no kind";
  const meta = v.metadata;
  if (!isPlainObject(meta) || typeof meta.name !== "string" || !meta.name) return `(${v.kind}) has no metadata.name`;
  return undefined;
}

/**
 * A list (`kind: List`), which helm's install expands into its items as kubectl does. Their test is
 * client-go's `Unstructured.IsList`: a top-level `items` array, whatever the kind.
 */
const listItems = (v: unknown): unknown[] | undefined => (isPlainObject(v) && Array.isArray(v.items) ? v.items : undefined);

/**
 * Without its null fields, at any depth (list items stay): templates leave `annotations: null` where a
 * block renders empty, and the API server reads a null field as absent; the bus refuses nulls.
 */
export function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (!isPlainObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) setOwn(out, k, dropNulls(x));
  return out;
}

const isHook = (o: KubeObject): boolean => o.metadata.annotations?.[HOOK_ANNOTATION] !== undefined;

/**
 * The documents of helm's output, split as helm splits them (`releaseutil.SplitManifests`, the
 * expression `(?:^|\s*\n)---\s*`): at `---` that starts the text or a line, taking the white space
 * before and after with it. Each part parses on its own. Split by hand, not with that expression: in
 * JavaScript it backtracks, and a chart whose output has a long run of blank lines (80,000 characters
 * of them: 20 s) would hold the hub's event loop; this is linear, and equal to it (property test).
 */
export function splitManifests(stdout: string): string[] {
  const parts: string[] = [];
  let from = 0; // where the current part starts (just past the last separator)
  let atStart = stdout.startsWith("---");
  let i = atStart ? 0 : stdout.indexOf("\n---");
  while (i !== -1) {
    // a separator: the white space before the newline (back to the last one's end), `---`, white space after
    let start = atStart ? 0 : i;
    while (start > from && isWhite(stdout.charCodeAt(start - 1))) start--;
    let end = atStart ? 3 : i + 4;
    while (end < stdout.length && isWhite(stdout.charCodeAt(end))) end++;
    parts.push(stdout.slice(from, start));
    from = end;
    atStart = false;
    // a newline the separator took as trailing white space cannot start the next one
    i = stdout.indexOf("\n---", from);
  }
  parts.push(stdout.slice(from));
  return parts.filter((d) => d.trim() !== "");
}

/**
 * Reads helm's output a document at a time, so the shell can give the event loop back between
 * documents (cert-manager writes 1 MB of YAML, ~280 ms of parsing in one go).
 */
export class TemplateOutputReader {
  private readonly crdObjects: KubeObject[] = [];
  private readonly templateObjects: KubeObject[] = [];
  // The Source comment names the document it heads and every document after it up to the next one: a
  // template file holding several `---` parts, or a crds/ file starting with its own `---`, has one
  // comment before an empty document.
  private source = "(no # Source comment)";

  /** One part of `splitManifests`; a message naming the template file when it is not usable. */
  read(text: string): string | undefined {
    let from = 0; // a comment before a document's content is outside its range
    for (const doc of parseAllDocuments(text, YAML_OPTIONS)) {
      const named = SOURCE.exec(text.slice(from, doc.range[2]))?.[1];
      from = doc.range[2];
      if (named) this.source = named.trim();
      const source = this.source;
      if (doc.errors.length) return `# Source: ${source}: ${doc.errors[0]?.message ?? "invalid YAML"}`;
      const value: unknown = dropNulls(doc.toJS({ maxAliasCount: 100 }));
      if (value === null || value === undefined) continue;
      for (const [i, item] of (listItems(value) ?? [value]).entries()) {
        const problem = checkObject(item);
        const what = listItems(value) ? `items[${i}] of a ${String((value as { kind: string }).kind)}` : "a document";
        if (problem) return `# Source: ${source}: ${what} ${problem}`;
        (isCrdsFolderSource(source) ? this.crdObjects : this.templateObjects).push(item as KubeObject);
      }
    }
    // a part holding only the comment (a crds/ file that starts with its own `---`) names what follows
    const trailing = SOURCE.exec(text.slice(from))?.[1];
    if (trailing) this.source = trailing.trim();
    return undefined;
  }

  result(): ParsedRender {
    const objects = [...this.crdObjects, ...this.templateObjects];
    return { objects, crds: this.crdObjects.length, hooks: objects.filter(isHook).length };
  }
}

export function parseTemplateOutput(stdout: string): ParseResult {
  const reader = new TemplateOutputReader();
  for (const part of splitManifests(stdout)) {
    const message = reader.read(part);
    if (message) return { ok: false, message };
  }
  return { ok: true, value: reader.result() };
}
