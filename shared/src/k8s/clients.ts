import {
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
  Watch,
} from "@kubernetes/client-node";
import { createHash } from "node:crypto";
import { Agent as HttpsAgent, type AgentOptions } from "node:https";
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
  reuseConnections(kc);
  return kc;
}

type AgentFactory = (cluster: { server?: string; proxyUrl?: string } | null, options: AgentOptions) => unknown;
const MAX_AGENTS = 8;

/**
 * client-node makes a new https.Agent for every request, so every call (and every watch) opens a new
 * TLS connection: at idle, the agent's resync spent about half its CPU on handshakes. This keeps one
 * keep-alive agent per server and TLS identity (CA, client certificate and key, server name) and hands
 * it out again; idle sockets are unref'd by Node, so a short CLI run still exits at once. Token and
 * exec credentials travel in headers, so they are unaffected. It replaces client-node's private
 * `createAgent` on this instance only, and leaves proxies and plain http to it; if a client-node
 * release drops that method, nothing is replaced and requests work as before.
 */
function reuseConnections(kc: KubeConfig): void {
  const target = kc as unknown as { createAgent?: AgentFactory };
  const original = target.createAgent;
  if (typeof original !== "function") return;
  const agents = new Map<string, HttpsAgent>();
  target.createAgent = (cluster, options) => {
    if (!cluster?.server?.startsWith("https:") || cluster.proxyUrl) return original.call(kc, cluster, options);
    const h = createHash("sha256");
    for (const part of [cluster.server, options.ca, options.cert, options.key, options.pfx, options.passphrase, String(options.rejectUnauthorized), options.servername]) {
      h.update(part === undefined ? "-" : Array.isArray(part) ? part.map(String).join("|") : typeof part === "string" || Buffer.isBuffer(part) ? part : JSON.stringify(part));
      h.update("\0");
    }
    const key = h.digest("hex");
    let agent = agents.get(key);
    if (!agent) {
      if (agents.size >= MAX_AGENTS) agents.clear();
      agent = new HttpsAgent({ ...options, keepAlive: true });
      agents.set(key, agent);
    }
    return agent;
  };
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
