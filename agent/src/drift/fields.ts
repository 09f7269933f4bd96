/**
 * Server-side apply's field sets (`metadata.managedFields[].fieldsV1`) as readable paths (pure).
 * A set is a tree: `f:<name>` a field, `k:<json>` a list item by its keys, `v:<json>` a set item by
 * value, `i:<n>` an item by index, and `.` the node itself. Its leaves are the fields a manager owns.
 */

export type FieldsV1 = { [key: string]: FieldsV1 };

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  subresource?: string;
  time?: string;
  fieldsV1?: FieldsV1;
}

const PLAIN = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** One step of a path: `.name`, `["dotted.key/x"]`, `[name=web]`, `[="x"]`, `[0]`. */
function step(key: string): string {
  const kind = key.slice(0, 2);
  const rest = key.slice(2);
  if (kind === "f:") return PLAIN.test(rest) ? `.${rest}` : `[${JSON.stringify(rest)}]`;
  if (kind === "i:") return `[${rest}]`;
  if (kind === "v:") return `[=${rest}]`;
  if (kind === "k:") {
    try {
      const keys = JSON.parse(rest) as Record<string, unknown>;
      return `[${Object.entries(keys).map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`).join(",")}]`;
    } catch {
      return `[${rest}]`;
    }
  }
  return `[${key}]`;
}

/** The leaf paths of a field set, in the set's order (a node owned with no children is a leaf). */
export function leafPaths(set: FieldsV1 | undefined, prefix = ""): string[] {
  if (!set) return [];
  const out: string[] = [];
  for (const [key, child] of Object.entries(set)) {
    if (key === ".") continue;
    const path = prefix + step(key);
    const children = Object.keys(child ?? {}).filter((k) => k !== ".");
    if (children.length === 0) out.push(path);
    else out.push(...leafPaths(child, path));
  }
  return out;
}

/** The entry a manager holds by `operation` on the main resource (not a subresource such as status). */
export function managerEntry(fields: readonly ManagedFieldsEntry[] | undefined, manager: string, operation = "Apply"): ManagedFieldsEntry | undefined {
  return fields?.find((e) => e.manager === manager && e.operation === operation && !e.subresource);
}
