/**
 * Container image references, read as the container runtime reads them (pure). The grammar and the
 * normalisation are those of distribution/reference (`ParseNormalizedNamed`, what containerd, CRI-O and
 * docker use): `nginx` is `docker.io/library/nginx:latest`, `index.docker.io` is `docker.io`, and the first
 * path component is a registry only when it has a "." or ":", is `localhost`, or has an upper-case letter.
 * The npm parsers for this are small, little used and drift from that grammar, so it is written here.
 */

export interface ImageReference {
  /** Registry host, with its port when given: `docker.io`, `registry.example.com:5000`. */
  domain: string;
  /** Repository path inside the registry: `library/nginx`. */
  path: string;
  tag?: string;
  /** `algorithm:hex`, when the reference is pinned. */
  digest?: string;
}

export type ParsedReference = { ok: true; ref: ImageReference } | { ok: false; error: string };

const DEFAULT_DOMAIN = "docker.io";
const LEGACY_DEFAULT_DOMAIN = "index.docker.io";
const OFFICIAL_REPO_PREFIX = "library/";
const NAME_MAX = 255;

const domainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = new RegExp(`^(?:${domainComponent}(?:\\.${domainComponent})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
/** Registered algorithms whose encoded length is known (OCI image-spec, descriptor.md). */
const DIGEST_HEX: Readonly<Record<string, number>> = { sha256: 64, sha512: 128 };

const fail = (error: string): ParsedReference => ({ ok: false, error });

export function parseImageReference(input: string): ParsedReference {
  if (input.length === 0) return fail("the reference is empty");
  if (input !== input.trim()) return fail("the reference has surrounding whitespace");
  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    const problem = digestProblem(digest);
    if (problem) return fail(problem);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return fail(`tag "${tag}" is not valid`);
  }
  if (rest.length === 0) return fail("the reference names no repository");
  const { domain, path } = splitDomain(rest);
  if (!DOMAIN.test(domain)) return fail(`registry "${domain}" is not a valid host`);
  const components = path.split("/");
  const bad = components.find((c) => !PATH_COMPONENT.test(c));
  if (bad !== undefined) return fail(bad.toLowerCase() !== bad ? "the repository name must be lowercase" : `repository path component "${bad}" is not valid`);
  if (domain.length + 1 + path.length > NAME_MAX) return fail(`the repository name is longer than ${NAME_MAX} characters`);
  return { ok: true, ref: { domain, path, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) } };
}

function digestProblem(digest: string): string | undefined {
  if (!DIGEST.test(digest)) return `digest "${digest}" is not algorithm:hex`;
  const [algorithm, encoded] = digest.split(":") as [string, string];
  const want = DIGEST_HEX[algorithm];
  if (want !== undefined && !new RegExp(`^[a-f0-9]{${want}}$`).test(encoded)) return `a ${algorithm} digest is ${want} lowercase hex characters`;
  return undefined;
}

/** distribution/reference's splitDockerDomain. */
function splitDomain(name: string): { domain: string; path: string } {
  const slash = name.indexOf("/");
  const first = slash < 0 ? "" : name.slice(0, slash);
  const isDomain = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost" || first.toLowerCase() !== first);
  let domain = isDomain ? first : DEFAULT_DOMAIN;
  let path = isDomain ? name.slice(slash + 1) : name;
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !path.includes("/")) path = OFFICIAL_REPO_PREFIX + path;
  return { domain, path };
}

/** The fully qualified form the runtime pulls: `docker.io/library/nginx:latest`, `…@sha256:…`. */
export function canonicalReference(ref: ImageReference): string {
  const tag = ref.tag ?? (ref.digest ? undefined : "latest");
  return `${ref.domain}/${ref.path}${tag !== undefined ? `:${tag}` : ""}${ref.digest ? `@${ref.digest}` : ""}`;
}
