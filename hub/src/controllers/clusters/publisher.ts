import type { Logger } from "@flotilla/shared";
import type { DesiredStore } from "../../bus/desired-store.js";
import { planPublish, type AddonDesire } from "./publish-plan.js";

/** Carries out a publish plan for one cluster: bundles, then the index, then deletions. */
export class Publisher {
  constructor(
    private readonly store: DesiredStore,
    private readonly logger: Logger,
  ) {}

  async publish(cluster: string, desires: readonly AddonDesire[], opts: { deleteIndex?: boolean } = {}): Promise<void> {
    const plan = planPublish(cluster, this.store.published(cluster), desires, opts);
    for (const w of plan.writes) await this.store.write(w, w.key.includes(".part.") ? "DesiredBundlePart" : "DesiredBundle");
    if (plan.index.action === "write") await this.store.write(plan.index.value, "DesiredIndex");
    if (plan.index.action === "delete") await this.store.remove(cluster);
    for (const k of plan.deletes) await this.store.remove(k);
    if (plan.writes.length || plan.index.action !== "none" || plan.deletes.length) {
      this.logger.info(
        {
          cluster,
          written: plan.writes.map((w) => w.key),
          index: plan.index.action === "write" ? Object.fromEntries(Object.entries(plan.index.doc.addons).map(([a, e]) => [a, e.revision])) : plan.index.action,
          deleted: plan.deletes,
        },
        "published desired state",
      );
    }
  }
}
