/**
 * The installer's decisions (pure): which bootstrap credentials the agent's Secret gets, and the
 * `AgentInstalled` condition of each outcome.
 */
import type { ConditionInput } from "@flotilla/shared";
import type { ManagedCluster } from "../../api/types.js";
import { tokenState, type BootstrapToken } from "../registration/token.js";
import { AGENT_INSTALLED_CONDITION } from "../../api/names.js";

/** The token the installer makes for a cluster, in the hub's token namespace. */
export const installTokenName = (cluster: string): string => `agent-install-${cluster}`;

export type CredsPlan =
  /** Install (or refresh) the Secret with these creds. */
  | { action: "use"; creds: string }
  /** The agent has joined and keeps its own credentials: leave its bootstrap Secret as it is. */
  | { action: "keep" }
  /** Make a token (deleting `replace` first, a spent or expired one), then wait for its creds. */
  | { action: "mint"; replace?: string }
  /** The token is there; the hub has not minted its creds yet. */
  | { action: "wait"; token: string };

export interface CredsInput {
  cluster: string;
  /** The installer's own token for the cluster, parsed; undefined when there is none (or it is unreadable). */
  token: BootstrapToken | undefined;
  mc: ManagedCluster;
  now: number;
}

export function planCredentials(i: CredsInput): CredsPlan {
  const cred = i.mc.status?.credentials;
  const joined = cred !== undefined && cred.revokedTime === undefined;
  const state = i.token ? tokenState(i.token, i.now) : undefined;
  if (i.token && state === "Ready") return { action: "use", creds: i.token.creds! };
  if (joined) return { action: "keep" };
  if (i.token && state === "Unminted") return { action: "wait", token: i.token.name };
  return { action: "mint", ...(i.token ? { replace: i.token.name } : {}) };
}

export type InstallFailure = { reason: "KubeconfigNotFound" | "KubeconfigInvalid" | "SpokeUnreachable" | "ApplyFailed" | "AwaitingCredentials"; message: string };
export type InstallOutcome = { reason: "Installed"; image: string; version: string; namespace: string } | InstallFailure;

export function installCondition(o: InstallOutcome, generation: number | undefined): ConditionInput {
  const g = generation !== undefined ? { observedGeneration: generation } : {};
  if (o.reason === "Installed") {
    return { type: AGENT_INSTALLED_CONDITION, status: "True", reason: "Installed", message: `agent ${o.image} installed into namespace ${o.namespace} by hub ${o.version}`, ...g };
  }
  return { type: AGENT_INSTALLED_CONDITION, status: "False", reason: o.reason, message: o.message, ...g };
}
