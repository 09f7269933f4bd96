import type { Grant } from "./envelope.js";

/** What a request was for, read back from its URL and method (the answer to a 403 names no more). */
export interface RequestTarget {
  verb: string;
  group: string;
  resource: string;
  namespace?: string;
  name?: string;
}

const VERBS: Readonly<Record<string, string>> = { GET: "get", PATCH: "patch", DELETE: "delete", POST: "create", PUT: "update" };

/** `/api/v1/namespaces/ns/configmaps/x`, `/apis/g/v1/clusterroles/x`, … → the target; undefined for other paths. Pure. */
export function requestTarget(method: string, url: string): RequestTarget | undefined {
  const path = new URL(url, "https://x").pathname.split("/").filter(Boolean).map(decodeURIComponent);
  const rest = path[0] === "api" ? path.slice(2) : path[0] === "apis" ? path.slice(3) : undefined;
  const group = path[0] === "apis" ? (path[1] ?? "") : "";
  const verb = VERBS[method.toUpperCase()];
  if (!rest?.length || !verb) return undefined;
  const [a, b, c, d] = rest;
  if (a === "namespaces" && b !== undefined && c !== undefined) return { verb, group, resource: c, namespace: b, ...(d ? { name: d } : {}) };
  return a ? { verb, group, resource: a, ...(b ? { name: b } : {}) } : undefined;
}

/**
 * Whether the addon's grants allow what was refused: then its roles are not what the agent wrote
 * (deleted or changed by someone) and must be written again. Otherwise the refusal is the point. Pure.
 */
export function grantsCover(grants: readonly Grant[], t: RequestTarget): boolean {
  return grants.some(
    (g) => g.group === t.group && g.resource === t.resource && g.namespace === t.namespace && g.verbs.includes(t.verb) && (!g.names || (t.name !== undefined && g.names.includes(t.name))),
  );
}
