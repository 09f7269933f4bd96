import { writeFile } from "node:fs/promises";
import { KubeConfig } from "@kubernetes/client-node";
import { stringify } from "yaml";

export interface CertKubeconfigOptions {
  clusterName: string;
  server: string;
  caPem: string;
  user: string;
  certPem: string;
  keyPem: string;
}

const b64 = (pem: string): string => Buffer.from(pem, "utf8").toString("base64");

/** A self-contained kubeconfig (certificates inline) for one user of one cluster. Pure. */
export function certKubeconfigYaml(options: CertKubeconfigOptions): string {
  const context = `${options.user}@${options.clusterName}`;
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      { name: options.clusterName, cluster: { server: options.server, "certificate-authority-data": b64(options.caPem) } },
    ],
    users: [
      {
        name: context,
        user: { "client-certificate-data": b64(options.certPem), "client-key-data": b64(options.keyPem) },
      },
    ],
    contexts: [{ name: context, context: { cluster: options.clusterName, user: context } }],
    "current-context": context,
    preferences: {},
  });
}

/** Writes the kubeconfig (mode 0600) and returns it loaded. */
export async function writeCertKubeconfig(path: string, options: CertKubeconfigOptions): Promise<KubeConfig> {
  const yaml = certKubeconfigYaml(options);
  await writeFile(path, yaml, { mode: 0o600 });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(yaml);
  return kubeConfig;
}
