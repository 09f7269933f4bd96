/** Reported by `--version` of every entry point and in the agent's AgentInfo. */
export const FLOTILLA_VERSION = "0.1.0";
