import { ADDON_NAME_LABEL } from "@flotilla/shared";
import type { FleetCache } from "./cache.js";
import { addonView } from "./view/addon.js";
import { fleetView } from "./view/fleet.js";
import type { AddonView, FleetView } from "./view/types.js";

/** The fleet page from what the cache holds now. */
export function fleetFrom(cache: FleetCache): FleetView {
  return fleetView({ clusters: cache.clusters.list(), addons: cache.addons.list(), problems: cache.problems(), loading: cache.loading() });
}

/** One addon's page from what the cache holds now. */
export function addonFrom(cache: FleetCache, name: string, now: Date): AddonView {
  return addonView({
    name,
    addon: cache.addons.get(name),
    mcas: cache.mcas.list().filter((m) => m.metadata?.labels?.[ADDON_NAME_LABEL] === name),
    clusters: cache.clusters.list(),
    revisions: cache.revisions.list().filter((r) => r.spec.addon === name),
    now,
    problems: cache.problems(),
    loading: cache.loading(),
  });
}
