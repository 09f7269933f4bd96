export { runHub } from "./hub.js";
export type { HubHandle, HubOptions, LeaderElectionOptions } from "./options.js";
// The pure core, for the CLI (diff, rollout status) and tests.
export { renderBundle, effectiveValues, matchingPlacement, type RenderInput, type RenderResult } from "./render/bundle.js";
export { mergeValues } from "./render/values.js";
export { revisionName } from "./revision/hash.js";
export { planRollout, type RolloutDecision, type RolloutInput } from "./controllers/placement/rollout.js";
export { summarize, addonClusterState, type AddonClusterState } from "./controllers/placement/summary.js";
export { decideLease, type LeaseDecision, type LeaseRecord } from "./leader/decision.js";
export type * from "./api/types.js";
