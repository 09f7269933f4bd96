import type { DesiredIndex } from "@flotilla/shared";

/** What one read of the index asks for. */
export interface WorkPlan {
  /** In the index with a digest other than the bundle the agent holds: fetch and apply. */
  changed: string[];
  /** In the index, bundle already held: only health and reporting to refresh. */
  unchanged: string[];
  /** Installed here (AppliedAddOn or in memory) but gone from the index: uninstall. */
  removed: string[];
}

/**
 * Index → work. `held` maps each addon to the digest of the bundle the agent holds for it, if any;
 * `installed` lists what the spoke has. A missing index never reaches here: it means "no news",
 * not "uninstall everything".
 */
export function planFromIndex(index: DesiredIndex, held: ReadonlyMap<string, string | undefined>, installed: Iterable<string>): WorkPlan {
  const changed: string[] = [];
  const unchanged: string[] = [];
  for (const [addon, entry] of Object.entries(index.addons)) {
    if (held.get(addon) === entry.digest) unchanged.push(addon);
    else changed.push(addon);
  }
  const removed = new Set<string>();
  for (const addon of [...installed, ...held.keys()]) {
    if (!Object.prototype.hasOwnProperty.call(index.addons, addon)) removed.add(addon);
  }
  return { changed: changed.sort(), unchanged: unchanged.sort(), removed: [...removed].sort() };
}

/** Spread of a periodic timer so thousands of agents do not fire together: `ms` ± `fraction`. */
export function jittered(ms: number, fraction: number, random: () => number): number {
  return Math.max(0, Math.round(ms * (1 - fraction + 2 * fraction * random())));
}
