import type { DesiredBundle, DesiredIndex, KubeObject } from "@flotilla/shared";
import type { AppliedRecord } from "../inventory/store.js";
import type { ApplyPhase } from "../report/build.js";

/** What the agent remembers about one addon between reconciles. */
export interface AddonMemory {
  /** Last good bundle read for the addon, and the index digest it matched. */
  bundle?: DesiredBundle;
  bundleDigest?: string;
  /** Digest of the last bundle applied completely (applied and pruned). */
  appliedDigest?: string;
  /** Index digest whose bundle was dropped as invalid: not read again until a hint or resync. */
  rejectedDigest?: string;
  /** Digest whose apply the API server refused (422, 403): not tried again until resync. */
  failedDigest?: string;
  /** Where the desired revision stands. */
  phase?: ApplyPhase;
  /** Latest copy of each applied object by refKey (apply responses, re-reads). */
  live: Map<string, KubeObject>;
  /** Apply again even though the digest did not change (an applied object was deleted). */
  reapply: boolean;
  /**
   * Periodic resync due: re-apply (unless driftPolicy is Report), give a dropped bundle and a refused
   * apply another try.
   */
  resync: boolean;
  /** Send the report even if unchanged (resync: heals a lost put). */
  forcePut: boolean;
  uninstalling: boolean;
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
      m = { live: new Map(), reapply: false, resync: false, forcePut: false, uninstalling: false };
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
