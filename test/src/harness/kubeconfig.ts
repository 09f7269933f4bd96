import { writeFile } from "node:fs/promises";
import { KubeConfig } from "@kubernetes/client-node";
import { stringify } from "yaml";

interface KubeconfigTarget {
  clusterName: string;
  server: string;
  caPem: string;
  user: string;
}

export interface CertKubeconfigOptions extends KubeconfigTarget {
  certPem: string;
  keyPem: string;
}

/** A bearer token user: a ServiceAccount's token from the TokenRequest API, as a pod would hold it. */
export interface TokenKubeconfigOptions extends KubeconfigTarget {
  token: string;
}

const b64 = (pem: string): string => Buffer.from(pem, "utf8").toString("base64");

function kubeconfigYaml(target: KubeconfigTarget, credentials: Record<string, string>): string {
  const context = `${target.user}@${target.clusterName}`;
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: target.clusterName, cluster: { server: target.server, "certificate-authority-data": b64(target.caPem) } }],
    users: [{ name: context, user: credentials }],
    contexts: [{ name: context, context: { cluster: target.clusterName, user: context } }],
    "current-context": context,
    preferences: {},
  });
}

/** A self-contained kubeconfig (certificates inline) for one user of one cluster. Pure. */
export function certKubeconfigYaml(options: CertKubeconfigOptions): string {
  return kubeconfigYaml(options, { "client-certificate-data": b64(options.certPem), "client-key-data": b64(options.keyPem) });
}

/** A self-contained kubeconfig for one bearer token of one cluster. Pure. */
export function tokenKubeconfigYaml(options: TokenKubeconfigOptions): string {
  return kubeconfigYaml(options, { token: options.token });
}

/** Writes the kubeconfig (mode 0600) and returns it loaded. */
export async function writeCertKubeconfig(path: string, options: CertKubeconfigOptions): Promise<KubeConfig> {
  return writeKubeconfig(path, certKubeconfigYaml(options));
}

/** Writes the kubeconfig (mode 0600) and returns it loaded. */
export async function writeTokenKubeconfig(path: string, options: TokenKubeconfigOptions): Promise<KubeConfig> {
  return writeKubeconfig(path, tokenKubeconfigYaml(options));
}

async function writeKubeconfig(path: string, yaml: string): Promise<KubeConfig> {
  await writeFile(path, yaml, { mode: 0o600 });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(yaml);
  return kubeConfig;
}
