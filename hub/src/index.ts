// @flotilla/hub: the hub process, started by `flotilla hub`.
export { runHub } from "./hub.js";
export type { HubHandle, HubOptions, LeaderElectionOptions } from "./options.js";
// The rollout planner (pure): for the benchmarks now, and `flotilla rollout status` later.
export { planRollout, type PlanDecision, type PlanInput, type RolloutCounts } from "./rollout/plan.js";
export type { ClusterView } from "./rollout/cluster-state.js";
