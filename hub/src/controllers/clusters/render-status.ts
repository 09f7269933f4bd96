/**
 * The MCA conditions the render manager owns (pure): `Rendered` exists only while rendering fails,
 * `ValuesValid` only while the cluster's values fail `valuesSchema`, `ImagePolicyCompliant` only while
 * the cluster's render breaks an image policy. Both are written together, by one
 * field manager, so applying one never drops the other by accident.
 */
import { conditionsChanged, findCondition, type Condition } from "@flotilla/shared";
import { IMAGE_POLICY_CONDITION, RENDER_CONDITIONS, RENDERED_CONDITION, VALUES_VALID_CONDITION } from "../../api/names.js";
import type { ViolationReason } from "../../imagepolicy/evaluate.js";
import type { RenderFailureReason } from "../../render/bundle.js";

export interface RenderFailure {
  /** A render that failed, or one whose images break a policy (nothing new is published either way). */
  reason: RenderFailureReason | ViolationReason;
  message: string;
}

export interface RenderStatusInput {
  /** The MCA's `status.conditions`, every writer's. */
  current: readonly Condition[] | undefined;
  failure: RenderFailure | undefined;
  generation: number | undefined;
  now: Date;
}

export interface RenderStatusResult {
  /** What to apply as the render manager, or undefined when its conditions are already so. */
  status: { conditions?: Condition[] } | undefined;
  /** The failure condition when it is new or says something new: worth an Event and a log line. */
  raised: Condition | undefined;
  /** The condition types that were set and are now gone (the cluster renders again). */
  cleared: string[];
}

const MAX_MESSAGE = 32_000;
const IMAGE_REASONS: ReadonlySet<string> = new Set<ViolationReason>(["ImageNotAllowed", "DigestRequired", "InvalidImageReference"]);

export function renderStatus(input: RenderStatusInput): RenderStatusResult {
  const { failure } = input;
  const owned = (input.current ?? []).filter((c) => RENDER_CONDITIONS.includes(c.type));
  let wanted: Condition | undefined;
  let raised: Condition | undefined;
  if (failure) {
    const type = failure.reason === "ValuesInvalid" ? VALUES_VALID_CONDITION : IMAGE_REASONS.has(failure.reason) ? IMAGE_POLICY_CONDITION : RENDERED_CONDITION;
    const prev = findCondition(owned, type);
    const message = failure.message.slice(0, MAX_MESSAGE);
    wanted = {
      type,
      status: "False",
      reason: failure.reason,
      message,
      lastTransitionTime: prev?.status === "False" ? prev.lastTransitionTime : input.now.toISOString(),
      ...(input.generation !== undefined ? { observedGeneration: input.generation } : {}),
    };
    if (prev?.status !== "False" || prev.reason !== wanted.reason || prev.message !== message) raised = wanted;
  }
  const next = wanted ? [wanted] : [];
  const cleared = owned.filter((c) => c.type !== wanted?.type).map((c) => c.type);
  if (!conditionsChanged(owned, next)) return { status: undefined, raised: undefined, cleared: [] };
  return { status: next.length ? { conditions: next } : {}, raised, cleared };
}
