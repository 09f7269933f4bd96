/**
 * The `WWW-Authenticate` challenge of an OCI registry (distribution's token flow, RFC 7235 syntax), pure.
 * `Bearer realm="…",service="…",scope="repository:charts/cm:pull"` sends the client to a token issuer;
 * `Basic realm="…"` asks for the credentials themselves. A scope may hold commas (`pull,push`), so values
 * are read as quoted strings, not split on commas.
 */
export type Challenge =
  | { scheme: "bearer"; realm: string; service?: string; scope?: string; error?: string }
  | { scheme: "basic" }
  | { scheme: "unknown"; raw: string };

export function parseChallenge(header: string | null): Challenge {
  const raw = header?.trim() ?? "";
  const match = /^([A-Za-z][A-Za-z0-9_-]*)(?:\s+(.*))?$/s.exec(raw);
  const scheme = match?.[1]?.toLowerCase();
  if (scheme === "basic") return { scheme: "basic" };
  if (scheme !== "bearer") return { scheme: "unknown", raw };
  const params = parseParams(match?.[2] ?? "");
  const realm = params.get("realm");
  if (realm === undefined || realm === "") return { scheme: "unknown", raw };
  const out: Challenge = { scheme: "bearer", realm };
  for (const key of ["service", "scope", "error"] as const) {
    const value = params.get(key);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** `a="x", b=y` → {a: x, b: y}; keys lower-cased; a quoted value may contain commas and `\"`. */
function parseParams(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const param = /\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*,?/gy;
  for (let m = param.exec(text); m !== null && m[0] !== ""; m = param.exec(text)) {
    const key = (m[1] ?? "").toLowerCase();
    const value = m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : (m[3] ?? "");
    out.set(key, value);
  }
  return out;
}

/** The pull scope for a repository, when the challenge names none (helm asks for the same). */
export function pullScope(repository: string): string {
  return `repository:${repository}:pull`;
}
