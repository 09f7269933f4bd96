/**
 * The rollout planner (DESIGN §6): which revision each targeted cluster should have now. Pure; its
 * decision lands in MCA `status.desiredRevision` and nowhere else. A cluster whose dependencies are not
 * Available there waits; one already on the update revision stays. Only the `All` strategy so far:
 * Rolling and Canary slot in here with the same inputs (plus per-cluster states and `now`).
 */
export interface RolloutTarget {
  cluster: string;
  desiredRevision?: string;
}
export interface RolloutInput {
  updateRevision: string;
  /** `spec.paused`: no cluster starts on the update revision. */
  paused: boolean;
  /** Clusters that may not start yet (their dependencies are not Available there). */
  waiting?: ReadonlySet<string>;
  targets: readonly RolloutTarget[];
}
export interface RolloutDecision {
  /** cluster → revision to set as its desired revision now; clusters left out keep theirs. */
  desired: Map<string, string>;
  /** Clusters not on the update revision that the plan holds back. */
  held: string[];
}

export function planRollout(input: RolloutInput): RolloutDecision {
  const desired = new Map<string, string>();
  const held: string[] = [];
  for (const t of input.targets) {
    if (t.desiredRevision === input.updateRevision) continue;
    if (input.paused || input.waiting?.has(t.cluster)) held.push(t.cluster);
    else desired.set(t.cluster, input.updateRevision);
  }
  return { desired, held };
}
