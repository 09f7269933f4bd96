import { describe, expect, it } from "vitest";
import { HELM_CHART_LAYER, OCI_MANIFEST, nextLink, readManifest, readTags, tagToVersion, versionToTag, type ManifestRead } from "./oci-manifest.js";

const HEX = "b".repeat(64);
const manifest = (layers: unknown): string =>
  JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: "application/vnd.cncf.helm.config.v1+json" }, layers });

describe("readManifest", () => {
  it.each<[string, string, ManifestRead]>([
    ["helm's chart layer", manifest([{ mediaType: HELM_CHART_LAYER, digest: `sha256:${HEX}`, size: 12 }]), { ok: true, layer: { digest: `sha256:${HEX}`, size: 12 } }],
    [
      "chart layer after a provenance layer",
      manifest([{ mediaType: "application/vnd.cncf.helm.chart.provenance.v1.prov", digest: `sha256:${"c".repeat(64)}`, size: 1 }, { mediaType: HELM_CHART_LAYER, digest: `sha256:${HEX}`, size: 3 }]),
      { ok: true, layer: { digest: `sha256:${HEX}`, size: 3 } },
    ],
    ["legacy helm layer", manifest([{ mediaType: "application/tar+gzip", digest: `sha256:${HEX}`, size: 3 }]), { ok: true, layer: { digest: `sha256:${HEX}`, size: 3 } }],
    ["a container image", manifest([{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: `sha256:${HEX}`, size: 3 }]), { ok: false, reason: "NotAChart", message: `the manifest has no ${HELM_CHART_LAYER} layer` }],
    [
      "an index (no layers)",
      JSON.stringify({ mediaType: "application/vnd.oci.image.index.v1+json", manifests: [] }),
      { ok: false, reason: "NotAChart", message: `the manifest (application/vnd.oci.image.index.v1+json) has no layers; expected an OCI image manifest with a ${HELM_CHART_LAYER} layer` },
    ],
    ["bare hex digest", manifest([{ mediaType: HELM_CHART_LAYER, digest: HEX, size: 3 }]), { ok: false, reason: "InvalidRepository", message: `the chart layer's digest is not sha256:<hex>: ${HEX}` }],
    ["no size", manifest([{ mediaType: HELM_CHART_LAYER, digest: `sha256:${HEX}` }]), { ok: false, reason: "InvalidRepository", message: "the chart layer has no valid size" }],
    ["not JSON", "<html>", { ok: false, reason: "InvalidRepository", message: "the manifest is not JSON" }],
  ])("%s", (_name, text, expected) => {
    expect(readManifest(text)).toEqual(expected);
  });
});

describe("tags", () => {
  it.each<[string, string[] | undefined]>([
    ['{"name":"charts/cm","tags":["1.0.0","1.1.0_build.1",3]}', ["1.0.0", "1.1.0_build.1"]],
    ['{"name":"charts/cm","tags":null}', []],
    ['{"errors":[]}', undefined],
    ["nope", undefined],
  ])("readTags(%s)", (body, expected) => {
    expect(readTags(body)).toEqual(expected);
  });

  it("maps + and _ as helm does", () => {
    expect(versionToTag("1.0.0+build.1")).toBe("1.0.0_build.1");
    expect(tagToVersion("1.0.0_build.1")).toBe("1.0.0+build.1");
  });

  it.each<[string | null, string | undefined]>([
    ['</v2/charts/cm/tags/list?last=b&n=2>; rel="next"', "/v2/charts/cm/tags/list?last=b&n=2"],
    [null, undefined],
    ['<https://x/y>; rel="prev"', undefined],
  ])("nextLink(%s)", (header, expected) => {
    expect(nextLink(header)).toBe(expected);
  });
});
