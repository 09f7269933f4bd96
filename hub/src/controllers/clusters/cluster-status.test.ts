import { describe, expect, it } from "vitest";
import { findCondition, type AgentInfo } from "@flotilla/shared";
import type { ManagedClusterStatus } from "../../api/types.js";
import type { Presence } from "../../presence/store.js";
import { clusterStatus, type ClusterStatusInput } from "./cluster-status.js";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const KEY = "U" + "A".repeat(55);
const info: AgentInfo = { version: 1, kind: "AgentInfo", cluster: "c1", agentVersion: "0.1.0", kubernetesVersion: "v1.35.4", startedAt: "2026-01-01T00:00:00Z", sentAt: "2026-01-01T00:00:00Z", heartbeatSeconds: 10 };
const presence = (receivedAt: number): Presence => ({ info, receivedAt });
const input = (p: Partial<ClusterStatusInput>): ClusterStatusInput => ({
  accepted: true,
  generation: 2,
  previous: undefined,
  presence: undefined,
  now: T0,
  graceSeconds: 30,
  lastSeenRefreshSeconds: 300,
  ...p,
});
const cond = (s: ManagedClusterStatus, type: string) => {
  const c = findCondition(s.conditions, type);
  return c && `${c.status}/${c.reason}`;
};

describe("clusterStatus", () => {
  it.each<[string, Partial<ClusterStatusInput>, [string, string, string], number | undefined]>([
    ["accepted, no agent yet", {}, ["True/HubAcceptedClient", "False/AgentNotSeen", "Unknown/AgentNotSeen"], undefined],
    ["not accepted", { accepted: false }, ["False/HubNotAccepted", "False/AgentNotSeen", "Unknown/AgentNotSeen"], undefined],
    ["fresh presence: available, look again when it would lapse", { presence: presence(T0 - 10_000) }, ["True/HubAcceptedClient", "True/AgentJoined", "True/AgentPresent"], 20_001],
    ["presence at the edge of the grace is still fresh", { presence: presence(T0 - 30_000) }, ["True/HubAcceptedClient", "True/AgentJoined", "True/AgentPresent"], 1],
    ["lapsed presence: Unknown/PresenceLapsed", { presence: presence(T0 - 30_001) }, ["True/HubAcceptedClient", "True/AgentJoined", "Unknown/PresenceLapsed"], undefined],
    ["a registration waiting for acceptance", { accepted: false, previous: { registration: { publicKey: KEY, requestTime: "2026-01-01T00:00:00Z", bootstrapToken: "join" } } }, ["False/AwaitingAcceptance", "False/AgentNotSeen", "Unknown/AgentNotSeen"], undefined],
    ["credentials issued, agent not heard from", { previous: { credentials: { publicKey: KEY, issuedTime: "2026-01-01T00:00:00Z" } } }, ["True/HubAcceptedClient", "False/AwaitingAgent", "Unknown/AgentNotSeen"], undefined],
    ["credentials revoked: not joined whatever presence says", { accepted: false, presence: presence(T0 - 10_000), previous: { credentials: { publicKey: KEY, revokedTime: "2026-01-01T00:00:00Z" } } }, ["False/HubNotAccepted", "False/CredentialsRevoked", "True/AgentPresent"], 20_001],
  ])("%s", (_n, p, [accepted, joined, available], requeue) => {
    const r = clusterStatus(input(p));
    expect([cond(r.status, "Accepted"), cond(r.status, "Joined"), cond(r.status, "Available")]).toEqual([accepted, joined, available]);
    expect(r.requeueAfterMs).toBe(requeue);
    expect(r.status.observedGeneration).toBe(2);
  });

  it("neither writes nor compares the credentials manager's fields", () => {
    const first = clusterStatus(input({ presence: presence(T0) })).status;
    const r = clusterStatus(input({ presence: presence(T0), previous: { ...first, credentials: { publicKey: KEY } } }));
    expect(r.changed).toBe(false);
    expect(r.status.credentials).toBeUndefined();
  });

  it("neither carries nor compares the installer's AgentInstalled condition", () => {
    const first = clusterStatus(input({ presence: presence(T0) })).status;
    const installed = { type: "AgentInstalled", status: "True" as const, reason: "Installed", message: "m", lastTransitionTime: "2026-01-01T00:00:00Z" };
    const r = clusterStatus(input({ presence: presence(T0), previous: { ...first, conditions: [...(first.conditions ?? []), installed] } }));
    expect(r.changed).toBe(false);
    expect(findCondition(r.status.conditions, "AgentInstalled")).toBeUndefined();
  });

  it("stays Joined when presence is forgotten (hub restart, agent gone)", () => {
    const first = clusterStatus(input({ presence: presence(T0) })).status;
    const r = clusterStatus(input({ previous: first, presence: undefined, now: T0 + 60_000 }));
    expect(cond(r.status, "Joined")).toBe("True/AgentJoined");
    expect(cond(r.status, "Available")).toBe("Unknown/PresenceLapsed");
  });

  it("records agent facts", () => {
    const r = clusterStatus(input({ presence: presence(T0) }));
    expect(r.status.agent).toEqual({ version: "0.1.0", lastSeenTime: new Date(T0).toISOString() });
    expect(r.status.kubernetesVersion).toBe("v1.35.4");
    expect(r.changed).toBe(true);
  });

  it("does not write per heartbeat: lastSeenTime only at the refresh interval", () => {
    const first = clusterStatus(input({ presence: presence(T0) })).status;
    const soon = clusterStatus(input({ previous: first, presence: presence(T0 + 20_000), now: T0 + 20_000 }));
    expect(soon.changed).toBe(false);
    expect(soon.status.agent?.lastSeenTime).toBe(new Date(T0).toISOString());
    const later = clusterStatus(input({ previous: first, presence: presence(T0 + 300_000), now: T0 + 300_000 }));
    expect(later.changed).toBe(true);
    expect(later.status.agent?.lastSeenTime).toBe(new Date(T0 + 300_000).toISOString());
  });

  it("keeps lastTransitionTime while a condition holds", () => {
    const first = clusterStatus(input({ presence: presence(T0) })).status;
    const again = clusterStatus(input({ previous: first, presence: presence(T0 + 5000), now: T0 + 5000 })).status;
    expect(findCondition(again.conditions, "Available")?.lastTransitionTime).toBe(new Date(T0).toISOString());
    const lapsed = clusterStatus(input({ previous: first, presence: presence(T0), now: T0 + 31_000 })).status;
    expect(findCondition(lapsed.conditions, "Available")?.lastTransitionTime).toBe(new Date(T0 + 31_000).toISOString());
  });
});
