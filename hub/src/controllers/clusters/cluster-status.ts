/** ManagedCluster status from acceptance and agent presence (pure). */
import { findCondition, setCondition, type Condition, type ConditionInput } from "@flotilla/shared";
import type { ManagedClusterStatus } from "../../api/types.js";
import type { Presence } from "../../presence/store.js";
import { differsIgnoring } from "../../kube/diff.js";
import { AGENT_INSTALLED_CONDITION } from "../../api/names.js";

export interface ClusterStatusInput {
  accepted: boolean;
  generation: number | undefined;
  previous: ManagedClusterStatus | undefined;
  presence: Presence | undefined;
  now: number;
  graceSeconds: number;
  /** `status.agent.lastSeenTime` is refreshed at most this often when nothing else changes. */
  lastSeenRefreshSeconds: number;
}

export interface ClusterStatusResult {
  status: ManagedClusterStatus;
  /** Whether the status differs from `previous` enough to write. */
  changed: boolean;
  /** Look again then: when presence would lapse. */
  requeueAfterMs: number | undefined;
}

export function clusterStatus(input: ClusterStatusInput): ClusterStatusResult {
  const { presence, now } = input;
  // status.credentials and status.registration belong to the credentials manager: neither written nor compared here
  const { credentials, registration, ...rest } = input.previous ?? {};
  // AgentInstalled belongs to the installer (its own field manager): neither carried nor compared here
  const previous = rest.conditions ? { ...rest, conditions: rest.conditions.filter((c) => c.type !== AGENT_INSTALLED_CONDITION) } : rest;
  const g = input.generation !== undefined ? { observedGeneration: input.generation } : {};
  const graceMs = input.graceSeconds * 1000;
  const fresh = presence !== undefined && now - presence.receivedAt <= graceMs;
  const revoked = credentials?.revokedTime !== undefined;
  const joinedBefore = findCondition(previous.conditions, "Joined")?.status === "True";
  const joined = !revoked && (presence !== undefined || joinedBefore);

  const conds: ConditionInput[] = [
    input.accepted
      ? { type: "Accepted", status: "True", reason: "HubAcceptedClient", message: "spec.hubAcceptsClient is true", ...g }
      : registration
        ? {
            type: "Accepted", status: "False", reason: "AwaitingAcceptance", ...g,
            message: `the agent asked to join at ${registration.requestTime}${registration.bootstrapToken ? ` with bootstrap token ${registration.bootstrapToken}` : ""}; set spec.hubAcceptsClient to true to let it in`,
          }
        : { type: "Accepted", status: "False", reason: "HubNotAccepted", message: "spec.hubAcceptsClient is false", ...g },
    joined
      ? { type: "Joined", status: "True", reason: "AgentJoined", message: "the agent has reported over the bus", ...g }
      : revoked
        ? { type: "Joined", status: "False", reason: "CredentialsRevoked", message: `the agent's bus credentials were revoked at ${credentials.revokedTime}`, ...g }
        : credentials
          ? { type: "Joined", status: "False", reason: "AwaitingAgent", message: `bus credentials issued at ${credentials.issuedTime ?? "?"}; waiting for the agent to report`, ...g }
          : { type: "Joined", status: "False", reason: "AgentNotSeen", message: "no agent has reported yet", ...g },
    fresh
      ? { type: "Available", status: "True", reason: "AgentPresent", message: `agent heard from within ${input.graceSeconds}s`, ...g }
      : joined
        ? { type: "Available", status: "Unknown", reason: "PresenceLapsed", message: `no agent info for more than ${input.graceSeconds}s`, ...g }
        : { type: "Available", status: "Unknown", reason: "AgentNotSeen", message: "no agent has reported yet", ...g },
  ];
  let conditions: Condition[] = previous.conditions ?? [];
  for (const c of conds) conditions = setCondition(conditions, c, new Date(now));

  const prevSeen = previous.agent?.lastSeenTime;
  const base: ManagedClusterStatus = {
    ...g,
    conditions,
    ...(presence || previous.agent
      ? { agent: { ...previous.agent, ...(presence ? { version: presence.info.agentVersion } : {}), ...(prevSeen ? { lastSeenTime: prevSeen } : {}) } }
      : {}),
    ...(presence?.info.kubernetesVersion ?? previous.kubernetesVersion
      ? { kubernetesVersion: presence?.info.kubernetesVersion ?? previous.kubernetesVersion }
      : {}),
  };
  const otherwiseChanged = differsIgnoring(base, input.previous ? previous : undefined, ["lastTransitionTime", "lastSeenTime"]);
  const seenDue = presence !== undefined && (!prevSeen || presence.receivedAt - Date.parse(prevSeen) >= input.lastSeenRefreshSeconds * 1000);
  const status: ManagedClusterStatus =
    presence && (otherwiseChanged || seenDue) ? { ...base, agent: { ...base.agent, lastSeenTime: new Date(presence.receivedAt).toISOString() } } : base;

  // Presence is not re-checked per heartbeat: look again when it would lapse.
  const requeueAfterMs = fresh && presence ? Math.max(1, presence.receivedAt + graceMs - now + 1) : undefined;
  return { status, changed: otherwiseChanged || status !== base, requeueAfterMs };
}
