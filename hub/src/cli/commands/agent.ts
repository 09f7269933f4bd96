import { Command } from "commander";
import { DNS1123_LABEL, createLogger, createRegistry } from "@flotilla/shared";
import { runAgent } from "@flotilla/agent";
import { envOption, positiveNumber } from "../options.js";
import { untilSignal } from "../signals.js";
import { FLOTILLA_VERSION } from "../version.js";

export function agentCommand(): Command {
  return new Command("agent")
    .description("Run the agent in a managed cluster: apply what the hub desires, report status and presence")
    .addOption(envOption("--cluster <name>", "this cluster's name on the hub (DNS-1123 label, no dots)").makeOptionMandatory())
    .addOption(envOption("--kubeconfig <file>", "kubeconfig of the managed cluster (default: KUBECONFIG or in-cluster)"))
    .addOption(envOption("--nats <url>", "NATS server URL(s), comma-separated").makeOptionMandatory())
    .addOption(envOption("--nats-creds <file>", "NATS credentials file for this cluster"))
    .addOption(envOption("--bootstrap-creds <file>", "bootstrap credentials for registration (not supported yet)"))
    .addOption(envOption("--metrics-addr <addr>", "listen address for /metrics, /healthz and /readyz").default(":9091"))
    .addOption(envOption("--resync <seconds>", "re-read desired state at least this often (jittered)").default(30).argParser(positiveNumber("--resync")))
    .addOption(envOption("--heartbeat <seconds>", "presence heartbeat interval").default(10).argParser(positiveNumber("--heartbeat")))
    .addOption(envOption("--log-level <level>", "log level").default("info"))
    .action(async (o: { cluster: string; kubeconfig?: string; nats: string; natsCreds?: string; bootstrapCreds?: string; metricsAddr: string; resync: number; heartbeat: number; logLevel: string }) => {
      if (!DNS1123_LABEL.test(o.cluster)) {
        throw new Error(`--cluster ${JSON.stringify(o.cluster)} is not a DNS-1123 label (lowercase letters, digits and '-', at most 63, no dots)`);
      }
      if (o.bootstrapCreds) throw new Error("--bootstrap-creds: registration with bootstrap credentials is not implemented yet; use --nats-creds");
      const logger = createLogger({ level: o.logLevel, name: "flotilla-agent" }).child({ cluster: o.cluster });
      const agent = await runAgent({
        cluster: o.cluster,
        kubeconfig: o.kubeconfig,
        natsUrl: o.nats,
        natsCreds: o.natsCreds,
        metricsAddr: o.metricsAddr,
        resyncSeconds: o.resync,
        heartbeatSeconds: o.heartbeat,
        logger,
        registry: createRegistry("agent"),
        version: FLOTILLA_VERSION,
      });
      await untilSignal(logger);
      await agent.stop();
    });
}
