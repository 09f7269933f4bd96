import { loadKubeConfig, makeClients, resources } from "@flotilla/shared";

export interface CompleteOptions {
  kubeconfig?: string;
  timeoutMs: number;
}

const RESOURCE = { addons: resources.clusterManagementAddOns, clusters: resources.managedClusters } as const;

async function names(kind: keyof typeof RESOURCE, kubeconfig: string | undefined): Promise<string[]> {
  const { group, version, plural } = RESOURCE[kind];
  const { custom } = makeClients(loadKubeConfig(kubeconfig));
  const list = (await custom.listClusterCustomObject({ group, version, plural })) as { items?: { metadata?: { name?: string } }[] };
  return (list.items ?? []).flatMap((i) => (i.metadata?.name ? [i.metadata.name] : []));
}

/**
 * Prints the names, one a line. Any failure — no kubeconfig, hub down, forbidden, too slow — prints
 * nothing: the shell then offers no names, and the prompt stays clean. The CLI's entry exits once this
 * returns, so a request still hanging after the timeout does not hold the shell.
 */
export async function completeNames(kind: keyof typeof RESOURCE, o: CompleteOptions): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string[]>((resolve) => (timer = setTimeout(() => resolve([]), o.timeoutMs)));
  try {
    const found = await Promise.race([names(kind, o.kubeconfig), timeout]);
    process.stdout.write(found.map((n) => `${n}\n`).join(""));
  } catch {
    // silent on purpose (see above)
  } finally {
    clearTimeout(timer);
  }
}
