import { Command } from "commander";
import { createLogger, createRegistry } from "@flotilla/shared";
import { runHub } from "../../index.js";
import { envOption, positiveNumber } from "../options.js";
import { untilSignal } from "../signals.js";

export function hubCommand(): Command {
  return new Command("hub")
    .description("Run the hub controllers (leader-elected) against the hub cluster and the NATS bus")
    .addOption(envOption("--kubeconfig <file>", "kubeconfig of the hub cluster (default: KUBECONFIG or in-cluster)"))
    .addOption(envOption("--nats <url>", "NATS server URL(s), comma-separated").makeOptionMandatory())
    .addOption(envOption("--nats-creds <file>", "NATS credentials file"))
    .addOption(envOption("--metrics-addr <addr>", "listen address for /metrics, /healthz and /readyz").default(":9090"))
    .addOption(envOption("--presence-grace <seconds>", "a cluster whose agent is silent this long becomes Available=Unknown").default(30).argParser(positiveNumber("--presence-grace")))
    .addOption(envOption("--lease-duration <seconds>", "leader-election lease duration").default(15).argParser(positiveNumber("--lease-duration")))
    .addOption(envOption("--leader-id <id>", "leader-election identity (default: hostname_pid)"))
    .addOption(envOption("--log-level <level>", "log level").default("info"))
    .action(async (o: { kubeconfig?: string; nats: string; natsCreds?: string; metricsAddr: string; presenceGrace: number; leaseDuration: number; leaderId?: string; logLevel: string }) => {
      const logger = createLogger({ level: o.logLevel, name: "flotilla-hub" });
      const hub = await runHub({
        kubeconfig: o.kubeconfig,
        natsUrl: o.nats,
        natsCreds: o.natsCreds,
        metricsAddr: o.metricsAddr,
        presenceGraceSeconds: o.presenceGrace,
        leaderElection: { leaseDurationSeconds: o.leaseDuration, ...(o.leaderId ? { identity: o.leaderId } : {}) },
        logger,
        registry: createRegistry("hub"),
      });
      await untilSignal(logger);
      await hub.stop();
    });
}
