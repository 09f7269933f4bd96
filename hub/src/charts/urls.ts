/**
 * URL rules of chart sources, pure. Index entries may be relative to the repository (helm resolves them
 * against the repository URL with a trailing slash); credentials go only to the repository's own origin,
 * as helm does without `--pass-credentials`, so an index pointing elsewhere cannot collect them.
 */

/** `entry` (absolute or relative) resolved against the repository URL. */
export function resolveEntryURL(repoURL: string, entry: string): URL {
  const base = new URL(repoURL);
  if (!base.pathname.endsWith("/")) base.pathname += "/";
  return new URL(entry, base);
}

/** `<repoURL>/index.yaml`. */
export function indexURL(repoURL: string): URL {
  return resolveEntryURL(repoURL, "index.yaml");
}

/** Whether credentials meant for `repoURL` may be sent to `target`: same scheme, host and port. */
export function sameOrigin(repoURL: string | URL, target: string | URL): boolean {
  return new URL(repoURL).origin === new URL(target).origin;
}

/** The URL without user info, for messages and logs. */
export function redactURL(url: string | URL): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return "<invalid URL>";
  }
  u.username = "";
  u.password = "";
  return u.toString();
}

/** Where an OCI chart lives: the registry's base URL and the repository name (`charts/cert-manager`). */
export interface OciLocation {
  /** `https://host[:port]` (or `http://` when plain HTTP is allowed for the host). */
  registry: URL;
  repository: string;
  /** `oci://host[:port]/charts/cert-manager`, for messages. */
  display: string;
}

/** Hosts on the loopback interface: the only ones `plainHTTP: "loopback"` talks plain HTTP to. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}

export type PlainHTTP = "never" | "loopback" | "always";

/** `oci://host[:port]/path` + chart → the registry base and repository; undefined when not an oci:// URL. */
export function ociLocation(repoURL: string, chart: string, plainHTTP: PlainHTTP): OciLocation | undefined {
  let u: URL;
  try {
    u = new URL(repoURL);
  } catch {
    return undefined;
  }
  if (u.protocol !== "oci:" || u.host === "") return undefined;
  const path = u.pathname.replace(/^\/+|\/+$/g, "");
  const repository = path === "" ? chart : `${path}/${chart}`;
  const plain = plainHTTP === "always" || (plainHTTP === "loopback" && isLoopbackHost(u.hostname));
  return {
    registry: new URL(`${plain ? "http" : "https"}://${u.host}`),
    repository,
    display: `oci://${u.host}/${repository}`,
  };
}
