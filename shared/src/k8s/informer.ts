import { ListWatch, type KubernetesObject, type KubernetesListObject } from "@kubernetes/client-node";
import type { Logger } from "pino";
import type { KubeClients } from "./clients.js";
import { collectionPath } from "./clients.js";
import { classifyKubeError, httpStatusOf, kubeErrorMessage, type FlotillaError } from "../errors.js";
import { Backoff, DEFAULT_BACKOFF, type BackoffPolicy } from "../retry/backoff.js";
import { systemClock, type Clock, type Timer } from "../time/clock.js";

export type InformerEvent = "add" | "update" | "delete" | "resync";
export type InformerHandler<T> = (event: InformerEvent, obj: T) => void;

export interface InformerOptions {
  clients: KubeClients;
  resource: { group: string; version: string; plural: string; kind: string };
  namespace?: string;
  labelSelector?: string;
  /** e.g. `type=flotilla.dev/bootstrap-token` for Secrets. */
  fieldSelector?: string;
  logger: Logger;
  /** Every so often every cached object is handed to the handlers again (level-based safety net). */
  resyncMs?: number;
  /** Restart delays after a watch or list error (default: DEFAULT_BACKOFF). */
  backoff?: BackoffPolicy;
  clock?: Clock;
  random?: () => number;
  /**
   * Told after every list: undefined when it worked, else the error as a FlotillaError (a 403 is
   * Forbidden), so a caller can show why its cache is empty (the informer keeps retrying either way).
   */
  onStatus?: (error: FlotillaError | undefined) => void;
}

/**
 * A cache of one resource kept by list+watch. client-node's ListWatch relists on 410 Gone; on any
 * other error it stops, so this restarts it with the shared backoff policy (reset by a successful
 * list), and adds a periodic resync. Time comes from the injected clock.
 */
export class Informer<T extends KubernetesObject> {
  private readonly lw: ListWatch<T>;
  private readonly handlers: InformerHandler<T>[] = [];
  private readonly opts: InformerOptions;
  private readonly clock: Clock;
  private readonly backoff: Backoff;
  private resyncTimer: Timer | undefined;
  private retryTimer: Timer | undefined;
  private stopped = true;
  private syncedResolve!: () => void;
  /** Resolves once the first list has been cached. */
  readonly synced: Promise<void>;

  constructor(opts: InformerOptions) {
    this.opts = opts;
    this.clock = opts.clock ?? systemClock;
    this.backoff = new Backoff(opts.backoff ?? DEFAULT_BACKOFF, opts.random);
    this.synced = new Promise((r) => (this.syncedResolve = r));
    const { clients, resource, namespace, labelSelector, fieldSelector } = opts;
    const apiVersion = resource.group ? `${resource.group}/${resource.version}` : resource.version;
    const listFn = async (): Promise<KubernetesListObject<T>> => {
      const list = await clients.objects.list<T>(apiVersion, resource.kind, namespace, undefined, undefined, undefined, fieldSelector, labelSelector);
      this.backoff.reset();
      this.opts.onStatus?.(undefined);
      // ListWatch caches the items right after this promise settles.
      setImmediate(() => this.syncedResolve());
      return list;
    };
    this.lw = new ListWatch<T>(collectionPath(resource, namespace), clients.watch, listFn, false, labelSelector, fieldSelector);
    this.lw.on("add", (o) => this.emit("add", o));
    this.lw.on("update", (o) => this.emit("update", o));
    this.lw.on("delete", (o) => this.emit("delete", o));
    this.lw.on("error", (err) => this.onError(err));
  }

  on(handler: InformerHandler<T>): void {
    this.handlers.push(handler);
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.scheduleResync();
    await this.lw.start().catch((err: unknown) => this.onError(err));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.resyncTimer?.cancel();
    this.retryTimer?.cancel();
    await this.lw.stop();
  }

  get(name: string, namespace?: string): T | undefined {
    return this.lw.get(name, namespace);
  }

  list(namespace?: string): readonly T[] {
    return this.lw.list(namespace);
  }

  private emit(event: InformerEvent, obj: T): void {
    // An event from the server means the list or watch works again: the next failure starts over.
    if (event !== "resync") this.backoff.reset();
    for (const h of this.handlers) {
      try {
        h(event, obj);
      } catch (err) {
        this.opts.logger.error({ error: err instanceof Error ? err.message : String(err) }, "informer handler failed");
      }
    }
  }

  private scheduleResync(): void {
    this.resyncTimer = this.clock.setTimer(() => {
      if (this.stopped) return;
      for (const o of this.lw.list()) this.emit("resync", o);
      this.scheduleResync();
    }, this.opts.resyncMs ?? 5 * 60_000);
  }

  private onError(err: unknown): void {
    if (this.stopped) return;
    this.opts.onStatus?.(classifyKubeError(err));
    const delay = this.backoff.next();
    // only the server's message: the raw error carries request headers
    this.opts.logger.warn({ error: kubeErrorMessage(err), status: httpStatusOf(err), resource: this.opts.resource.plural, attempt: this.backoff.attempts, retryInMs: delay }, "watch failed; restarting");
    this.retryTimer?.cancel();
    this.retryTimer = this.clock.setTimer(() => {
      if (!this.stopped) this.lw.start().catch((e: unknown) => this.onError(e));
    }, delay);
  }
}
