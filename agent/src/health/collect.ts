import type { HealthCheck, KubeObject, ResourceStatus } from "@flotilla/shared";
import type { ObjectWatch } from "../watch/object-watch.js";
import type { RawObjectApi } from "../apply/object-api.js";
import { describeRef, refKey, type InventoryItem } from "../inventory/ref.js";
import { CelPrograms, type CelCompiler } from "./cel.js";
import { evaluateObject, summarize, type AddonHealth, type LiveObject, type ObjectHealth } from "./evaluate.js";
import { freshest } from "./freshest.js";
import { healthView, ruleView } from "./health-view.js";
import { applyRules, hasCel, invalidRules, ruleMatches } from "./rules.js";

export interface CollectedHealth {
  health: AddonHealth;
  resources: ResourceStatus[];
  /** Objects not ready whose kind no watch covers: only a later read can see them change. */
  unwatchedNotReady: number;
}

/** Most objects re-read from the API server in one evaluation (the rest wait for the next poll). */
const MAX_READS = 20;

/**
 * Gathers the live state of an addon's objects and judges it: from the watch cache, or, for a kind
 * no watch covers yet, from what the apply returned, re-read from the API server while not ready.
 */
export class HealthCollector {
  constructor(
    private readonly watch: Pick<ObjectWatch, "lookup">,
    private readonly api: Pick<RawObjectApi, "get">,
    /** Compiled CEL health rules; the library loads on the first addon that has one. */
    private readonly cel = new CelPrograms(),
  ) {}

  /**
   * `live` holds the latest known copy of each object by refKey; it is updated with what is read.
   * `rules` are the addon's healthChecks; an object one of them matches is kept whole (less
   * managedFields), since a rule may look at any field.
   */
  async collect(items: readonly InventoryItem[], live: Map<string, KubeObject>, rules: readonly HealthCheck[] = []): Promise<CollectedHealth> {
    const cel: CelCompiler | undefined = hasCel(rules) ? await this.cel.load() : undefined;
    // Items of a list response carry no kind; the inventory knows it.
    const judge = (item: InventoryItem, obj: KubeObject): ObjectHealth => {
      const o = { ...(obj as LiveObject), kind: item.kind };
      return applyRules(evaluateObject(o), o, item, rules, cel);
    };
    let reads = 0;
    let unwatchedNotReady = 0;
    const judged: { item: InventoryItem; health: ObjectHealth }[] = [];
    for (const item of items) {
      const key = refKey(item);
      const cached = this.watch.lookup(item);
      let obj: KubeObject | undefined;
      if (cached === "unknown") {
        obj = live.get(key);
        if ((!obj || !judge(item, obj).ready) && reads < MAX_READS) {
          reads++;
          const read = await this.api.get(item);
          obj = read && (rules.some((r) => ruleMatches(r, item)) ? ruleView(read) : healthView(read));
          if (obj) live.set(key, obj);
          else live.delete(key);
        }
      } else {
        obj = freshest(cached as KubeObject | undefined, live.get(key));
      }
      const health: ObjectHealth = obj ? judge(item, obj) : { ready: false, failed: false, message: "not found" };
      judged.push({ item, health });
      if (cached === "unknown" && !health.ready) unwatchedNotReady++;
    }
    const invalid = invalidRules(rules, cel);
    return {
      health: { ...summarize(judged.map(({ item, health }) => ({ name: describeRef(item), health }))), ...(invalid.length ? { invalid } : {}) },
      resources: judged.map(({ item, health }) => ({
        group: item.group,
        version: item.version,
        kind: item.kind,
        ...(item.namespace ? { namespace: item.namespace } : {}),
        name: item.name,
        ready: health.ready,
        ...(health.message ? { message: health.message } : {}),
      })),
      unwatchedNotReady,
    };
  }
}
