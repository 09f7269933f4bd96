// @flotilla/hub: the hub process, started by `flotilla hub`.
export { runHub } from "./hub.js";
export type { HubHandle, HubOptions, LeaderElectionOptions } from "./options.js";
// The rollout planner (pure): for the benchmarks and the CLI.
export { planRollout, type PlanDecision, type PlanInput, type RolloutCounts } from "./rollout/plan.js";
export { planFleetRollout, type FleetRolloutInput } from "./controllers/placement/rollout.js";
export type { ClusterView } from "./rollout/cluster-state.js";
