/**
 * HelmRenderer, the shell around `helm template`: one render per distinct input (cache, then in-flight
 * de-duplication), at most `concurrency` helm processes, each with a deadline, in a helm home of its own.
 */
import type { KubeObject } from "@flotilla/shared";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { setImmediate as nextTurn } from "node:timers/promises";
import { join } from "node:path";
import type { Values } from "../../api/types.js";
import { AbortedError, untilAborted } from "../../kube/abort.js";
import { templateArgv } from "./argv.js";
import { BUILTIN_VALUES_KEY, readChartTemplates, templatesMention } from "./chart-files.js";
import { boundedStderr, HelmRenderError } from "./errors.js";
import { helmValues, renderKey, type ClusterIdentity, type RenderRequest } from "./key.js";
import { Limiter } from "./limiter.js";
import { LruCache } from "./lru.js";
import { splitManifests, TemplateOutputReader, type ParseResult } from "./parse.js";
import { runHelm } from "./run-helm.js";

export interface HelmRendererOptions {
  /** The helm binary (the hub's `--helm`); default `helm` on PATH. */
  helm?: string;
  /** One render's deadline; helm is killed after it. Default 60 s. */
  timeoutMs?: number;
  /** helm processes at once. Default 2. */
  concurrency?: number;
  /** Rendered results kept; weighed by the size of helm's output. Defaults 1000 entries, 256 MiB. */
  cacheMaxEntries?: number;
  cacheMaxBytes?: number;
  /** helm output larger than this fails the render. Default 64 MiB. */
  maxOutputBytes?: number;
  /** Helm's cache, config and data homes go here; default a temp dir made on first use, removed by `close()`. */
  homeDir?: string;
}

export interface HelmRenderInput extends Omit<RenderRequest, "values"> {
  /** Merged values without the built-ins (CMA < placement < MCA < valuesFrom < config object). */
  values: Values;
  /** Passed to the chart as `flotilla.cluster` only when its templates use it (see chart-files.ts). */
  cluster: ClusterIdentity;
}

export interface HelmRenderOutput {
  /** Shared with other callers and the cache, so frozen: copy before changing. */
  objects: readonly KubeObject[];
  crds: number;
  hooks: number;
  /** No helm ran for this call: the result came from the cache or from a run another caller started. */
  cacheHit: boolean;
  key: string;
}

export interface HelmRenderStats {
  /** helm processes started. */
  renders: number;
  cacheHits: number;
  /** Calls that waited for a run another caller had started. */
  joined: number;
  /** Runs that ended in an error (the cached failures served later count as cache hits). */
  failures: number;
  /** Distinct renders started and not finished; of those, how many wait for a helm slot. */
  inFlight: number;
  queued: number;
  cacheEntries: number;
  cacheBytes: number;
}

type Rendered = { ok: true; objects: readonly KubeObject[]; crds: number; hooks: number } | { ok: false; error: HelmRenderError };

interface InFlight {
  promise: Promise<Rendered>;
  waiters: number;
  abort: AbortController;
}

const STDERR_BYTES = 16 * 1024;

