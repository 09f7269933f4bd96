import { Command } from "commander";
import { envOption, positiveNumber } from "../options.js";
import type { HubCommandOptions } from "../actions/hub.js";

export function hubCommand(): Command {
  return new Command("hub")
    .description("Run the hub controllers (leader-elected) against the hub cluster and the NATS bus")
    .addOption(envOption("--kubeconfig <file>", "kubeconfig of the hub cluster (default: KUBECONFIG or in-cluster)"))
    .addOption(envOption("--nats <url>", "NATS server URL(s), comma-separated").makeOptionMandatory())
    .addOption(envOption("--nats-creds <file>", "NATS credentials file"))
    .addOption(envOption("--nats-issuer <file>", "the hub's minting kit (scoped signing keys, from `flotilla nats init`): mint each cluster's own bus credentials at registration and revoke them"))
    .addOption(envOption("--credentials-ttl <seconds>", "life of the bus credentials minted for a cluster; agents renew them at two thirds").default(86_400).argParser(positiveNumber("--credentials-ttl")))
    .addOption(envOption("--agent-image <ref>", "the agent image installed into clusters with spec.agentInstall (default: ghcr.io/flotilla/agent:<hub version>); changing it upgrades them"))
    .addOption(envOption("--agent-nats <url>", "the NATS URL installed agents connect to (default: --nats)"))
    .addOption(envOption("--namespace <name>", "the hub's namespace: its leader Lease and the bootstrap-token Secrets").default("flotilla-system"))
    .addOption(envOption("--metrics-addr <addr>", "listen address for /metrics, /healthz and /readyz").default(":9090"))
    .addOption(envOption("--presence-grace <seconds>", "a cluster whose agent is silent this long becomes Available=Unknown").default(30).argParser(positiveNumber("--presence-grace")))
    .addOption(envOption("--lease-duration <seconds>", "leader-election lease duration").default(15).argParser(positiveNumber("--lease-duration")))
    .addOption(envOption("--leader-id <id>", "leader-election identity (default: hostname_pid)"))
    .addOption(envOption("--helm <path>", "the Helm 4 binary that renders helm sources (helm template)").default("helm"))
    .addOption(envOption("--chart-cache-dir <dir>", "where fetched charts are kept, by digest (default: <tmpdir>/flotilla-charts)"))
    .addOption(
      envOption("--chart-plain-http <when>", "speak plain HTTP to oci:// registries: never, loopback (127.0.0.0/8, ::1) or always").choices(["never", "loopback", "always"]).default("never"),
    )
    .addOption(envOption("--log-level <level>", "log level").default("info"))
    .action(async (o: HubCommandOptions) => (await import("../actions/hub.js")).runHubCommand(o));
}
