import type { DesiredBundle, DesiredIndex, KubeObject } from "@flotilla/shared";
import type { AppliedFields } from "../drift/detect.js";
import type { NamedDrift } from "../drift/describe.js";
import type { AppliedRecord } from "../inventory/store.js";
import type { SentReport, Stamp } from "../plan/addon-step.js";
import type { ApplyPhase } from "../report/build.js";

/**
 * What the agent learned about one addon, each fact with the time it learned it. Only the addon's
 * own reconcile writes here; events elsewhere only enqueue the addon (see plan/addon-step.ts for how
 * the times turn into "resync due").
 */
export interface AddonMemory {
  /** Last good bundle read for the addon, and the index digest it matched. */
  bundle?: DesiredBundle;
  bundleDigest?: string;
  /** The bundle last applied completely (applied and pruned), and when. */
  applied?: Stamp;
  /** An index digest whose bundle was dropped as invalid, and when. */
  rejected?: Stamp;
  /** A digest whose apply the API server refused (422, 403), and when. */
  refused?: Stamp;
  /** Where the desired revision stands. */
  phase?: ApplyPhase;
  /** Latest copy of each applied object by refKey (apply responses, re-reads). */
  live: Map<string, KubeObject>;
  /** The fields the agent owned right after it last applied each object, by refKey (drift is judged against them). */
  owned: Map<string, AppliedFields>;
  /** Drift the watch shows now (reported under driftPolicy Report; corrected under Correct). */
  drift?: NamedDrift[];
  /** The last drift corrected, when, and how many objects were corrected since the revision was applied. */
  corrected?: { drifts: NamedDrift[]; at: number; total: number };
  /** A correction the API server refused, with its message. */
  correctionFailed?: string;
  /** The last report handed to the status writer. */
  sentReport?: SentReport;
  /** When the AppliedAddOn was last written or re-asserted (one deleted by hand comes back). */
  recordAt?: number;
  /** The last problem logged at warn level, so a problem that persists is not logged every resync. */
  lastProblem?: string;
}

/**
 * The agent's in-memory view, shared by the index reader and the per-addon reconciler. The spoke's
 * AppliedAddOns (`records`) are loaded at start; the index is the last good one read from the bus.
 */
export class AgentState {
  index: DesiredIndex | undefined;
  indexRevision: number | undefined;
  readonly records = new Map<string, AppliedRecord>();
  private readonly addons = new Map<string, AddonMemory>();

  memory(addon: string): AddonMemory {
    let m = this.addons.get(addon);
    if (!m) {
      m = { live: new Map(), owned: new Map() };
      this.addons.set(addon, m);
    }
    return m;
  }

  peek(addon: string): AddonMemory | undefined {
    return this.addons.get(addon);
  }

  forget(addon: string): void {
    this.addons.delete(addon);
    this.records.delete(addon);
  }

  /** Every addon's report is sent again at its next look (the bus came back: the status bucket may have lost it). */
  forgetSentReports(): void {
    for (const m of this.addons.values()) m.sentReport = undefined;
  }

  /** Addon → digest of the bundle held, for planning. */
  heldDigests(): Map<string, string | undefined> {
    return new Map([...this.addons].map(([a, m]) => [a, m.bundleDigest]));
  }

  /** Every addon the agent knows of: desired, held in memory, or installed on the spoke. */
  knownAddons(): Set<string> {
    return new Set([...Object.keys(this.index?.addons ?? {}), ...this.addons.keys(), ...this.records.keys()]);
  }

  desiredEntry(addon: string): DesiredIndex["addons"][string] | undefined {
    const addons = this.index?.addons;
    return addons && Object.prototype.hasOwnProperty.call(addons, addon) ? addons[addon] : undefined;
  }
}
