import { CONFIG_GROUP, configNames } from "../../configcrd/index.js";
import { canonicalJson, errorMessage, Informer, type Clock, type KubeClients, type Logger } from "@flotilla/shared";
import type { KubernetesObject } from "@kubernetes/client-node";
import type { Values } from "../../api/types.js";
import { writtenVersion } from "./written-version.js";

interface ConfigObject extends KubernetesObject {
  spec?: { values?: Values };
}

/** What the hub knows of one config object. */
export interface ConfigEntry {
  values: Values;
  /** The version it was read at: the one it was last written at (see written-version.ts). */
  version: string;
  generation: number | undefined;
}

interface Watched {
  served: readonly string[];
  newest: string;
  informer: Informer<ConfigObject>;
  /** Per object, a counter so an older read that resolves late never overwrites a newer one. */
  reads: Map<string, number>;
}

export interface ConfigValuesDeps {
  clients: KubeClients;
  logger: Logger;
  clock?: Clock;
  /** Called when a cluster's config values for an addon appear, change or go (re-render that cluster). */
  onChange?: (cluster: string, addon: string) => void;
}

/**
 * The values of every config object (`<Addon>Config` in a cluster's namespace, named after the addon),
 * kept by one informer per generated CRD at its newest version. An object last written at an older
 * version is read again at that version, so fields the newest schema pruned are not lost; the values
 * are handed out as written: the hub checks them against the addon's current valuesSchema (with the
 * rest of the cluster's values) before it renders anything.
 */
export class ConfigValues {
  private readonly watched = new Map<string, Watched>();
  private readonly entries = new Map<string, ConfigEntry>();

  constructor(private readonly d: ConfigValuesDeps) {}

  /** The cluster's config values for the addon, if it has a config object. */
  valuesFor(cluster: string, addon: string): Values | undefined {
    return this.entries.get(`${cluster}/${addon}`)?.values;
  }

  entry(cluster: string, addon: string): ConfigEntry | undefined {
    return this.entries.get(`${cluster}/${addon}`);
  }

  /** Watches the addon's config objects at `newest` (restarting the watch when the newest version moved). */
  async watch(addon: string, served: readonly string[], newest: string): Promise<void> {
    const w = this.watched.get(addon);
    if (w && w.newest === newest && w.served.join() === served.join()) return;
    if (w) await w.informer.stop();
    const names = configNames(addon);
    const informer = new Informer<ConfigObject>({
      clients: this.d.clients,
      resource: { group: CONFIG_GROUP, version: newest, plural: names.plural, kind: names.kind },
      logger: this.d.logger.child({ component: "config-informer", addon }),
      ...(this.d.clock ? { clock: this.d.clock } : {}),
    });
    const next: Watched = { served, newest, informer, reads: new Map() };
    this.watched.set(addon, next);
    informer.on((event, obj) => this.onEvent(addon, next, event === "delete", obj));
    void informer.start();
    // A restarted watch lists afresh and reports no deletes: forget the objects that are gone.
    if (w) void informer.synced.then(() => this.forgetMissing(addon, next));
  }

  private forgetMissing(addon: string, w: Watched): void {
    if (this.watched.get(addon) !== w) return;
    const present = new Set(w.informer.list().map((o) => `${o.metadata?.namespace ?? ""}/${addon}`));
    this.forget(addon, (key) => present.has(key));
  }

  /** Drops the addon's entries that `keep` does not keep, telling onChange about each. */
  private forget(addon: string, keep: (key: string) => boolean): void {
    for (const key of [...this.entries.keys()]) {
      if (!key.endsWith(`/${addon}`) || keep(key)) continue;
      this.entries.delete(key);
      this.d.onChange?.(key.slice(0, -addon.length - 1), addon);
    }
  }

  /** Stops watching the addon and forgets its values. */
  async unwatch(addon: string): Promise<void> {
    const w = this.watched.get(addon);
    if (!w) return;
    this.watched.delete(addon);
    await w.informer.stop();
    this.forget(addon, () => false);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.watched.values()].map((w) => w.informer.stop()));
    this.watched.clear();
  }

  /** Resolves once the addon's informer has listed (for tests and a first render that waits). */
  synced(addon: string): Promise<void> | undefined {
    return this.watched.get(addon)?.informer.synced;
  }

  private onEvent(addon: string, w: Watched, deleted: boolean, obj: ConfigObject): void {
    const cluster = obj.metadata?.namespace ?? "";
    if (obj.metadata?.name !== addon || !cluster) return; // the CRD's CEL rule refuses other names; be sure
    const key = `${cluster}/${addon}`;
    const seq = (w.reads.get(key) ?? 0) + 1;
    w.reads.set(key, seq);
    if (deleted) {
      if (this.entries.delete(key)) this.d.onChange?.(cluster, addon);
      return;
    }
    const version = writtenVersion(obj, w.served, w.newest);
    if (version === w.newest) return this.store(key, cluster, addon, obj, version);
    const { plural } = configNames(addon);
    this.d.clients.custom
      .getNamespacedCustomObject({ group: CONFIG_GROUP, version, plural, namespace: cluster, name: addon })
      .then((full: unknown) => {
        if (w.reads.get(key) === seq && this.watched.get(addon) === w) this.store(key, cluster, addon, full as ConfigObject, version);
      })
      .catch((err: unknown) => {
        // keep what the newest version shows rather than nothing; the next event or resync reads again
        this.d.logger.warn({ cluster, addon, version, error: errorMessage(err) }, "config object could not be read at the version it was written at");
        if (w.reads.get(key) === seq) this.store(key, cluster, addon, obj, w.newest);
      });
  }

  private store(key: string, cluster: string, addon: string, obj: ConfigObject, version: string): void {
    const values = obj.spec?.values ?? {};
    const prev = this.entries.get(key);
    this.entries.set(key, { values, version, generation: obj.metadata?.generation });
    if (!prev || canonicalJson(prev.values) !== canonicalJson(values)) this.d.onChange?.(cluster, addon);
  }
}
