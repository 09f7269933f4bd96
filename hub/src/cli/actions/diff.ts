import {
  ADDON_NAME_LABEL,
  BusCodec,
  classifyKubeError,
  errorMessage,
  FlotillaError,
  loadKubeConfig,
  makeClients,
  resources,
  ValuesValidator,
  type DesiredBundle,
  type KubeClients,
} from "@flotilla/shared";
import type { AddOnRevision, ClusterManagementAddOn, ManagedCluster, ManagedClusterAddOn } from "../../api/types.js";
import { DiffBus } from "../../diff/client.js";
import { EXIT_ERROR, exitCode, formatDiff, type DiffHeader } from "../../diff/format.js";
import { encodeDiffRequest } from "../../diff/request.js";
import { diffTarget } from "../../diff/target.js";
import { labelsOf } from "../../kube/resources.js";
import { renderBundle } from "../../render/bundle.js";

export interface DiffOptions {
  cluster: string;
  kubeconfig?: string;
  nats: string;
  natsCreds?: string;
  revision?: string;
  output: "text" | "json";
  /** How long to wait for the agent's answer. */
  timeoutMs: number;
}

/** Reads one cluster-scoped or namespaced object; a 404 becomes a NotFound naming `what`. */
async function read<T>(what: string, get: () => Promise<unknown>): Promise<T> {
  try {
    return (await get()) as T;
  } catch (err) {
    const e = classifyKubeError(err);
    throw e.code === "NotFound" ? new FlotillaError("NotFound", `${what} not found`, { cause: err }) : e;
  }
}

/** The hub's inputs for one (cluster, addon), as the clusters controller reads them. */
async function hubInputs(custom: KubeClients["custom"], addon: string, cluster: string) {
  const { clusterManagementAddOns: CMA, managedClusters: MC, managedClusterAddOns: MCA, addOnRevisions: REV } = resources;
  const [mc, cma] = await Promise.all([
    read<ManagedCluster>(`managedcluster ${cluster}`, () => custom.getClusterCustomObject({ group: MC.group, version: MC.version, plural: MC.plural, name: cluster })),
    read<ClusterManagementAddOn>(`clustermanagementaddon ${addon}`, () => custom.getClusterCustomObject({ group: CMA.group, version: CMA.version, plural: CMA.plural, name: addon })),
  ]);
  const mca = await read<ManagedClusterAddOn>(`managedclusteraddon ${cluster}/${addon} (the addon is not placed on cluster ${cluster})`, () =>
    custom.getNamespacedCustomObject({ group: MCA.group, version: MCA.version, plural: MCA.plural, namespace: cluster, name: addon }));
  const revs = (await custom.listClusterCustomObject({ group: REV.group, version: REV.version, plural: REV.plural, labelSelector: `${ADDON_NAME_LABEL}=${addon}` })) as { items?: AddOnRevision[] };
  return { mc, cma, mca, revisions: revs.items ?? [] };
}

/**
 * `flotilla diff ADDON --cluster NAME`: what the addon's update revision (or `--revision`) would change
 * on that cluster. The bundle is the one published for the cluster when it is desired on that
 * revision, else rendered here from the hub's inputs with the hub's renderer; the cluster's agent
 * dry-runs it and answers. Sets the exit code: 0 no differences, 1 differences, 2 an error.
 */
export async function diff(addon: string, o: DiffOptions): Promise<void> {
  let bus: DiffBus | undefined;
  try {
    const codec = new BusCodec();
    const { custom } = makeClients(loadKubeConfig(o.kubeconfig));
    const { mc, cma, mca, revisions } = await hubInputs(custom, addon, o.cluster);
    const target = diffTarget(addon, cma, revisions, o.revision);
    bus = await DiffBus.open({ url: o.nats, ...(o.natsCreds ? { credsFile: o.natsCreds } : {}), codec, timeoutMs: o.timeoutMs });
    const published = await bus.published(o.cluster, addon, target.revision);
    const bundle = published ?? render(addon, o.cluster, target, mc, mca);
    const data = encodeDiffRequest(codec, bundle, bus.maxRequestBytes);
    const result = await bus.ask(o.cluster, data, o.timeoutMs);
    const header: DiffHeader = { cluster: o.cluster, addon, revision: target.revision, describe: target.describe, source: published ? "published" : "rendered" };
    process.stdout.write(o.output === "json" ? JSON.stringify({ ...header, ...result }, null, 2) + "\n" : formatDiff(header, result));
    if (result.error) process.stderr.write(`flotilla diff: the agent of ${o.cluster} could not diff: ${result.error.message} (${result.error.code})\n`);
    process.exitCode = exitCode(result);
  } catch (err) {
    process.stderr.write(`flotilla diff: ${errorMessage(err)}\n`);
    process.exitCode = EXIT_ERROR;
  } finally {
    await bus?.close();
  }
}

function render(addon: string, cluster: string, target: ReturnType<typeof diffTarget>, mc: ManagedCluster, mca: ManagedClusterAddOn): DesiredBundle {
  const validator = new ValuesValidator();
  const r = renderBundle({
    addon,
    revision: target.revision,
    spec: target.spec,
    cluster: { name: cluster, labels: labelsOf(mc) },
    clusterValues: mca.spec?.values,
    validateValues: (schema, values) => validator.validate(schema, values),
  });
  if (!r.ok) throw new Error(`${target.revision} does not render for ${cluster} (${r.reason}): ${r.message}`);
  return r.bundle;
}
