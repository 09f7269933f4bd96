export { runAgent } from "./agent.js";
export type { AgentHandle, AgentOptions } from "./options.js";
