import { ListWatch, type KubernetesObject, type KubernetesListObject } from "@kubernetes/client-node";
import type { Logger } from "pino";
import type { KubeClients } from "./clients.js";
import { collectionPath } from "./clients.js";
import { httpStatusOf, kubeErrorMessage } from "../errors.js";

export type InformerEvent = "add" | "update" | "delete" | "resync";
export type InformerHandler<T> = (event: InformerEvent, obj: T) => void;

export interface InformerOptions {
  clients: KubeClients;
  resource: { group: string; version: string; plural: string; kind: string };
  namespace?: string;
  labelSelector?: string;
  logger: Logger;
  /** Every so often every cached object is handed to the handlers again (level-based safety net). */
  resyncMs?: number;
  /** Restart delay after a watch or list error (doubles up to 30 s, jittered). */
  retryBaseMs?: number;
}

/**
 * A cache of one resource kept by list+watch. client-node's ListWatch relists on 410 Gone; on any
 * other error it stops, so this restarts it with jittered backoff, and adds a periodic resync.
 */
export class Informer<T extends KubernetesObject> {
  private readonly lw: ListWatch<T>;
  private readonly handlers: InformerHandler<T>[] = [];
  private readonly opts: InformerOptions;
  private resyncTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private stopped = true;
  private syncedResolve!: () => void;
  /** Resolves once the first list has been cached. */
  readonly synced: Promise<void>;

  constructor(opts: InformerOptions) {
    this.opts = opts;
    this.synced = new Promise((r) => (this.syncedResolve = r));
    const { clients, resource, namespace, labelSelector } = opts;
    const apiVersion = resource.group ? `${resource.group}/${resource.version}` : resource.version;
    const listFn = async (): Promise<KubernetesListObject<T>> => {
      const list = await clients.objects.list<T>(apiVersion, resource.kind, namespace, undefined, undefined, undefined, undefined, labelSelector);
      this.failures = 0;
      // ListWatch caches the items right after this promise settles.
      setImmediate(() => this.syncedResolve());
      return list;
    };
    this.lw = new ListWatch<T>(collectionPath(resource, namespace), clients.watch, listFn, false, labelSelector);
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
    const resyncMs = this.opts.resyncMs ?? 5 * 60_000;
    this.resyncTimer = setInterval(() => {
      for (const o of this.lw.list()) this.emit("resync", o);
    }, resyncMs);
    this.resyncTimer.unref();
    await this.lw.start().catch((err: unknown) => this.onError(err));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.resyncTimer);
    clearTimeout(this.retryTimer);
    await this.lw.stop();
  }

  get(name: string, namespace?: string): T | undefined {
    return this.lw.get(name, namespace);
  }

  list(namespace?: string): readonly T[] {
    return this.lw.list(namespace);
  }

  private emit(event: InformerEvent, obj: T): void {
    for (const h of this.handlers) {
      try {
        h(event, obj);
      } catch (err) {
        this.opts.logger.error({ error: err instanceof Error ? err.message : String(err) }, "informer handler failed");
      }
    }
  }

  private onError(err: unknown): void {
    if (this.stopped) return;
    this.failures++;
    const base = this.opts.retryBaseMs ?? 500;
    const delay = Math.min(30_000, base * 2 ** Math.min(this.failures - 1, 6)) * (0.5 + Math.random() / 2);
    // only the server's message: the raw error carries request headers
    this.opts.logger.warn({ error: kubeErrorMessage(err), status: httpStatusOf(err), resource: this.opts.resource.plural, retryInMs: Math.round(delay) }, "watch failed; restarting");
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (!this.stopped) this.lw.start().catch((e: unknown) => this.onError(e));
    }, delay);
  }
}
