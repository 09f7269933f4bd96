import { ApiException, HttpMethod, KubernetesObjectApi, type KubeConfig, type RequestContext, type ResponseContext } from "@kubernetes/client-node";
import { FlotillaError, httpStatusOf, kubeErrorMessage, type KubeObject } from "@flotilla/shared";
import { apiVersionOfRef, headerOf, type ObjectRef } from "../inventory/ref.js";

const RAW = "__raw__";

/**
 * The generic object API, but on wire JSON both ways. client-node's KubernetesObjectApi serializes
 * a body through its typed model for the kind, which drops fields the model does not know and
 * renames others (`x-kubernetes-*`, `default` in CRD schemas); a bundle must reach the API server
 * byte for byte as rendered. Path resolution and discovery (protected there) are reused.
 */
export class RawObjectApi extends KubernetesObjectApi {
  /** Sent as `Impersonate-User` on apply, get, delete and create; discovery stays the caller's own. */
  private impersonate: string | undefined;
  private onForbidden: ((method: string, url: string) => void) | undefined;

  static forConfig(kc: KubeConfig): RawObjectApi {
    const api = kc.makeApiClient(RawObjectApi);
    api.defaultNamespace = kc.getContextObject(kc.getCurrentContext())?.namespace ?? "default";
    return api;
  }

  /**
   * The same API acting as `user` (an addon's ServiceAccount): the same KubeConfig, so the same
   * keep-alive connections (the header is per request, the TLS identity is the agent's), and the
   * same discovery cache. `onForbidden` hears of every 403 answered to the impersonated requests.
   */
  impersonating(user: string, onForbidden?: (method: string, url: string) => void): RawObjectApi {
    const api = new RawObjectApi(this.configuration);
    api.defaultNamespace = this.defaultNamespace;
    api.apiVersionResourceCache = this.apiVersionResourceCache;
    api.impersonate = user;
    api.onForbidden = onForbidden;
    return api;
  }

  /**
   * True/false when the kind is served; undefined when discovery says it is not (its group version
   * is not served, or is served without it). A discovery call that fails (unreachable, 5xx, denied)
   * throws a Retryable error: a scope is never guessed, or a namespaced object could land in the
   * default namespace.
   */
  async isNamespaced(apiVersion: string, kind: string): Promise<boolean | undefined> {
    return (await this.resourceOf(apiVersion, kind))?.namespaced;
  }

  /**
   * The kind's REST resource (plural) and scope; undefined when discovery says it is not served.
   * A failed discovery call throws a Retryable error, as `isNamespaced` does.
   */
  async resourceOf(apiVersion: string, kind: string): Promise<{ plural: string; namespaced: boolean } | undefined> {
    try {
      const r = await this.resource(apiVersion, kind);
      return r ? { plural: r.name, namespaced: r.namespaced } : undefined;
    } catch (err) {
      if (isUnknownKind(err)) return undefined;
      throw discoveryFailed(apiVersion, kind, err);
    }
  }

  /**
   * Server-side apply of the whole object; returns the object as stored. `force` (default true)
   * takes the fields other field managers own; without it the server answers 409 naming them. With
   * `dryRun` the server runs everything (admission, defaulting, field ownership) and stores nothing
   * (`dryRun=All`): the object as it would be stored (`flotilla diff`).
   */
  async apply(obj: KubeObject, fieldManager: string, opts: { dryRun?: boolean; force?: boolean } = {}): Promise<KubeObject> {
    const namespaced = await this.isNamespaced(obj.apiVersion, obj.kind);
    // The generic path resolution would put a namespaced object that names no namespace into the
    // default one. That happens only when its scope was unknown when it was placed (its kind was not
    // served yet); placing it again now finds the scope.
    if (namespaced === true && !obj.metadata.namespace) {
      throw new FlotillaError("Retryable", `${obj.kind} ${obj.metadata.name ?? ""} has no namespace: its kind became namespaced after the object was placed`);
    }
    const path = await this.specUriPath(structuredClone(obj), "patch");
    const ctx = this.configuration.baseServer.makeRequestContext(path, HttpMethod.PATCH);
    ctx.setHeaderParam("Accept", "application/json");
    ctx.setHeaderParam("Content-Type", "application/apply-patch+yaml");
    ctx.setQueryParam("fieldManager", fieldManager);
    if (opts.force !== false) ctx.setQueryParam("force", "true");
    // Like kubectl: a field the schema does not know is an error to report, not something to drop.
    ctx.setQueryParam("fieldValidation", "Strict");
    if (opts.dryRun) ctx.setQueryParam("dryRun", "All");
    ctx.setBody(JSON.stringify(obj));
    return this.send<KubeObject>(ctx);
  }

