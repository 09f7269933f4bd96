/** Reported by `--version` and in AgentInfo. */
export const FLOTILLA_VERSION = "0.1.0";
