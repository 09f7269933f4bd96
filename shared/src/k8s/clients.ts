import {
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
  Watch,
} from "@kubernetes/client-node";
import { FlotillaError } from "../errors.js";

/** The API clients one process needs for one cluster, built once in main and passed down. */
export interface KubeClients {
  kc: KubeConfig;
  objects: KubernetesObjectApi;
  custom: CustomObjectsApi;
  core: CoreV1Api;
  coordination: CoordinationV1Api;
  watch: Watch;
}

/** A kubeconfig from `path` (else the default places); Invalid, naming the file, when it is unusable. */
export function loadKubeConfig(path?: string): KubeConfig {
  const kc = new KubeConfig();
  const where = path ? `kubeconfig ${path}` : "the default kubeconfig ($KUBECONFIG, ~/.kube/config or in-cluster)";
  try {
    if (path) kc.loadFromFile(path);
    else kc.loadFromDefault();
  } catch (err) {
    throw new FlotillaError("Invalid", `${where} cannot be read: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (!kc.getCurrentCluster()) throw new FlotillaError("Invalid", `${where} names no cluster (no current context with a cluster)`);
  return kc;
}

export function makeClients(kc: KubeConfig): KubeClients {
  return {
    kc,
    objects: KubernetesObjectApi.makeApiClient(kc),
    custom: kc.makeApiClient(CustomObjectsApi),
    core: kc.makeApiClient(CoreV1Api),
    coordination: kc.makeApiClient(CoordinationV1Api),
    watch: new Watch(kc),
  };
}

/** REST collection path of a resource, e.g. `/apis/addon.flotilla.dev/v1alpha1/managedclusteraddons`. */
export function collectionPath(r: { group: string; version: string; plural: string }, namespace?: string): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  return namespace ? `${base}/namespaces/${namespace}/${r.plural}` : `${base}/${r.plural}`;
}
