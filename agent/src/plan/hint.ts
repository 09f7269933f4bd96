import { DESIRED_BUCKET } from "@flotilla/shared";

export type Hint = { kind: "index" } | { kind: "bundle"; addon: string } | { kind: "foreign" };

/**
 * What a hint subject points at: `$KV.<desired>.<cluster>` is the index, `.<cluster>.<addon>` and
 * `.<cluster>.<addon>.part.<n>` an addon's bundle. Anything else is not ours (permissions should make
 * that impossible; it is ignored all the same).
 */
export function parseHint(subject: string, cluster: string): Hint {
  const prefix = `$KV.${DESIRED_BUCKET}.`;
  if (!subject.startsWith(prefix)) return { kind: "foreign" };
  const tokens = subject.slice(prefix.length).split(".");
  if (tokens[0] !== cluster) return { kind: "foreign" };
  if (tokens.length === 1) return { kind: "index" };
  const addon = tokens[1];
  if (!addon) return { kind: "foreign" };
  if (tokens.length === 2 || (tokens.length === 4 && tokens[2] === "part")) return { kind: "bundle", addon };
  return { kind: "foreign" };
}
