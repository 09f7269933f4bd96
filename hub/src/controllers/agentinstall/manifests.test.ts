import { describe, expect, it } from "vitest";
import { agentManifests, labelValue, type AgentManifestInput } from "./manifests.js";

const input = (p: Partial<AgentManifestInput> = {}): AgentManifestInput => ({
  cluster: "edge-1", namespace: "flotilla-system", image: "ghcr.io/flotilla/agent:0.2.0", natsUrl: "nats://hub.example:4222", bootstrapCreds: "-----BEGIN NATS USER JWT-----", version: "0.2.0", ...p,
});
type Container = { image: string; args: string[]; livenessProbe: { httpGet: { path: string; port: string } }; readinessProbe: { httpGet: { path: string } }; ports: { containerPort: number }[]; securityContext: Record<string, unknown>; resources: Record<string, unknown> };
const deploymentOf = (i: AgentManifestInput) => {
  const d = agentManifests(i).find((o) => o.kind === "Deployment") as unknown as { spec: { replicas: number; template: { spec: { serviceAccountName: string; securityContext: Record<string, unknown>; containers: Container[] } } } };
  return { d, c: d.spec.template.spec.containers[0]! };
};

describe("agentManifests", () => {
  it.each<[string, Partial<AgentManifestInput>, string[]]>([
    ["with creds: RBAC, the bootstrap Secret, the Deployment", {}, ["Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Secret", "Deployment"]],
    ["without creds (the agent has joined): no Secret", { bootstrapCreds: undefined }, ["Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Deployment"]],
  ])("%s, the namespace first", (_n, p, kinds) => {
    expect(agentManifests(input(p)).map((o) => o.kind)).toEqual(kinds);
  });

  it("labels every object as the hub's, with the hub's version", () => {
    for (const o of agentManifests(input())) {
      expect(o.metadata.labels).toMatchObject({ "app.kubernetes.io/managed-by": "flotilla-hub", "app.kubernetes.io/name": "flotilla-agent", "app.kubernetes.io/version": "0.2.0" });
    }
  });

  it("puts the creds in the Secret, base64", () => {
    const s = agentManifests(input()).find((o) => o.kind === "Secret") as unknown as { data: { creds: string }; metadata: { namespace: string } };
    expect(Buffer.from(s.data.creds, "base64").toString("utf8")).toBe("-----BEGIN NATS USER JWT-----");
    expect(s.metadata.namespace).toBe("flotilla-system");
  });

  it.each<[string, Partial<AgentManifestInput>, string, string[]]>([
    ["defaults", {}, "ghcr.io/flotilla/agent:0.2.0", ["--cluster", "edge-1", "--nats", "nats://hub.example:4222", "--bootstrap-creds", "/etc/flotilla/bootstrap/creds", "--namespace", "flotilla-system"]],
    ["another image and namespace", { image: "registry.local/agent@sha256:abc", namespace: "edge-agent" }, "registry.local/agent@sha256:abc", ["--cluster", "edge-1", "--nats", "nats://hub.example:4222", "--bootstrap-creds", "/etc/flotilla/bootstrap/creds", "--namespace", "edge-agent"]],
  ])("Deployment: %s", (_n, p, image, args) => {
    const { d, c } = deploymentOf(input(p));
    expect(c.image).toBe(image);
    expect(c.args).toEqual(args);
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.template.spec.serviceAccountName).toBe("flotilla-agent");
  });

  it("Deployment: probes on 9091, non-root, read-only root, no capabilities, resources", () => {
    const { d, c } = deploymentOf(input());
    expect(c.ports[0]!.containerPort).toBe(9091);
    expect(c.livenessProbe.httpGet.path).toBe("/healthz");
    expect(c.readinessProbe.httpGet.path).toBe("/readyz");
    expect(d.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    expect(c.resources).toMatchObject({ requests: { cpu: "50m", memory: "96Mi" }, limits: { memory: "256Mi" } });
  });
});

describe("labelValue", () => {
  it.each([
    ["0.1.0", "0.1.0"],
    ["0.1.0+build.7", "0.1.0_build.7"],
    ["-x-", "x"],
    ["a".repeat(70), "a".repeat(63)],
  ])("%s → %s", (v, want) => expect(labelValue(v)).toBe(want));
});
