import { describe, expect, it } from "vitest";
import { ApiException, KubeConfig, type V1APIResource } from "@kubernetes/client-node";
import { FlotillaError, createLogger, type DesiredBundle } from "@flotilla/shared";
import { Applier } from "./applier.js";
import { RawObjectApi } from "./object-api.js";

/** An object API whose discovery answers as told; nothing here reaches a server. */
class DiscoveryStub extends RawObjectApi {
  discover: () => Promise<V1APIResource | undefined> = async () => undefined;
  protected override resource(): Promise<V1APIResource | undefined> {
    return this.discover();
  }
}

function apiWithDiscovery(discover: () => Promise<V1APIResource | undefined>): DiscoveryStub {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "c", server: "https://127.0.0.1:1", skipTLSVerify: true }],
    users: [{ name: "u", token: "t" }],
    contexts: [{ name: "ctx", cluster: "c", user: "u" }],
    currentContext: "ctx",
  });
  const api = kc.makeApiClient(DiscoveryStub);
  api.discover = discover;
  return api;
}

const fetchFailed = (code: number) =>
  Object.assign(new ApiException(code, "Unsuccessful HTTP Request", { kind: "Status", code, message: `status ${code}` }, {}), {
    message: `Failed to fetch resource metadata for v1/ConfigMap: HTTP-Code: ${code}`,
  });
const configMaps: V1APIResource = { name: "configmaps", kind: "ConfigMap", namespaced: true, singularName: "configmap", verbs: ["get"] };

describe("RawObjectApi discovery", () => {
  it.each([
    ["403", fetchFailed(403)],
    ["503", fetchFailed(503)],
    ["a refused connection", new Error("connect ECONNREFUSED 127.0.0.1:1")],
  ])("a discovery call failing with %s is a Retryable error, not an unknown scope", async (_name, err) => {
    const api = apiWithDiscovery(() => Promise.reject(err));
    const e = await api.isNamespaced("v1", "ConfigMap").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FlotillaError);
    expect((e as FlotillaError).code).toBe("Retryable");
    expect((e as FlotillaError).cause).toBe(err);
  });

  it("a group version that is not served (404) or lacks the kind is an unknown kind", async () => {
    await expect(apiWithDiscovery(() => Promise.reject(fetchFailed(404))).isNamespaced("example.com/v1", "Widget")).resolves.toBeUndefined();
    await expect(apiWithDiscovery(async () => undefined).isNamespaced("example.com/v1", "Widget")).resolves.toBeUndefined();
  });

  it("never applies a namespaced object without a namespace (the default namespace is never used)", async () => {
    const api = apiWithDiscovery(async () => configMaps);
    const e = await api.apply({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } }, "m").catch((x: unknown) => x);
    expect((e as FlotillaError).code).toBe("Retryable");
    expect((e as Error).message).toMatch(/has no namespace/);
  });

  it("Applier.prepare rejects the bundle when discovery fails, rather than placing objects on a guess", async () => {
    const api = apiWithDiscovery(() => Promise.reject(fetchFailed(503)));
    const applier = new Applier({ api, logger: createLogger({ level: "silent" }) });
    const bundle = { addon: "demo", installNamespace: "demo-ns", objects: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } }] } as unknown as DesiredBundle;
    await expect(applier.prepare(bundle)).rejects.toMatchObject({ code: "Retryable" });
    api.discover = async () => configMaps;
    expect((await applier.prepare(bundle))[0]?.metadata.namespace).toBe("demo-ns");
  });
});
