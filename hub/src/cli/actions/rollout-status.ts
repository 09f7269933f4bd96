import {
  ADDON_NAME_LABEL,
  classifyKubeError,
  FlotillaError,
  Informer,
  loadKubeConfig,
  makeClients,
  resources,
  type ClusterManagementAddOn,
  type KubeClients,
  type ManagedCluster,
  type ManagedClusterAddOn,
} from "@flotilla/shared";
import { stderrLogger } from "../stderr-logger.js";
import { rolloutProgress } from "../../rollout/progress.js";
import { failureReport, renderRolloutStatus, statusExitCode, watchExitCode } from "../rollout-status.js";

export interface StatusOptions {
  kubeconfig?: string;
  watch?: boolean;
  /** With --watch: give up (exit 1) after this long. */
  timeoutMs?: number;
}

const CMA = resources.clusterManagementAddOns;
const MCA = resources.managedClusterAddOns;
const MC = resources.managedClusters;
const notFound = (addon: string, cause?: unknown) => new FlotillaError("NotFound", `clustermanagementaddon ${addon} not found`, { cause });

/**
 * `flotilla rollout status ADDON [--watch] [--timeout D]`: prints where the rollout stands and
 * returns the exit code (0 Succeeded, 1 failed or rolled back, 3 still going; see the command's help).
 */
export async function status(addon: string, o: StatusOptions): Promise<void> {
  const clients = makeClients(loadKubeConfig(o.kubeconfig));
  const color = process.stdout.isTTY === true;
  process.exitCode = o.watch ? await watch(clients, addon, color, o.timeoutMs) : await once(clients, addon, color);
}

async function once(clients: KubeClients, addon: string, color: boolean): Promise<number> {
  const { custom } = clients;
  let cma: ClusterManagementAddOn;
  try {
    cma = (await custom.getClusterCustomObject({ group: CMA.group, version: CMA.version, plural: CMA.plural, name: addon })) as ClusterManagementAddOn;
  } catch (err) {
    throw classifyKubeError(err).code === "NotFound" ? notFound(addon, err) : classifyKubeError(err);
  }
  const [mcas, clusters] = await Promise.all([
    custom.listClusterCustomObject({ group: MCA.group, version: MCA.version, plural: MCA.plural, labelSelector: `${ADDON_NAME_LABEL}=${addon}` }) as Promise<{ items: ManagedClusterAddOn[] }>,
    custom.listClusterCustomObject({ group: MC.group, version: MC.version, plural: MC.plural }) as Promise<{ items: ManagedCluster[] }>,
  ]);
  process.stdout.write(renderRolloutStatus(cma, rolloutProgress(cma, mcas.items, clusters.items, new Date()), { color }));
  return statusExitCode(cma);
}

/**
 * Follows the CMA, its MCAs and the ManagedClusters through informers (list + watch, no polling) and
 * redraws when what it would print changes: in place on a TTY, else as a new block. Resolves with the
 * exit code once the rollout ends (or the timeout passes).
 */
async function watch(clients: KubeClients, addon: string, color: boolean, timeoutMs: number | undefined): Promise<number> {
  const logger = stderrLogger();
  const cmas = new Informer<ClusterManagementAddOn>({ clients, resource: CMA, logger });
  const mcas = new Informer<ManagedClusterAddOn>({ clients, resource: MCA, labelSelector: `${ADDON_NAME_LABEL}=${addon}`, logger });
  const clusters = new Informer<ManagedCluster>({ clients, resource: MC, logger });
  const informers = [cmas, mcas, clusters];
  const screen = new Screen(process.stdout, color);

  let finish!: (code: number) => void;
  let done = false;
  const ended = new Promise<number>((resolve) => (finish = (code) => ((done = true), resolve(code))));
  let synced = false;
  let scheduled = false;
  const draw = () => {
    scheduled = false;
    if (done) return;
    const cma = cmas.get(addon);
    if (!cma) {
      process.stderr.write(`flotilla: ${notFound(addon).message}\n`);
      return finish(1);
    }
    screen.show(renderRolloutStatus(cma, rolloutProgress(cma, mcas.list(), clusters.list(), new Date()), { color }));
    const code = watchExitCode(cma);
    if (code === undefined) return;
    if (code !== 0) process.stderr.write(failureReport(cma));
    finish(code);
  };
  // A burst of events (a list, a wave of MCA updates) makes one redraw.
  const schedule = () => {
    if (!synced || scheduled || done) return;
    scheduled = true;
    setTimeout(draw, 20);
  };
  cmas.on((_e, o) => o.metadata?.name === addon && schedule());
  mcas.on(schedule);
  clusters.on(schedule);

  const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
    const phase = cmas.get(addon)?.status?.rollout?.phase ?? "not started";
    process.stderr.write(`flotilla: timed out after ${timeoutMs} ms waiting for the rollout of ${addon} to end (it is ${phase})\n`);
    finish(1);
  }, timeoutMs);
  try {
    await Promise.all(informers.map((i) => i.start()));
    await Promise.race([Promise.all(informers.map((i) => i.synced)), ended]);
    synced = true;
    schedule();
    return await ended;
  } finally {
    if (timer) clearTimeout(timer);
    await Promise.all(informers.map((i) => i.stop()));
  }
}

/** Shows successive blocks: on a TTY the last one is overwritten in place; otherwise each new one is appended. */
class Screen {
  private last = "";
  private rows = 0;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly tty: boolean,
  ) {}

  show(text: string): void {
    if (text === this.last) return;
    if (this.tty && this.rows > 0) this.out.write(`\x1b[${this.rows}A\x1b[0J`);
    else if (this.last) this.out.write("\n");
    this.out.write(text);
    this.last = text;
    this.rows = this.tty ? this.height(text) : 0;
  }

  /** Terminal rows the text takes, long lines wrapping. */
  private height(text: string): number {
    const cols = this.out.columns || 80;
    // eslint-disable-next-line no-control-regex
    const plain = text.replace(/\x1b\[[0-9;]*m/g, "");
    return plain.split("\n").slice(0, -1).reduce((n, l) => n + Math.max(1, Math.ceil(l.length / cols)), 0);
  }
}
