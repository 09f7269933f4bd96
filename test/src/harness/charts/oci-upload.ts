import { createHash } from "node:crypto";

export interface RawArtifact {
  /** The single layer's bytes and media type. */
  layer: Buffer;
  layerMediaType: string;
  configMediaType?: string;
}

/**
 * Pushes an artifact helm would refuse to make (a chart layer that is no chart, an image without one)
 * through the distribution API: blob uploads (POST, then one PUT), then the manifest under `tag`. For tests of a
 * registry with no auth or basic auth (`authorization` is sent as is).
 */
export async function pushRawArtifact(host: string, repository: string, tag: string, artifact: RawArtifact, authorization?: string): Promise<void> {
  const base = `http://${host}/v2/${repository}`;
  const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
  const upload = async (bytes: Buffer): Promise<{ digest: string; size: number }> => {
    const digest = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
    // distribution answers the POST with an upload session; the bytes go in one PUT that closes it
    const started = await fetch(`${base}/blobs/uploads/`, { method: "POST", headers });
    const location = started.headers.get("location");
    if (started.status !== 202 || location === null) throw new Error(`blob upload to ${base}: ${started.status} ${await started.text()}`);
    const target = new URL(location, base);
    target.searchParams.set("digest", digest);
    const res = await fetch(target, { method: "PUT", headers: { ...headers, "content-type": "application/octet-stream" }, body: bytes });
    if (res.status !== 201) throw new Error(`blob upload to ${base}: ${res.status} ${await res.text()}`);
    return { digest, size: bytes.length };
  };
  const config = await upload(Buffer.from("{}"));
  const layer = await upload(artifact.layer);
  const manifest = {
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: artifact.configMediaType ?? "application/vnd.cncf.helm.config.v1+json", ...config },
    layers: [{ mediaType: artifact.layerMediaType, ...layer }],
  };
  const res = await fetch(`${base}/manifests/${tag}`, {
    method: "PUT",
    headers: { ...headers, "content-type": manifest.mediaType },
    body: JSON.stringify(manifest),
  });
  if (res.status !== 201) throw new Error(`manifest put to ${base}: ${res.status} ${await res.text()}`);
}
