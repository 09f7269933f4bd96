import { stringify } from "yaml";
import {
  classifyKubeError,
  FlotillaError,
  Informer,
  loadKubeConfig,
  makeClients,
  resources,
  untilSignal,
  type ClusterManagementAddOn,
  type KubeClients,
  type ManagedCluster,
} from "@flotilla/shared";
import { ADDON_COLUMNS, CLUSTER_COLUMNS, tableOf, visibleColumns, type Column } from "../get-columns.js";
import { WatchTable } from "../get-watch.js";
import { formatTable } from "../table.js";
import { stderrLogger } from "../stderr-logger.js";

export type Output = "table" | "wide" | "json" | "yaml";

export interface GetOptions {
  kubeconfig?: string;
  output: Output;
  watch?: boolean;
}

type Resource = (typeof resources)["managedClusters"] | (typeof resources)["clusterManagementAddOns"];
interface Kind<T> {
  resource: Resource;
  columns: Column<T>[];
  /** What kubectl would call it in "not found". */
  singular: string;
}

const nameOf = (o: { metadata?: { name?: string } }) => o.metadata?.name ?? "";

/** One named object, or all of them, of a cluster-scoped Flotilla resource on the hub. */
async function fetchItems<T>(clients: KubeClients, kind: Kind<T>, name: string | undefined): Promise<T[]> {
  const { group, version, plural } = kind.resource;
  try {
    if (name) return [(await clients.custom.getClusterCustomObject({ group, version, plural, name })) as T];
    return ((await clients.custom.listClusterCustomObject({ group, version, plural })) as { items: T[] }).items;
  } catch (err) {
    const e = classifyKubeError(err);
    throw e.code === "NotFound" && name ? new FlotillaError("NotFound", `${kind.singular} ${name} not found`, { cause: err }) : e;
  }
}

function print<T>(kind: Kind<T>, items: T[], output: Output): void {
  if (output === "json") process.stdout.write(JSON.stringify({ items }, null, 2) + "\n");
  else if (output === "yaml") process.stdout.write(stringify({ items }));
  else if (!items.length) process.stdout.write("No resources found.\n");
  else {
    const { headers, rows } = tableOf(visibleColumns(kind.columns, output === "wide"), items, new Date());
    process.stdout.write(formatTable(headers, rows));
  }
}

/**
 * `--watch`: the table, then a row whenever an object changes what its row shows (json and yaml: the
 * whole object whenever its resourceVersion moves), from an informer (list, then watch; relists when
 * the watch breaks), until SIGINT or SIGTERM.
 */
async function watch<T extends { metadata?: { name?: string; resourceVersion?: string } }>(clients: KubeClients, kind: Kind<T>, name: string | undefined, output: Output): Promise<void> {
  const logger = stderrLogger();
  const informer = new Informer<T>({ clients, resource: kind.resource, logger, ...(name ? { fieldSelector: `metadata.name=${name}` } : {}) });
  const table = new WatchTable<T>(visibleColumns(kind.columns, output === "wide"), nameOf);
  const seen = new Map<string, string | undefined>();
  const tabular = output === "table" || output === "wide";
  const lines = (ls: string[]) => process.stdout.write(ls.map((l) => `${l}\n`).join(""));
  const write = (type: "add" | "update" | "delete", o: T): void => {
    if (tabular) lines(table.event(type, o, new Date()));
    else if (type === "delete" || seen.get(nameOf(o)) !== o.metadata?.resourceVersion) {
      seen.set(nameOf(o), o.metadata?.resourceVersion);
      process.stdout.write(output === "json" ? JSON.stringify(o, null, 2) + "\n" : `---\n${stringify(o)}`);
    }
  };
  let started = false;
  informer.on((event, o) => started && event !== "resync" && write(event, o));
  const stopped = untilSignal({ logger });
  try {
    await informer.start();
    await Promise.race([informer.synced, stopped]);
    started = true;
    const initial = [...informer.list()].sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
    if (tabular) lines(table.start(initial, new Date()));
    else for (const o of initial) write("add", o);
    await stopped;
  } finally {
    await informer.stop();
  }
}

async function get<T extends { metadata?: { name?: string; resourceVersion?: string } }>(kind: Kind<T>, name: string | undefined, o: GetOptions): Promise<void> {
  const clients = makeClients(loadKubeConfig(o.kubeconfig));
  // a name that does not exist fails at once, watch or not, as kubectl's does
  const items = await fetchItems(clients, kind, name);
  if (o.watch) await watch(clients, kind, name, o.output);
  else print(kind, items, o.output);
}

const CLUSTERS: Kind<ManagedCluster> = { resource: resources.managedClusters, columns: CLUSTER_COLUMNS, singular: "managedcluster" };
const ADDONS: Kind<ClusterManagementAddOn> = { resource: resources.clusterManagementAddOns, columns: ADDON_COLUMNS, singular: "clustermanagementaddon" };

/** `flotilla get clusters [NAME]`: ManagedClusters with their conditions (wide: agent, last seen, labels). */
export const getClusters = (name: string | undefined, o: GetOptions): Promise<void> => get(CLUSTERS, name, o);

/** `flotilla get addons [NAME]`: ClusterManagementAddOns with their rollout summary (wide: strategy, phase, step, current revision). */
export const getAddons = (name: string | undefined, o: GetOptions): Promise<void> => get(ADDONS, name, o);
