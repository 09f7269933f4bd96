import { Command } from "commander";
import { spawn } from "node:child_process";
import { existsSync, openSync, closeSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { CustomObjectsApi } from "@kubernetes/client-node";
import { createLogger, findCondition, resources, type ClusterManagementAddOn, type Logger } from "@flotilla/shared";
import { ensureBinaries, Fleet, readTail, stopPid, type FleetFile } from "@flotilla/test";
import { envOption, positiveInt } from "../options.js";
import { untilSignal } from "../signals.js";

const READY_FILE = "ready";
const PID_FILE = "dev.pid";
const DEFAULT_DIR = ".flotilla/dev";

/** deploy/examples/sample-addon.yaml, found from the built CLI (hub/dist/cli/commands). */
function sampleAddonPath(): string {
  return fileURLToPath(new URL("../../../../deploy/examples/sample-addon.yaml", import.meta.url));
}

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
        const dir = resolve(o.dir);
        if (o.detach) return detach(dir, o);
        const logger = createLogger({ level: o.logLevel, name: "flotilla-dev" });
        await devUp(dir, o.clusters, o.sample, logger);
      }),
  );
  dev.addCommand(
    new Command("down")
      .description("Stop a dev fleet started with --detach and remove its state")
      .addOption(envOption("--dir <dir>", "the directory given to `dev up`").default(DEFAULT_DIR))
      .action(async (o: { dir: string }) => {
        const dir = resolve(o.dir);
        const pidText = await readFile(join(dir, PID_FILE), "utf8").catch(() => undefined);
        if (!pidText) throw new Error(`no dev fleet is running from ${dir} (${PID_FILE} not found)`);
        const pid = Number(pidText.trim());
        process.stderr.write(`stopping the dev fleet (pid ${pid})...\n`);
        await stopPid(pid, 120_000);
        await rm(join(dir, PID_FILE), { force: true });
        process.stderr.write("dev fleet stopped\n");
      }),
  );
  return dev;
}

async function devUp(dir: string, clusters: number, sample: boolean, logger: Logger): Promise<void> {
  await mkdir(dir, { recursive: true });
  if (existsSync(join(dir, PID_FILE))) {
    const pid = Number((await readFile(join(dir, PID_FILE), "utf8")).trim());
    if (pid && pidRunning(pid)) throw new Error(`a dev fleet is already running from ${dir} (pid ${pid}); run \`flotilla dev down --dir ${dir}\``);
  }
  await rm(join(dir, "clusters"), { recursive: true, force: true });
  await rm(join(dir, READY_FILE), { force: true });
  await writeFile(join(dir, PID_FILE), `${process.pid}\n`);
  const t0 = Date.now();
  logger.info({ dir, clusters }, "starting the dev fleet");
  const signal = untilSignal(logger);
  const fleet = await Fleet.start({ clusters, dir, logger: logger.child({ component: "fleet" }), heartbeatSeconds: 2, presenceGraceSeconds: 10 });
  try {
    const file = await fleet.writeFleetFile(dir);
    if (sample) await applySample(fleet, logger);
    logger.info({ seconds: ((Date.now() - t0) / 1000).toFixed(1) }, "dev fleet ready");
    process.stdout.write(usage(dir, file, sample, await kubectlCommand()));
    await writeFile(join(dir, READY_FILE), new Date().toISOString() + "\n");
    await signal;
  } finally {
    await rm(join(dir, READY_FILE), { force: true });
    await fleet.stop();
    await rm(join(dir, "clusters"), { recursive: true, force: true });
    await rm(join(dir, PID_FILE), { force: true });
  }
}

async function applySample(fleet: Fleet, logger: Logger): Promise<void> {
  const cma = parse(await readFile(sampleAddonPath(), "utf8")) as ClusterManagementAddOn;
  const r = resources.clusterManagementAddOns;
  const api = fleet.hubKubeConfig.makeApiClient(CustomObjectsApi);
  await api.createClusterCustomObject({ group: r.group, version: r.version, plural: r.plural, body: cma });
  const name = cma.metadata?.name ?? "";
  logger.info({ addon: name }, "sample addon applied; waiting until it is available on every cluster");
  const deadline = Date.now() + 120_000;
  for (;;) {
    const got = (await api.getClusterCustomObject({ group: r.group, version: r.version, plural: r.plural, name })) as ClusterManagementAddOn;
    const s = got.status?.summary;
    if (s && s.desired === fleet.clusterNames().length && s.available === s.desired) break;
    if (Date.now() > deadline) {
      logger.warn({ addon: name, summary: s, ready: findCondition(got.status?.conditions, "Ready") }, "sample addon not available everywhere after 120 s; continuing");
      break;
    }
    await new Promise((res) => setTimeout(res, 250));
  }
}

