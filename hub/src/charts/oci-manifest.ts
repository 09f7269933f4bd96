import { normalizeDigest } from "./digest.js";
import { isPlainObject } from "../render/values.js";

export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
export const HELM_CHART_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
/** What helm 3.0–3.7 pushed; helm still pulls it. */
const LEGACY_CHART_LAYER = "application/tar+gzip";

export type ManifestRead =
  | { ok: true; layer: { digest: string; size: number } }
  | { ok: false; reason: "InvalidRepository" | "NotAChart"; message: string };

/** The chart layer of an OCI image manifest (JSON text), pure. An image without one is NotAChart. */
export function readManifest(text: string): ManifestRead {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { ok: false, reason: "InvalidRepository", message: "the manifest is not JSON" };
  }
  const layers = isPlainObject(doc) ? doc.layers : undefined;
  if (!Array.isArray(layers)) {
    const kind = isPlainObject(doc) && typeof doc.mediaType === "string" ? doc.mediaType : "a document";
    return { ok: false, reason: "NotAChart", message: `the manifest (${kind}) has no layers; expected an OCI image manifest with a ${HELM_CHART_LAYER} layer` };
  }
  const layer = layers.find((l): l is Record<string, unknown> => isPlainObject(l) && (l.mediaType === HELM_CHART_LAYER || l.mediaType === LEGACY_CHART_LAYER));
  if (layer === undefined) return { ok: false, reason: "NotAChart", message: `the manifest has no ${HELM_CHART_LAYER} layer` };
  const digest = typeof layer.digest === "string" ? normalizeDigest(layer.digest) : undefined;
  const size = layer.size;
  if (digest === undefined || typeof layer.digest !== "string" || !layer.digest.startsWith("sha256:")) {
    return { ok: false, reason: "InvalidRepository", message: `the chart layer's digest is not sha256:<hex>: ${String(layer.digest).slice(0, 80)}` };
  }
  if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) {
    return { ok: false, reason: "InvalidRepository", message: "the chart layer has no valid size" };
  }
  return { ok: true, layer: { digest, size } };
}

/** Tags from a `/v2/<name>/tags/list` body; undefined when the body is not that document. */
export function readTags(text: string): string[] | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isPlainObject(doc)) return undefined;
  if (doc.tags === null) return []; // distribution's answer for a repository whose tags were all deleted
  return Array.isArray(doc.tags) ? doc.tags.filter((t): t is string => typeof t === "string") : undefined;
}

/** OCI tags cannot hold `+`, so helm pushes `1.0.0+build` as `1.0.0_build`; this maps tag ↔ version. */
export const tagToVersion = (tag: string): string => tag.replaceAll("_", "+");
export const versionToTag = (version: string): string => version.replaceAll("+", "_");

/** The `rel="next"` target of a `Link` header (tag list pagination), if any. */
export function nextLink(header: string | null): string | undefined {
  const m = header === null ? null : /<([^>]+)>\s*;\s*rel="?next"?/.exec(header);
  return m?.[1];
}
