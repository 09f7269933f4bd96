import type { KubeObject, ResourceStatus } from "@flotilla/shared";
import type { RawObjectApi } from "../apply/object-api.js";
import { describeRef, refKey, type InventoryItem } from "../inventory/ref.js";
import { evaluateObject, summarize, type AddonHealth, type LiveObject, type ObjectHealth } from "./evaluate.js";
import { freshest } from "./freshest.js";
import { healthView } from "./health-view.js";
import { WorkloadWatch } from "./workload-watch.js";

export interface CollectedHealth {
  health: AddonHealth;
  resources: ResourceStatus[];
}

/** Most objects re-read from the API server in one evaluation (the rest wait for the next poll). */
const MAX_READS = 20;

/**
 * Gathers the live state of an addon's objects and judges it: workloads from the watch cache,
 * other objects from what the apply returned, re-read from the API server while they are not ready.
 */
export class HealthCollector {
  constructor(
    private readonly workloads: WorkloadWatch,
    private readonly api: Pick<RawObjectApi, "get">,
  ) {}

  /** `live` holds the latest known copy of each object by refKey; it is updated with what is read. */
  async collect(items: readonly InventoryItem[], live: Map<string, KubeObject>): Promise<CollectedHealth> {
    let reads = 0;
    const judged: { item: InventoryItem; health: ObjectHealth }[] = [];
    for (const item of items) {
      const key = refKey(item);
      const cached = this.workloads.lookup(item);
      let obj: KubeObject | undefined;
      if (cached === "unknown") {
        obj = live.get(key);
        if ((!obj || !evaluateObject({ ...(obj as LiveObject), kind: item.kind }).ready) && reads < MAX_READS) {
          reads++;
          const read = await this.api.get(item);
          obj = read && healthView(read);
          if (obj) live.set(key, obj);
          else live.delete(key);
        }
      } else {
        obj = freshest(cached as KubeObject | undefined, live.get(key));
      }
      // Items of a list response carry no kind; the inventory knows it.
      const health: ObjectHealth = obj ? evaluateObject({ ...(obj as LiveObject), kind: item.kind }) : { ready: false, failed: false, message: "not found" };
      judged.push({ item, health });
    }
    return {
      health: summarize(judged.map(({ item, health }) => ({ name: describeRef(item), health }))),
      resources: judged.map(({ item, health }) => ({
        group: item.group,
        version: item.version,
        kind: item.kind,
        ...(item.namespace ? { namespace: item.namespace } : {}),
        name: item.name,
        ready: health.ready,
        ...(health.message ? { message: health.message } : {}),
      })),
    };
  }
}
