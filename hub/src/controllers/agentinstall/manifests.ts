/**
 * What the hub installs on a managed cluster for its agent (pure): the agent's RBAC
 * (deploy/rbac/agent.yaml), the Secret with its bootstrap credentials, and a Deployment of the pinned
 * image. Every object carries MANAGED_BY_LABEL, by which the hub finds (and removes) what it installed.
 */
import { AGENT_NAME, agentRbac, type KubeObject } from "./rbac.js";

export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
export const MANAGED_BY_VALUE = "flotilla-hub";
export const INSTALLED_SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`;
/** The Secret holding the bootstrap token's `creds`, mounted where `--bootstrap-creds` reads it. */
export const BOOTSTRAP_SECRET = "flotilla-agent-bootstrap";
export const BOOTSTRAP_MOUNT = "/etc/flotilla/bootstrap";
/** The agent's default `--metrics-addr` port: /metrics, /healthz, /readyz. */
export const AGENT_HTTP_PORT = 9091;
/** The distroless `nonroot` user the agent image runs as. */
const NONROOT_UID = 65532;

export interface AgentManifestInput {
  cluster: string;
  namespace: string;
  image: string;
  natsUrl: string;
  /**
   * The bootstrap token's `creds`; undefined leaves the Secret out of the set (the agent has joined and
   * keeps its own credentials, so what the Secret holds no longer matters and is not rewritten).
   */
  bootstrapCreds: string | undefined;
  /** The hub's version: a label on every object, so `kubectl get -l` shows which hub installed what. */
  version: string;
}

export function agentManifests(i: AgentManifestInput): KubeObject[] {
  const labels = { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, "app.kubernetes.io/name": AGENT_NAME, "app.kubernetes.io/part-of": "flotilla", "app.kubernetes.io/version": labelValue(i.version) };
  const label = (o: KubeObject): KubeObject => ({ ...o, metadata: { ...o.metadata, labels: { ...o.metadata.labels, ...labels } } });
  const objects: KubeObject[] = agentRbac(i.namespace);
  if (i.bootstrapCreds !== undefined) {
    objects.push({ apiVersion: "v1", kind: "Secret", metadata: { name: BOOTSTRAP_SECRET, namespace: i.namespace }, type: "Opaque", data: { creds: Buffer.from(i.bootstrapCreds, "utf8").toString("base64") } });
  }
  objects.push(deployment(i, labels));
  return objects.map(label);
}

function deployment(i: AgentManifestInput, labels: Record<string, string>): KubeObject {
  const selector = { "app.kubernetes.io/name": AGENT_NAME };
  const probe = (path: string, periodSeconds: number) => ({ httpGet: { path, port: "http" }, periodSeconds, timeoutSeconds: 3, failureThreshold: 3 });
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: AGENT_NAME, namespace: i.namespace },
    spec: {
      // One agent per cluster: two would apply the same addons against each other.
      replicas: 1,
      strategy: { type: "Recreate" },
      selector: { matchLabels: selector },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: AGENT_NAME,
          securityContext: { runAsNonRoot: true, runAsUser: NONROOT_UID, runAsGroup: NONROOT_UID, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: "agent",
              image: i.image,
              args: ["--cluster", i.cluster, "--nats", i.natsUrl, "--bootstrap-creds", `${BOOTSTRAP_MOUNT}/creds`, "--namespace", i.namespace],
              ports: [{ name: "http", containerPort: AGENT_HTTP_PORT }],
              livenessProbe: probe("/healthz", 10),
              readinessProbe: probe("/readyz", 5),
              resources: { requests: { cpu: "50m", memory: "96Mi" }, limits: { memory: "256Mi" } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
              volumeMounts: [
                { name: "bootstrap", mountPath: BOOTSTRAP_MOUNT, readOnly: true },
                // Node and helm hooks may write temporary files; the root filesystem is read-only.
                { name: "tmp", mountPath: "/tmp" },
              ],
            },
          ],
          volumes: [
            { name: "bootstrap", secret: { secretName: BOOTSTRAP_SECRET } },
            { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
          ],
        },
      },
    },
  };
}

/** A label value: at most 63 of [A-Za-z0-9._-], alphanumeric at both ends (a `+build` suffix becomes `_`). */
export function labelValue(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
}
