import { loadKubeConfig, runUntilSignal } from "@flotilla/shared";
import { Dashboard } from "../../dashboard/server.js";
import { stderrLogger } from "../stderr-logger.js";

export interface DashboardCommandOptions {
  kubeconfig?: string;
  port: number;
  address: string;
  logLevel: string;
}

/** Streams and watches end at once; this is only the bound for a stuck one. */
const STOP_DEADLINE_MS = 1_000;

/** `flotilla dashboard`: serves until SIGINT/SIGTERM, printing its URL once listening. */
export async function runDashboard(o: DashboardCommandOptions): Promise<void> {
  const logger = stderrLogger(o.logLevel);
  const kubeConfig = loadKubeConfig(o.kubeconfig);
  await runUntilSignal(async () => {
    const d = await Dashboard.start({ kubeConfig, address: o.address, port: o.port, logger });
    process.stdout.write(`Flotilla dashboard (context ${kubeConfig.getCurrentContext()}): ${d.url}\nPress Ctrl-C to stop.\n`);
    return d;
  }, { logger, deadlineMs: STOP_DEADLINE_MS });
}
