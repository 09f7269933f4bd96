import { Command } from "commander";
import { envOption, positiveInt } from "../options.js";

const DEFAULT_DIR = ".flotilla/dev";

/**
 * `flotilla dev up|down`. The dev fleet lives in the test harness (@flotilla/test), which is loaded
 * only when one of these runs: the hub process and `flotilla get` never load it, and an installed CLI
 * without the harness says so instead of failing at start.
 */
export function devCommand(): Command {
  const dev = new Command("dev").description("Run the local dev fleet: NATS, a hub cluster, N managed clusters, hub, agents and a workload simulator");
  dev.addCommand(
    new Command("up")
      .description("Start the dev fleet (builds the control-plane binaries on first use); runs until interrupted unless --detach")
      .addOption(envOption("--clusters <n>", "number of managed clusters (cluster-1 … cluster-N)").default(2).argParser(positiveInt("--clusters")))
      .addOption(envOption("--dir <dir>", "directory for state, logs, fleet.json and kubeconfigs").default(DEFAULT_DIR))
      .option("--detach", "return once everything is ready; stop it later with `flotilla dev down`")
      .option("--no-sample", "do not apply the sample addon (deploy/examples/sample-addon.yaml)")
      .addOption(envOption("--log-level <level>", "log level").default("info"))
      .action(async (o: { clusters: number; dir: string; detach?: boolean; sample: boolean; logLevel: string }) => {
        const { devUp } = await importHarness();
        await devUp({ clusters: o.clusters, dir: o.dir, detach: o.detach ?? false, sample: o.sample, logLevel: o.logLevel, cli: process.argv[1] ?? "flotilla" });
      }),
  );
  dev.addCommand(
    new Command("down")
      .description("Stop a dev fleet started with --detach and remove its state")
      .addOption(envOption("--dir <dir>", "the directory given to `dev up`").default(DEFAULT_DIR))
      .action(async (o: { dir: string }) => {
        const { devDown } = await importHarness();
        await devDown({ dir: o.dir });
      }),
  );
  return dev;
}

/**
 * What the CLI needs of the harness's dev module. Typed here, and imported by a name the compiler does
 * not follow, so the hub has no dependency on the harness at all (the test package depends on the hub).
 */
interface DevModule {
  devUp(o: { clusters: number; dir: string; detach: boolean; sample: boolean; logLevel: string; cli: string }): Promise<void>;
  devDown(o: { dir: string }): Promise<void>;
}
const HARNESS_DEV_MODULE = "@flotilla/test/dev";

async function importHarness(): Promise<DevModule> {
  try {
    return (await import(HARNESS_DEV_MODULE)) as DevModule;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND" && String((err as Error).message).includes("@flotilla/test")) {
      throw new Error("flotilla dev needs the development harness (@flotilla/test), which only a source checkout has", { cause: err });
    }
    throw err;
  }
}
