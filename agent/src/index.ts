// @flotilla/agent: the agent process, started by `flotilla agent`.
export { runAgent } from "./agent.js";
export type { AgentHandle, AgentOptions } from "./options.js";
