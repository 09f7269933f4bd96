import { ChartSourceError, versionNotFound } from "./errors.js";
import { cachedChart, landChart, type Expectation } from "./land.js";
import { OciSession } from "./oci-auth.js";
import { OCI_MANIFEST, nextLink, readManifest, readTags, tagToVersion, versionToTag } from "./oci-manifest.js";
import type { ChartRef, Credentials, ResolvedChart, SourceContext } from "./types.js";
import { ociLocation, redactURL } from "./urls.js";
import { pickVersion } from "./version.js";

/** Tag lists are paginated (`Link: <…>; rel="next"`); a repository with more pages than this is refused. */
const MAX_TAG_PAGES = 50;

/**
 * A chart in an OCI registry (the distribution API): tags → version, the tag's manifest → the chart
 * layer, the layer's blob downloaded unless its digest is cached. The blob must hash to the layer digest
 * (and to the pinned digest).
 */
export async function resolveFromOci(ctx: SourceContext, ref: ChartRef, creds: Credentials | undefined): Promise<ResolvedChart> {
  const loc = ociLocation(ref.repoURL, ref.chart, ctx.plainHTTP);
  if (loc === undefined) throw new ChartSourceError("InvalidRepository", redactURL(ref.repoURL), `${redactURL(ref.repoURL)} is not an oci://host/path URL`);
  const session = new OciSession(ctx.http, loc, creds, ctx.limits.maxManifestBytes);
  const small = { maxBytes: ctx.limits.maxManifestBytes, accept: "application/json" };

  const tags: string[] = [];
  let next: string | undefined = `/v2/${loc.repository}/tags/list`;
  for (let page = 0; next !== undefined; page++) {
    if (page >= MAX_TAG_PAGES) throw new ChartSourceError("TooLarge", loc.display, `${loc.display}: more than ${MAX_TAG_PAGES} pages of tags`);
    const res = await session.get(next, { what: "tag list", ...small }, "ChartNotFound");
    const pageTags = readTags(res.body.toString("utf8"));
    if (pageTags === undefined) throw new ChartSourceError("InvalidRepository", loc.display, `${redactURL(res.url)}: not a tag list`);
    tags.push(...pageTags);
    next = nextLink(res.headers.get("link"));
  }

  const versions = tags.map(tagToVersion);
  const pick = pickVersion(versions, ref.version);
  if (!pick.ok) throw versionNotFound(loc.display, ref, versions, pick.why);
  const version = pick.version;
  const tag = versionToTag(version);
  const display = `${loc.display}:${tag}`;

  const manifestRes = await session.get(`/v2/${loc.repository}/manifests/${tag}`, { what: "manifest", maxBytes: ctx.limits.maxManifestBytes, accept: OCI_MANIFEST }, "VersionNotFound");
  const manifest = readManifest(manifestRes.body.toString("utf8"));
  if (!manifest.ok) throw new ChartSourceError(manifest.reason, display, `${display}: ${manifest.message}`);
  const { layer } = manifest;
  if (layer.size > ctx.limits.maxChartBytes) {
    throw new ChartSourceError("TooLarge", display, `${display}: the chart layer is ${layer.size} bytes, over the ${ctx.limits.maxChartBytes} accepted`);
  }
  if (ref.digest !== undefined && ref.digest !== layer.digest) {
    throw new ChartSourceError("DigestMismatch", display, `${display}: the chart layer has digest ${layer.digest}; spec.source.helm.digest pins ${ref.digest}`);
  }

  const expect: Expectation = { chart: ref.chart, version, source: display, stated: { digest: layer.digest, by: "its manifest" } };
  const hit = await cachedChart(ctx.cache, layer.digest, expect);
  if (hit !== undefined) {
    ctx.logger.debug({ chart: ref.chart, version, digest: layer.digest }, "chart in cache");
    return { version, digest: layer.digest, url: display, path: hit, fromCache: true };
  }
  const blob = await session.get(`/v2/${loc.repository}/blobs/${layer.digest}`, { what: "chart layer", maxBytes: ctx.limits.maxChartBytes }, "ChartNotFound");
  const landed = await landChart(ctx.cache, blob.body, expect);
  ctx.logger.debug({ chart: ref.chart, version, digest: landed.digest, bytes: blob.body.length }, "chart downloaded");
  return { version, ...landed, url: display, fromCache: false };
}
