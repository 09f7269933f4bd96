/** What a render depends on, and its cache key (pure). */
import { canonicalJson, sha256Hex } from "@flotilla/shared";
import type { Values } from "../../api/types.js";
import { mergeAll } from "../values.js";
import { normalizedApiVersions, type HelmCapabilities } from "./argv.js";

export interface RenderRequest {
  /** A local chart archive (.tgz) or directory. */
  chartPath: string;
  /** Content digest of the chart (e.g. "sha256:…"): the cache trusts it, not the path. */
  chartDigest: string;
  releaseName: string;
  namespace: string;
  /** The merged values, built-in `flotilla` values included (see `helmValues`). */
  values: Values;
  capabilities: HelmCapabilities;
}

/**
 * sha256 of the canonical JSON of everything helm's output depends on. The path is left out (the same
 * chart fetched to another place renders the same); the api versions are sorted and de-duplicated.
 */
export function renderKey(r: RenderRequest): string {
  return sha256Hex(
    canonicalJson({
      chartDigest: r.chartDigest,
      values: r.values,
      kubeVersion: r.capabilities.kubeVersion,
      apiVersions: normalizedApiVersions(r.capabilities.apiVersions),
      releaseName: r.releaseName,
      namespace: r.namespace,
    }),
  );
}

export interface ClusterIdentity {
  name: string;
  labels: Record<string, string>;
}

/**
 * Values for a chart: the layers merged left to right with Helm's semantics (the caller passes CMA <
 * placement < MCA < valuesFrom < config object), then `flotilla: {cluster: {name, labels}}`, which
 * replaces any `flotilla` key the layers set, so a template can trust it.
 */
export function helmValues(layers: readonly (Values | undefined)[], cluster: ClusterIdentity): Values {
  const merged = mergeAll(...layers);
  return { ...merged, flotilla: { cluster: { name: cluster.name, labels: { ...cluster.labels } } } };
}
