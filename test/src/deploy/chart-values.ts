/** Values the chart tests install and render with: the fewest each chart needs, and every value set. */
import type { ChartName } from "./charts.js";

const DIGEST = `sha256:${"a".repeat(64)}`;

/** The pod's values both charts share, each away from its default. */
const pod = (team: string) => ({
  podSecurityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } },
  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] }, runAsNonRoot: true },
  podAnnotations: { "example.com/team": team },
  podLabels: { team },
  nodeSelector: { "kubernetes.io/os": "linux" },
  imagePullSecrets: [{ name: "regcred" }],
  serviceMonitor: { enabled: true, interval: "15s", scrapeTimeout: "5s", labels: { release: "prometheus" } },
});

export const MINIMAL: Record<ChartName, Record<string, unknown>> = {
  "flotilla-hub": { nats: { url: "nats://nats.example:4222" } },
  "flotilla-agent": { cluster: { name: "edge-1" }, nats: { url: "nats://nats.example:4222", bootstrapSecret: "flotilla-agent-bootstrap" } },
};

/** Every value away from its default (README.md lists the same), so each template branch renders. */
export const FULL: Record<ChartName, Record<string, unknown>> = {
  "flotilla-hub": {
    replicas: 3,
    image: { repository: "registry.example/flotilla/hub", tag: "0.1.0-rc.1", digest: DIGEST, pullPolicy: "Always" },
    nats: { url: "nats://a.example:4222,nats://b.example:4222", credsSecret: "flotilla-hub-nats", issuerSecret: "flotilla-hub-issuer" },
    credentialsTtlSeconds: 3600,
    presenceGraceSeconds: 45,
    leaderElection: { leaseDurationSeconds: 20 },
    agentInstall: { image: "registry.example/flotilla/agent:0.1.0", natsUrl: "nats://edge.example:4222" },
    charts: { plainHttp: "loopback", cacheSizeLimit: "2Gi" },
    logLevel: "debug",
    extraArgs: ["--helm=/usr/local/bin/helm"],
    extraEnv: [{ name: "FLOTILLA_EXTRA", value: "1" }],
    resources: { requests: { cpu: "200m", memory: "512Mi" }, limits: { memory: "2Gi" } },
    ...pod("platform"),
    tolerations: [{ key: "dedicated", operator: "Equal", value: "control", effect: "NoSchedule" }],
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/arch", operator: "In", values: ["amd64", "arm64"] }] }] } } },
    priorityClassName: "system-cluster-critical",
    podDisruptionBudget: { enabled: true, minAvailable: "50%" },
    service: { type: "NodePort", port: 9100, annotations: { "example.com/scrape": "true" } },
    prometheusRule: { enabled: true, labels: { release: "prometheus" } },
    grafanaDashboard: { enabled: true, namespace: "monitoring", labels: { grafana_dashboard: "1", team: "platform" } },
  },
  "flotilla-agent": {
    cluster: { name: "eu-edge-1" },
    image: { repository: "registry.example/flotilla/agent", tag: "0.1.0-rc.1", digest: DIGEST, pullPolicy: "Always" },
    nats: { url: "nats://a.example:4222", credsSecret: "eu-edge-1-nats" },
    credentialsSecret: "eu-edge-1-credentials",
    addonIdentity: false,
    logLevel: "debug",
    extraArgs: ["--resync=60"],
    extraEnv: [{ name: "FLOTILLA_HEARTBEAT", value: "5" }],
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } },
    ...pod("edge"),
    tolerations: [{ operator: "Exists" }],
    affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: "node-role.kubernetes.io/infra", operator: "Exists" }] } }] } },
    priorityClassName: "system-node-critical",
    service: { type: "LoadBalancer", port: 9101, annotations: { "example.com/scrape": "true" } },
  },
};

/** Values FULL leaves at their default, and why. */
export const KEPT_DEFAULT: Record<ChartName, Record<string, string>> = {
  "flotilla-hub": { "podDisruptionBudget.enabled": "false would leave out the PodDisruptionBudget whose minAvailable FULL sets" },
  "flotilla-agent": { "nats.bootstrapSecret": "excludes nats.credsSecret; MINIMAL sets it" },
};