  /** Creates `obj` (POST) and returns the answer; for what is only ever created, such as access reviews. */
  async post<T = KubeObject>(obj: { apiVersion: string; kind: string; [field: string]: unknown }): Promise<T> {
    const path = await this.specUriPath({ metadata: {}, ...structuredClone(obj) }, "create");
    const ctx = this.configuration.baseServer.makeRequestContext(path, HttpMethod.POST);
    ctx.setHeaderParam("Accept", "application/json");
    ctx.setHeaderParam("Content-Type", "application/json");
    ctx.setBody(JSON.stringify(obj));
    return this.send<T>(ctx);
  }

  /** The live object, or undefined when it (or its kind) does not exist. */
  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    try {
      if (!(await this.addressable(ref))) return undefined;
      const path = await this.specUriPath(headerOf(ref), "read");
      const ctx = this.configuration.baseServer.makeRequestContext(path, HttpMethod.GET);
      ctx.setHeaderParam("Accept", "application/json");
      return await this.send<KubeObject>(ctx);
    } catch (err) {
      if (httpStatusOf(err) === 404 || isUnknownKind(err)) return undefined;
      throw err;
    }
  }

  /** Deletes (background propagation); false when it was already gone. */
  async remove(ref: ObjectRef): Promise<boolean> {
    try {
      if (!(await this.addressable(ref))) return false;
      const path = await this.specUriPath(headerOf(ref), "delete");
      const ctx = this.configuration.baseServer.makeRequestContext(path, HttpMethod.DELETE);
      ctx.setHeaderParam("Accept", "application/json");
      ctx.setHeaderParam("Content-Type", "application/json");
      ctx.setBody(JSON.stringify({ kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: "Background" }));
      await this.send(ctx);
      return true;
    } catch (err) {
      if (httpStatusOf(err) === 404 || isUnknownKind(err)) return false;
      throw err;
    }
  }

  /**
   * A ref names an object only if its kind is served and it has a namespace exactly when the kind is
   * namespaced; the generic path resolution would otherwise quietly use the default namespace.
   */
  private async addressable(ref: ObjectRef): Promise<boolean> {
    const namespaced = await this.isNamespaced(apiVersionOfRef(ref), ref.kind);
    return namespaced !== undefined && namespaced === Boolean(ref.namespace);
  }

  private async send<T>(ctx: RequestContext): Promise<T> {
    if (this.impersonate) ctx.setHeaderParam("Impersonate-User", this.impersonate);
    try {
      return (await this.requestPromise(ctx, RAW)) as T;
    } catch (err) {
      if (this.impersonate && httpStatusOf(err) === 403) this.onForbidden?.(ctx.getHttpMethod(), ctx.getUrl());
      throw err;
    }
  }

  protected override async processResponse<T>(response: ResponseContext, type?: string): Promise<T> {
    if (type !== RAW) return super.processResponse(response, type) as Promise<T>;
    const text = await response.body.text();
    if (response.httpStatusCode >= 200 && response.httpStatusCode <= 299) return JSON.parse(text) as T;
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // keep the text
    }
    throw new ApiException(response.httpStatusCode, "Unsuccessful HTTP Request", body, response.headers);
  }
}

function discoveryFailed(apiVersion: string, kind: string, err: unknown): FlotillaError {
  return new FlotillaError("Retryable", `discovery of ${apiVersion} ${kind} failed: ${kubeErrorMessage(err)}`, { cause: err });
}

/**
 * client-node's error when discovery does not know the kind: the group version is not served (404)
 * or is served without it (its CRD is gone or not installed). Connection errors are not this.
 */
export const isUnknownKind = (err: unknown): boolean =>
  err instanceof Error &&
  (/Unrecognized API version and kind/.test(err.message) || (/Failed to fetch resource metadata/.test(err.message) && httpStatusOf(err) === 404));
