import { readChartFiles } from "./archive.js";
import type { ChartCache } from "./cache.js";
import { checkChartYaml } from "./chart-yaml.js";
import { sha256Digest } from "./digest.js";
import { ChartSourceError } from "./errors.js";

/** What a downloaded chart must be. */
export interface Expectation {
  chart: string;
  version: string;
  /** Where the bytes came from (redacted), for messages. */
  source: string;
  /** The digest the repository states (index `digest`, manifest layer), if any. */
  stated?: { digest: string; by: string };
  /** The digest the ClusterManagementAddOn pins, if any. */
  pinned?: string;
}

/**
 * Checks downloaded bytes against every digest that was promised and against the chart asked for, then
 * stores them in the cache; returns the digest and the cached path. The digest checks come first: bytes
 * that are not what was promised are DigestMismatch whatever they hold.
 */
export async function landChart(cache: ChartCache, bytes: Uint8Array, expect: Expectation): Promise<{ digest: string; path: string }> {
  const digest = sha256Digest(bytes);
  if (expect.stated !== undefined && expect.stated.digest !== digest) {
    throw new ChartSourceError("DigestMismatch", expect.source, `${expect.source} has digest ${digest}; ${expect.stated.by} says ${expect.stated.digest}`);
  }
  if (expect.pinned !== undefined && expect.pinned !== digest) {
    throw new ChartSourceError("DigestMismatch", expect.source, `${expect.source} has digest ${digest}; spec.source.helm.digest pins ${expect.pinned}`);
  }
  await verifyChart(bytes, expect);
  return { digest, path: await cache.write(digest, bytes) };
}

/**
 * The cached chart with this digest, checked again (bytes hash to their name, and hold the chart asked
 * for); undefined when not cached or when the file was damaged (then it is removed).
 */
export async function cachedChart(cache: ChartCache, digest: string, expect: Expectation): Promise<string | undefined> {
  const bytes = await cache.read(digest);
  if (bytes === undefined) return undefined;
  if (sha256Digest(bytes) !== digest) {
    await cache.remove(digest);
    return undefined;
  }
  // The repository says this digest is chart@version; if the bytes it names hold another chart, the
  // repository is wrong, and downloading would fetch these same bytes.
  await verifyChart(bytes, expect);
  return cache.pathOf(digest);
}

async function verifyChart(bytes: Uint8Array, expect: Expectation): Promise<void> {
  const { files } = await readChartFiles(bytes, ["Chart.yaml"], { source: expect.source });
  const check = checkChartYaml(files.get("Chart.yaml")?.toString("utf8"), expect.chart, expect.version);
  if (!check.ok) throw new ChartSourceError("NotAChart", expect.source, `${expect.source} ${check.message}`);
}
