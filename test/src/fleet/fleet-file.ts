/** `DIR/fleet.json` (DESIGN §8): what `flotilla dev up` started, with absolute paths. */
export interface FleetFile {
  hub: { kubeconfig: string };
  /** `natsCreds`: the creds file that cluster's agent connects with (its own user), when NATS has auth. */
  clusters: { name: string; kubeconfig: string; natsCreds?: string }[];
  /** `creds`: the hub's creds file, when NATS has auth (the dev fleet's default). */
  nats: { url: string; creds?: string };
}

/** Labels of the dev fleet's `cluster-<i>` (1-based): every cluster is `env=dev`; regions alternate. */
export function devClusterLabels(i: number): Record<string, string> {
  return { env: "dev", region: i % 2 === 1 ? "eu" : "us", "fleet.flotilla.dev/name": "dev" };
}

export const devClusterName = (i: number): string => `cluster-${i}`;
