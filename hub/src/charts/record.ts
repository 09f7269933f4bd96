/** A parsed YAML/JSON mapping (not an array, not null): what the index and manifest readers walk. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
