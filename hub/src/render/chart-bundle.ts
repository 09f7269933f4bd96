/**
 * A helm source → the DesiredBundle one cluster gets (the shell around the chart fetcher and the helm
 * renderer). The revision's spec pins the chart (exact version and digest), so the archive comes from
 * the cache by digest and the repository is asked only when it is not there. Values are checked before
 * helm runs, against `spec.valuesSchema` or else the chart's values.schema.json, over the chart's own
 * defaults merged with the addon's layers, so a bad value is named by its path (ValuesInvalid).
 */
import { readFile, stat } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { FlotillaError, KEEP_ANNOTATION, type KubeObject, type ValuesValidator } from "@flotilla/shared";
import type { SecretReference, Values } from "../api/types.js";
import { readChartFiles } from "../charts/archive.js";
import { ChartSourceError } from "../charts/errors.js";
import type { ChartFetcher } from "../charts/fetcher.js";
import type { Credentials } from "../charts/types.js";
import { bundleOf, effectiveValues, inlineSecretsFailure, type RenderFailureReason, type RenderInput, type RenderResult } from "./bundle.js";
import type { HelmCapabilities } from "./helm/argv.js";
import type { HelmRenderer } from "./helm/renderer.js";
import { isPlainObject, mergeAll } from "./values.js";
import { valuesErrorsMessage } from "./values-check.js";

export interface ChartBundleInput extends Omit<RenderInput, "validateValues"> {
  /** The cluster's Kubernetes version and served API versions, as its agent reports them. */
  capabilities: { kubeVersion: string | undefined; apiVersions: readonly string[] };
}

export type ChartRenderResult = RenderResult | { ok: false; reason: RenderFailureReason; message: string; retry: true };

interface ChartMeta {
  defaults: Values;
  schema: object | undefined;
}

export interface ChartBundlesDeps {
  fetcher: Pick<ChartFetcher, "resolve" | "cachePath">;
  renderer: Pick<HelmRenderer, "render">;
  validator: ValuesValidator;
  /** The `username` and `password` of the Secret `credentialsSecretRef` names. */
  credentials: (ref: SecretReference) => Promise<Credentials>;
}

const reasonOf = (err: unknown): string | undefined => (err as { reason?: unknown }).reason as string | undefined;

export class ChartBundles {
  /** digest → the chart's default values and schema (read once per chart). */
  private readonly meta = new Map<string, Promise<ChartMeta>>();
  /** digest → the chart's values.schema.json, once read (for the config CRD, which asks synchronously). */
  private readonly schemas = new Map<string, object>();

  constructor(private readonly d: ChartBundlesDeps) {}

  async render(input: ChartBundleInput, signal?: AbortSignal): Promise<ChartRenderResult> {
    const helm = input.spec.source?.helm;
    if (!helm?.version || !helm.digest) return { ok: false, reason: "RenderFailed", message: "the revision's helm source names no exact version and digest" };
    try {
      const chartPath = await this.chartPath(helm.repoURL, helm.chart, helm.version, helm.digest, helm.credentialsSecretRef);
      const meta = await this.chartMeta(helm.digest, chartPath);
      const values = effectiveValues(input.spec, input.cluster.labels, input);
      const schema = input.spec.valuesSchema ?? meta.schema;
      if (schema !== undefined) {
        const inline = inlineSecretsFailure(schema, input.spec, input.cluster.labels, input);
        if (inline) return inline;
        const check = this.d.validator.validate(schema, mergeAll(meta.defaults, values));
        if (!check.ok) return { ok: false, reason: "ValuesInvalid", message: valuesErrorsMessage(check.errors) };
      }
      const capabilities: HelmCapabilities = { kubeVersion: input.capabilities.kubeVersion ?? "", apiVersions: [...input.capabilities.apiVersions] };
      const out = await this.d.renderer.render(
        { chartPath, chartDigest: helm.digest, releaseName: helm.releaseName ?? input.addon, namespace: input.spec.installNamespace ?? "", values, capabilities, cluster: input.cluster },
        signal,
      );
      return { ok: true, values, bundle: bundleOf(input, withNamespace(out.objects as KubeObject[], input.spec.installNamespace)) };
    } catch (err) {
      const reason = reasonOf(err);
      if (!(err instanceof FlotillaError) || reason === undefined) throw err;
      const failure = { ok: false as const, reason: reason as RenderFailureReason, message: err.message };
      return err.code === "Retryable" ? { ...failure, retry: true } : failure;
    }
  }

  /** The verified archive: from the cache by digest, else fetched (pinned to that version and digest). */
  private async chartPath(repoURL: string, chart: string, version: string, digest: string, secret: SecretReference | undefined): Promise<string> {
    const cached = this.d.fetcher.cachePath(digest);
    if (await stat(cached).then((s) => s.isFile(), () => false)) return cached;
    const creds = secret ? await this.d.credentials(secret) : undefined;
    return (await this.d.fetcher.resolve({ repoURL, chart, version, digest }, creds)).path;
  }

  /** The chart's values.schema.json, when the chart has one and it was read (see `load`). */
  schemaOf(digest: string): object | undefined {
    return this.schemas.get(digest);
  }

  /** Reads a fetched chart's defaults and schema ahead of its first render (the sources controller does, on resolving it). */
  async load(digest: string, path: string): Promise<void> {
    await this.chartMeta(digest, path);
  }

  private chartMeta(digest: string, path: string): Promise<ChartMeta> {
    let m = this.meta.get(digest);
    if (!m) {
      m = readMeta(path).then((meta) => {
        if (meta.schema) this.schemas.set(digest, meta.schema);
        return meta;
      });
      this.meta.set(digest, m);
      m.catch(() => this.meta.delete(digest));
    }
    return m;
  }
}

/**
 * The release namespace as the first object, unless the chart makes it (helm's `--create-namespace`).
 * Kept on uninstall, as helm keeps it: other things may live there by then.
 */
export function withNamespace(objects: KubeObject[], namespace: string | undefined): KubeObject[] {
  if (!namespace || objects.some((o) => o.kind === "Namespace" && o.apiVersion === "v1" && o.metadata.name === namespace)) return objects;
  return [{ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace, annotations: { [KEEP_ANNOTATION]: "true" } } }, ...objects];
}

async function readMeta(path: string): Promise<ChartMeta> {
  const { files } = await readChartFiles(await readFile(path), ["values.yaml", "values.schema.json"], { source: path });
  const defaultsDoc: unknown = files.has("values.yaml") ? parseYaml(files.get("values.yaml")!.toString("utf8")) : {};
  const schemaText = files.get("values.schema.json")?.toString("utf8");
  let schema: object | undefined;
  if (schemaText !== undefined) {
    try {
      schema = JSON.parse(schemaText) as object;
    } catch (err) {
      throw new ChartSourceError("NotAChart", path, `the chart's values.schema.json is not JSON: ${(err as Error).message}`);
    }
  }
  return { defaults: isPlainObject(defaultsDoc) ? defaultsDoc : {}, schema };
}
