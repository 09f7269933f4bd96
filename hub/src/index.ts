// @flotilla/hub: the hub process, started by `flotilla hub`.
export { runHub } from "./hub.js";
export type { HubHandle, HubOptions, LeaderElectionOptions } from "./options.js";
