import { FLOTILLA_VERSION, createLogger, createRegistry, errorMessage, runUntilSignal } from "@flotilla/shared";
import { runAgent } from "./agent.js";
import { parseAgentArgs } from "./cli/args.js";

/** The agent exits this long after SIGTERM at the latest, even if the bus or API server is gone. */
export const STOP_DEADLINE_MS = 5_000;

/**
 * The agent's own entry point (`flotilla-agent`, and `flotilla agent` through the one CLI): parse the
 * flags, run until SIGINT/SIGTERM, stop within the deadline. Returns the exit code.
 */
export async function main(argv: readonly string[], prog = "flotilla-agent"): Promise<number> {
  const parsed = parseAgentArgs(argv, process.env, prog);
  switch (parsed.kind) {
    case "help":
      process.stdout.write(parsed.text);
      return 0;
    case "version":
      process.stdout.write(`${FLOTILLA_VERSION}\n`);
      return 0;
    case "error":
      process.stderr.write(`${prog}: ${parsed.message}\n`);
      return 2;
  }
  const a = parsed.args;
  const logger = createLogger({ level: a.logLevel, name: "flotilla-agent" }).child({ cluster: a.cluster });
  const start = () => runAgent({
    cluster: a.cluster,
    kubeconfig: a.kubeconfig,
    natsUrl: a.nats,
    natsCreds: a.natsCreds,
    bootstrapCreds: a.bootstrapCreds,
    credentialsSecret: a.credentialsSecret,
    metricsAddr: a.metricsAddr,
    resyncSeconds: a.resyncSeconds,
    reapplySeconds: a.reapplySeconds,
    heartbeatSeconds: a.heartbeatSeconds,
    hookTimeoutSeconds: a.hookTimeoutSeconds,
    addonIdentity: a.addonIdentity,
    namespace: a.namespace,
    logger,
    registry: createRegistry("agent", { cluster: a.cluster }),
    version: FLOTILLA_VERSION,
  });
  try {
    await runUntilSignal(start, { logger, deadlineMs: STOP_DEADLINE_MS });
    return 0;
  } catch (err) {
    process.stderr.write(`${prog}: ${errorMessage(err)}\n`);
    return 1;
  }
}
