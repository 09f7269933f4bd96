import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { createLogger, untilSignal, type Logger } from "@flotilla/shared";
import { Fleet } from "../fleet/fleet.js";
import { pidAlive } from "../harness/processes.js";
import { detach } from "./detach.js";
import { devFiles } from "./files.js";
import { applySample } from "./sample.js";
import { kubectlCommand, usage } from "./usage.js";

export interface DevUpOptions {
  clusters: number;
  dir: string;
  detach: boolean;
  sample: boolean;
  logLevel: string;
  /** How the user runs the CLI, to start the detached daemon the same way. */
  cli: string;
}

/** `flotilla dev up`: in the foreground until SIGINT/SIGTERM, or detached until `dev down`. */
export async function devUp(o: DevUpOptions): Promise<void> {
  const dir = resolve(o.dir);
  if (o.detach) return detach(dir, o);
  const logger = createLogger({ level: o.logLevel, name: "flotilla-dev" });
  await runForeground(dir, o, logger);
}

async function runForeground(dir: string, o: DevUpOptions, logger: Logger): Promise<void> {
  const f = devFiles(dir);
  await mkdir(dir, { recursive: true });
  if (existsSync(f.pid)) {
    const pid = Number((await readFile(f.pid, "utf8")).trim());
    if (pid && pid !== process.pid && pidAlive(pid)) throw new Error(`a dev fleet is already running from ${dir} (pid ${pid}); run \`flotilla dev down --dir ${dir}\``);
  }
  await clearState(dir);
  await writeFile(f.pid, `${process.pid}\n`);
  const t0 = Date.now();
  logger.info({ dir, clusters: o.clusters }, "starting the dev fleet");
  // Listen first: a Ctrl-C while the fleet starts stops it as soon as it can be stopped.
  const signal = untilSignal({ logger });
  let fleet: Fleet | undefined;
  try {
    fleet = await Fleet.start({ clusters: o.clusters, dir, logger: logger.child({ component: "fleet" }), heartbeatSeconds: 2, presenceGraceSeconds: 10 });
    const file = await fleet.writeFleetFile(dir);
    if (o.sample) await applySample(fleet, logger);
    logger.info({ seconds: ((Date.now() - t0) / 1000).toFixed(1) }, "dev fleet ready");
    process.stdout.write(usage(dir, file, o.sample, await kubectlCommand()));
    await writeFile(f.ready, new Date().toISOString() + "\n");
    await signal;
  } finally {
    const t1 = Date.now();
    await rm(f.ready, { force: true });
    await fleet?.stop();
    await clearState(dir);
    await rm(f.pid, { force: true });
    logger.info({ ms: Date.now() - t1 }, "dev fleet stopped");
  }
}

/** Removes what a stopped fleet leaves that would mislead (kubeconfigs of dead clusters); logs stay. */
async function clearState(dir: string): Promise<void> {
  const f = devFiles(dir);
  const kubeconfigs = (await readdir(dir).catch(() => [])).filter((name) => name.endsWith(".kubeconfig"));
  await Promise.all([
    rm(f.clusters, { recursive: true, force: true }),
    rm(f.nats, { recursive: true, force: true }),
    rm(f.fleet, { force: true }),
    rm(f.ready, { force: true }),
    ...kubeconfigs.map((k) => rm(resolve(dir, k), { force: true })),
  ]);
}