function deepFreeze<T>(v: T): T {
  if (typeof v === "object" && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

export class HelmRenderer {
  private readonly o: Required<Omit<HelmRendererOptions, "homeDir">>;
  private readonly cache: LruCache<Rendered>;
  private readonly limiter: Limiter;
  private readonly inFlight = new Map<string, InFlight>();
  /** chart digest → whether its templates use the built-in values (a handful of charts: small). */
  private readonly builtinUse = new LruCache<Promise<boolean>>({ maxEntries: 256, maxBytes: 256 });
  private home: Promise<string> | undefined;
  private readonly ownsHome: boolean;
  private readonly counts = { renders: 0, cacheHits: 0, joined: 0, failures: 0 };

  constructor(options: HelmRendererOptions = {}) {
    this.o = {
      helm: options.helm ?? "helm",
      timeoutMs: options.timeoutMs ?? 60_000,
      concurrency: options.concurrency ?? 2,
      cacheMaxEntries: options.cacheMaxEntries ?? 1000,
      cacheMaxBytes: options.cacheMaxBytes ?? 256 * 1024 * 1024,
      maxOutputBytes: options.maxOutputBytes ?? 64 * 1024 * 1024,
    };
    this.cache = new LruCache({ maxEntries: this.o.cacheMaxEntries, maxBytes: this.o.cacheMaxBytes });
    this.limiter = new Limiter(this.o.concurrency);
    this.ownsHome = options.homeDir === undefined;
    if (options.homeDir !== undefined) this.home = Promise.resolve(options.homeDir);
  }

  stats(): HelmRenderStats {
    return { ...this.counts, inFlight: this.inFlight.size, queued: this.limiter.queued, cacheEntries: this.cache.size, cacheBytes: this.cache.bytes };
  }

  /** Objects for one cluster, or a HelmRenderError; AbortedError when `signal` aborts first. */
  async render(input: HelmRenderInput, signal?: AbortSignal): Promise<HelmRenderOutput> {
    if (!input.capabilities.kubeVersion.trim()) {
      throw new HelmRenderError("KubeVersionUnknown", "the cluster's Kubernetes version is not known yet (its agent has not reported one)");
    }
    const builtins = await this.usesBuiltins(input.chartPath, input.chartDigest);
    const request: RenderRequest = { ...input, values: builtins ? helmValues([input.values], input.cluster) : input.values };
    const key = renderKey(request);
    const cached = this.cache.get(key);
    if (cached) {
      this.counts.cacheHits++;
      return this.output(cached, key, true);
    }
    let run = this.inFlight.get(key);
    const joined = run !== undefined;
    if (run) this.counts.joined++;
    else run = this.start(key, request);
    run.waiters++;
    try {
      return this.output(signal ? await untilAborted(run.promise, signal) : await run.promise, key, joined);
    } finally {
      // the last caller to give up stops the run (and a caller arriving after that starts a new one);
      // one that got its answer changes nothing
      if (--run.waiters === 0 && signal?.aborted) {
        run.abort.abort();
        this.forget(key, run);
      }
    }
  }

  /** Removes the helm home this renderer made. Renders after this make a new one. */
  async close(): Promise<void> {
    const home = this.home;
    if (!this.ownsHome || home === undefined) return;
    this.home = undefined;
    await rm(await home, { recursive: true, force: true });
  }

  private forget(key: string, run: InFlight): void {
    if (this.inFlight.get(key) === run) this.inFlight.delete(key);
  }

  private output(r: Rendered, key: string, cacheHit: boolean): HelmRenderOutput {
    if (!r.ok) throw r.error;
    return { objects: r.objects, crds: r.crds, hooks: r.hooks, cacheHit, key };
  }

  private usesBuiltins(chartPath: string, digest: string): Promise<boolean> {
    let p = this.builtinUse.get(digest);
    if (!p) {
      p = readChartTemplates(chartPath).then(
        (files) => templatesMention(files, BUILTIN_VALUES_KEY),
        (err: unknown) => {
          this.builtinUse.delete(digest);
          throw new HelmRenderError("RenderFailed", `cannot read chart ${chartPath}: ${(err as Error).message}`, { code: "Retryable", cause: err });
        },
      );
      this.builtinUse.set(digest, p, 1);
    }
    return p;
  }

  private start(key: string, request: RenderRequest): InFlight {
    const abort = new AbortController();
    const promise = this.limiter
      .run(() => this.exec(key, request, abort.signal), abort.signal)
      .then((r) => {
        if (!r.ok) this.counts.failures++;
        return r;
      })
      .finally(() => this.forget(key, run));
    const run: InFlight = { promise, waiters: 0, abort };
    this.inFlight.set(key, run);
    // a run every caller gave up on still settles; nobody awaits its AbortedError
    promise.catch(() => undefined);
    return run;
  }

  /** One helm run; results that the same input would give again are cached, failures included. */
  private async exec(key: string, r: RenderRequest, signal: AbortSignal): Promise<Rendered> {
    this.counts.renders++;
    const home = await this.helmHome();
    const argv = templateArgv({ chartPath: r.chartPath, releaseName: r.releaseName, namespace: r.namespace, capabilities: r.capabilities });
    let run;
    try {
      run = await runHelm({
        helm: this.o.helm, argv, stdin: JSON.stringify(r.values), env: helmEnv(home), timeoutMs: this.o.timeoutMs,
        maxStdoutBytes: this.o.maxOutputBytes, maxStderrBytes: STDERR_BYTES, signal,
      });
    } catch (err) {
      this.counts.failures++;
      throw new HelmRenderError("RenderFailed", `cannot run helm (${this.o.helm}): ${(err as Error).message}`, { code: "Retryable", cause: err });
    }
    if (run.aborted) throw new AbortedError();
    if (run.timedOut) return { ok: false, error: new HelmRenderError("RenderTimeout", `helm template did not finish within ${this.o.timeoutMs} ms`) };
    if (run.overflow) return this.keep(key, { ok: false, error: new HelmRenderError("RenderFailed", `helm template wrote more than ${this.o.maxOutputBytes} bytes`) }, 1024);
    if (run.exitCode !== 0) {
      const message = boundedStderr(run.stderr) || `helm exited with ${run.exitCode ?? run.signal}`;
      const failure: Rendered = { ok: false, error: new HelmRenderError("RenderFailed", message, run.signal ? { code: "Retryable" } : {}) };
      // killed by a signal (out of memory, say) is no answer about these inputs
      return run.signal ? failure : this.keep(key, failure, message.length);
    }
    const parsed = await readYielding(run.stdout);
    if (!parsed.ok) return this.keep(key, { ok: false, error: new HelmRenderError("InvalidManifest", parsed.message) }, parsed.message.length);
    return this.keep(key, { ok: true, ...deepFreeze(parsed.value) }, Buffer.byteLength(run.stdout));
  }

  private keep(key: string, r: Rendered, bytes: number): Rendered {
    this.cache.set(key, r, bytes);
    return r;
  }

  private helmHome(): Promise<string> {
    this.home ??= mkdtemp(join(tmpdir(), "flotilla-helm-"));
    return this.home;
  }
}

/**
 * Only what helm needs: its three homes in the renderer's own dir (never the user's repositories,
 * registry logins or plugins) and no kubeconfig (template never talks to a cluster).
 */
function helmEnv(home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    HELM_CACHE_HOME: join(home, "cache"),
    HELM_CONFIG_HOME: join(home, "config"),
    HELM_DATA_HOME: join(home, "data"),
    KUBECONFIG: join(home, "no-kubeconfig"),
  };
}

/** How long the parse of one render may hold the event loop before it lets other work run. */
const PARSE_SLICE_MS = 10;

/**
 * `parseTemplateOutput`, a document at a time, giving the event loop back between documents once ~10 ms
 * have passed: a cold cert-manager render is ~280 ms of YAML parsing, which in one go holds up leader
 * renewals, probes and every other reconcile. One large document (a CRD of 300 KB) still parses in one go.
 * (`performance.now()` only decides when to yield, never what is parsed.)
 */
async function readYielding(stdout: string): Promise<ParseResult> {
  const reader = new TemplateOutputReader();
  let slice = performance.now();
  for (const part of splitManifests(stdout)) {
    const message = reader.read(part);
    if (message) return { ok: false, message };
    if (performance.now() - slice > PARSE_SLICE_MS) {
      await nextTurn();
      slice = performance.now();
    }
  }
  return { ok: true, value: reader.result() };
}
