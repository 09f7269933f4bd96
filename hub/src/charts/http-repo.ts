import { ChartSourceError, versionNotFound } from "./errors.js";
import { basicAuth, statusError, type OriginAuth } from "./http.js";
import { cachedChart, landChart, type Expectation } from "./land.js";
import { readIndex, type IndexEntry } from "./repo-index.js";
import type { ChartRef, Credentials, ResolvedChart, SourceContext } from "./types.js";
import { indexURL, redactURL, resolveEntryURL } from "./urls.js";
import { pickVersion } from "./version.js";

/**
 * A Helm HTTP chart repository: `<repoURL>/index.yaml`, the version picked from its entries, the entry's
 * first URL (relative to the repository) downloaded. Basic credentials go to the repository's own origin
 * only. The chart is not downloaded when the index or the CMA gives its digest and the cache has it.
 */
export async function resolveFromHttpRepo(ctx: SourceContext, ref: ChartRef, creds: Credentials | undefined): Promise<ResolvedChart> {
  const index = indexURL(ref.repoURL);
  const auth: OriginAuth | undefined = creds === undefined ? undefined : { origin: index.origin, header: basicAuth(creds) };
  const res = await ctx.http.get(index, { what: "index.yaml", maxBytes: ctx.limits.maxIndexBytes, auth });
  if (res.status !== 200) throw statusError(res, "index.yaml", "InvalidRepository");
  const where = redactURL(index);
  const read = readIndex(res.body.toString("utf8"), ref.chart);
  if (!read.ok) throw new ChartSourceError(read.reason, where, `${where}: ${read.message}`);

  const entry = pickEntry(read.entries, ref, where);
  const chartURL = resolveEntryURL(ref.repoURL, entry.urls[0] ?? "");
  const source = redactURL(chartURL);
  const expect: Expectation = { chart: ref.chart, version: entry.version, source };
  if (entry.digest !== undefined) expect.stated = { digest: entry.digest, by: where };
  if (ref.digest !== undefined) expect.pinned = ref.digest;
  if (entry.digest !== undefined && ref.digest !== undefined && entry.digest !== ref.digest) {
    throw new ChartSourceError("DigestMismatch", source, `${where} gives ${ref.chart} ${entry.version} digest ${entry.digest}; spec.source.helm.digest pins ${ref.digest}`);
  }

  const known = ref.digest ?? entry.digest;
  const hit = known === undefined ? undefined : await cachedChart(ctx.cache, known, expect);
  if (hit !== undefined && known !== undefined) {
    ctx.logger.debug({ chart: ref.chart, version: entry.version, digest: known }, "chart in cache");
    return { version: entry.version, digest: known, url: source, path: hit, fromCache: true };
  }

  const download = await ctx.http.get(chartURL, { what: "chart", maxBytes: ctx.limits.maxChartBytes, auth });
  if (download.status !== 200) throw statusError(download, `chart ${ref.chart} ${entry.version}`, "ChartNotFound");
  const landed = await landChart(ctx.cache, download.body, expect);
  ctx.logger.debug({ chart: ref.chart, version: entry.version, digest: landed.digest, bytes: download.body.length }, "chart downloaded");
  return { version: entry.version, ...landed, url: source, fromCache: false };
}

function pickEntry(entries: readonly IndexEntry[], ref: ChartRef, where: string): IndexEntry {
  const versions = entries.map((e) => e.version);
  const pick = pickVersion(versions, ref.version);
  if (!pick.ok) throw versionNotFound(where, ref, versions, pick.why);
  const entry = entries.find((e) => e.version === pick.version);
  if (entry === undefined) throw new Error("pickVersion returned a version it was not offered");
  return entry;
}
