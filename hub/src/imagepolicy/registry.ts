/**
 * `allowedRegistries` entries against normalised references (pure). An entry is a registry (`host`,
 * `host:port`, or `*.domain` for any subdomain of it) optionally followed by a repository prefix
 * (`ghcr.io/acme`), matched on whole path segments so `ghcr.io/acme` does not allow `ghcr.io/acme-evil`.
 * The port is part of the registry, as it is for the runtime: `reg.example.com` does not allow
 * `reg.example.com:5000`. `index.docker.io` is written `docker.io` by the runtime, so entries are too.
 */
import type { ImageReference } from "./reference.js";

export interface RegistryEntry {
  /** Lower-cased host[:port], or `*.domain`. */
  host: string;
  /** Path segments that must begin the repository path (none: any repository of the registry). */
  prefix: readonly string[];
}

export function parseRegistryEntry(entry: string): RegistryEntry {
  const [host = "", ...prefix] = entry.replace(/\/+$/, "").split("/");
  const lower = host.toLowerCase();
  return { host: lower === "index.docker.io" ? "docker.io" : lower, prefix: prefix.filter((s) => s.length > 0) };
}

export function registryAllows(entry: RegistryEntry, ref: ImageReference): boolean {
  const domain = ref.domain.toLowerCase();
  const hostOk = entry.host.startsWith("*.") ? domain.endsWith(entry.host.slice(1)) : domain === entry.host;
  if (!hostOk) return false;
  const path = ref.path.split("/");
  return entry.prefix.length <= path.length && entry.prefix.every((s, i) => path[i] === s);
}
