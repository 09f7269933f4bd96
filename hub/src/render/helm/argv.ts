/** The `helm template` command line for one render (pure). Values go on stdin, never as `--set` strings. */

export interface HelmCapabilities {
  /** The cluster's Kubernetes version as its agent reports it (`gitVersion`, e.g. "v1.35.4"). */
  kubeVersion: string;
  /** Served `group/version`s (and `group/version/Kind`s when known), as the agent reports them. */
  apiVersions: readonly string[];
}

export interface TemplateArgs {
  chartPath: string;
  releaseName: string;
  namespace: string;
  capabilities: HelmCapabilities;
}

/** Sorted without repeats or blanks: equal capability sets give equal command lines and cache keys. */
export const normalizedApiVersions = (v: readonly string[]): string[] => [...new Set(v.map((s) => s.trim()).filter(Boolean))].sort();

/**
 * `helm template` with the target cluster's capabilities. Flag values are written `--flag=value` and the
 * positional arguments come after `--`, so a value starting with "-" is never read as a flag.
 * `--include-crds` puts the chart's `crds/` folders in the output (first, helm's own order);
 * `--skip-tests` leaves out helm test hooks, which Flotilla never runs (the agent would refuse them);
 * `-f -` reads the merged values (JSON, a subset of YAML) from stdin.
 */
export function templateArgv(a: TemplateArgs): string[] {
  return [
    "template",
    // helm's own default ("default") when the addon has no install namespace
    ...(a.namespace ? [`--namespace=${a.namespace}`] : []),
    `--kube-version=${a.capabilities.kubeVersion}`,
    ...normalizedApiVersions(a.capabilities.apiVersions).map((v) => `--api-versions=${v}`),
    "--include-crds",
    "--skip-tests",
    "--values=-",
    "--",
    a.releaseName,
    a.chartPath,
  ];
}