/** `kubectl` when it is on PATH, else the one built with the control-plane binaries. */
async function kubectlCommand(): Promise<string> {
  const onPath = (process.env.PATH ?? "").split(":").some((d) => d && existsSync(join(d, "kubectl")));
  if (onPath) return "kubectl";
  return (await ensureBinaries()).kubectl ?? "kubectl";
}

function usage(dir: string, file: FleetFile, sample: boolean, kubectl: string): string {
  const lines = [
    "",
    `Flotilla dev fleet is up (${file.clusters.length} managed cluster${file.clusters.length === 1 ? "" : "s"}). State and logs: ${dir}`,
    `  fleet:    ${join(dir, "fleet.json")}`,
    `  NATS:     ${file.nats.url}`,
    `  hub:      export KUBECONFIG=${file.hub.kubeconfig}`,
    ...file.clusters.map((c) => `  ${c.name.padEnd(9)} ${kubectl} --kubeconfig ${c.kubeconfig} get appliedaddons`),
    "",
    "Try:",
    `  ${kubectl} --kubeconfig ${file.hub.kubeconfig} get managedclusters,clustermanagementaddons`,
    `  ${kubectl} --kubeconfig ${file.hub.kubeconfig} get managedclusteraddons -A`,
    `  node ${process.argv[1]} get addons --kubeconfig ${file.hub.kubeconfig}`,
    ...(sample ? [`  ${kubectl} --kubeconfig ${file.clusters[0]?.kubeconfig ?? ""} -n hello-fleet get configmap hello-config -o yaml`] : []),
    "",
  ];
  return lines.join("\n") + "\n";
}

function pidRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Copies the build script's progress lines from the daemon's log to stderr; returns the offset read to. */
async function echoBuildProgress(logFile: string, from: number): Promise<number> {
  const text = await readFile(logFile, "utf8").catch(() => "");
  const end = text.lastIndexOf("\n") + 1;
  if (end <= from) return from;
  for (const line of text.slice(from, end).split("\n")) {
    if (line.startsWith("[flotilla build") || line.startsWith("flotilla: another process is building")) process.stderr.write(line + "\n");
  }
  return end;
}

/** Re-runs `dev up` in the foreground as a detached daemon, waits for its ready file, prints usage. */
async function detach(dir: string, o: { clusters: number; sample: boolean; logLevel: string }): Promise<void> {
  await mkdir(dir, { recursive: true });
  await rm(join(dir, READY_FILE), { force: true });
  const logFile = join(dir, "dev.log");
  const fd = openSync(logFile, "a");
  const args = [process.argv[1] ?? "", "dev", "up", "--dir", dir, "--clusters", String(o.clusters), "--log-level", o.logLevel, ...(o.sample ? [] : ["--no-sample"])];
  const child = spawn(process.execPath, args, { detached: true, stdio: ["ignore", fd, fd], cwd: dirname(dir) });
  closeSync(fd);
  child.unref();
  process.stderr.write(`starting the dev fleet in the background (log: ${logFile}); the first run builds the control-plane binaries...\n`);
  let exited: number | null | undefined;
  child.once("exit", (code) => (exited = code));
  let shown = 0;
  for (;;) {
    shown = await echoBuildProgress(logFile, shown);
    if (existsSync(join(dir, READY_FILE))) break;
    if (exited !== undefined) throw new Error(`dev fleet failed to start (exit ${exited}):\n${await readTail(logFile, 30)}`);
    await new Promise((res) => setTimeout(res, 250));
  }
  const file = JSON.parse(await readFile(join(dir, "fleet.json"), "utf8")) as FleetFile;
  process.stdout.write(usage(dir, file, o.sample, await kubectlCommand()));
  process.stdout.write(`Stop it with: node ${process.argv[1]} dev down --dir ${dir}\n`);
}
