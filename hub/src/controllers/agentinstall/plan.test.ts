import { describe, expect, it } from "vitest";
import type { ManagedCluster } from "../../api/types.js";
import type { BootstrapToken } from "../registration/token.js";
import { installCondition, installTokenName, planCredentials, type CredsPlan } from "./plan.js";

const NOW = Date.parse("2026-01-01T12:00:00Z");
const KEY = "U" + "A".repeat(55);
const token = (p: Partial<BootstrapToken> = {}): BootstrapToken => ({ name: "agent-install-c1", cluster: "c1", expiresAt: NOW + 3600_000, autoAccept: false, labels: {}, ...p });
const minted = { creds: "CREDS", publicKey: KEY };
const mc = (credentials?: { publicKey: string; revokedTime?: string }): ManagedCluster => ({ metadata: { name: "c1" }, spec: { hubAcceptsClient: true }, ...(credentials ? { status: { credentials } } : {}) });

describe("planCredentials", () => {
  it.each<[string, BootstrapToken | undefined, ManagedCluster, CredsPlan]>([
    ["no token, not joined: make one", undefined, mc(), { action: "mint" }],
    ["token not minted yet: wait", token(), mc(), { action: "wait", token: "agent-install-c1" }],
    ["minted token: its creds", token(minted), mc(), { action: "use", creds: "CREDS" }],
    ["minted token, joined anyway: its creds (harmless)", token(minted), mc({ publicKey: KEY }), { action: "use", creds: "CREDS" }],
    ["token spent, agent joined: leave its Secret", token({ ...minted, usedAt: NOW - 1000 }), mc({ publicKey: KEY }), { action: "keep" }],
    ["no token, agent joined: leave its Secret", undefined, mc({ publicKey: KEY }), { action: "keep" }],
    ["token spent, credentials revoked since: a new one", token({ ...minted, usedAt: NOW - 1000 }), mc({ publicKey: KEY, revokedTime: "2026-01-01T11:00:00Z" }), { action: "mint", replace: "agent-install-c1" }],
    ["token expired unused: a new one", token({ ...minted, expiresAt: NOW }), mc(), { action: "mint", replace: "agent-install-c1" }],
  ])("%s", (_n, t, cluster, want) => {
    expect(planCredentials({ cluster: "c1", token: t, mc: cluster, now: NOW })).toEqual(want);
  });
});

describe("installCondition", () => {
  it.each([
    [{ reason: "Installed" as const, image: "ghcr.io/flotilla/agent:0.2.0", version: "0.2.0", namespace: "flotilla-system" }, "True", "agent ghcr.io/flotilla/agent:0.2.0 installed into namespace flotilla-system by hub 0.2.0"],
    [{ reason: "KubeconfigNotFound" as const, message: "Secret a/b does not exist" }, "False", "Secret a/b does not exist"],
    [{ reason: "SpokeUnreachable" as const, message: "ECONNREFUSED" }, "False", "ECONNREFUSED"],
  ])("%j", (o, status, message) => {
    expect(installCondition(o, 3)).toEqual({ type: "AgentInstalled", status, reason: o.reason, message, observedGeneration: 3 });
  });

  it("names the token after the cluster", () => expect(installTokenName("edge-1")).toBe("agent-install-edge-1"));
});
