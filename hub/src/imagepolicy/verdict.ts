/**
 * What the image policies say of one revision, and the `ImagePolicyCompliant` condition that says it
 * (pure). A revision is checked in one or more renders (one per placement, whose values differ); their
 * verdicts combine: any violation refuses the revision, else any render that could not be made leaves
 * it unknown (the per-cluster check at publish time still guards it), else it is compliant.
 */
import type { ConditionInput } from "@flotilla/shared";
import { IMAGE_POLICY_CONDITION } from "../api/names.js";
import { evaluateImages, type NamedPolicy, type Violation, type ViolationReason } from "./evaluate.js";
import { imagesOf } from "./images.js";

export type ImageVerdict =
  | { state: "NoPolicy" }
  | { state: "Compliant"; images: number; policies: number }
  | { state: "Refused"; violations: Violation[] }
  /** The revision could not be rendered here to check it (values invalid, chart unreachable, …). */
  | { state: "Unknown"; reason: string; message: string };


const MAX_LISTED = 5;

/** The violations, most telling first (as found), at most five, and how many more. */
export function violationsMessage(violations: readonly Violation[]): string {
  const listed = violations.slice(0, MAX_LISTED).map((v) => v.message);
  const more = violations.length - listed.length;
  return listed.join("; ") + (more > 0 ? `; and ${more} more` : "");
}

/** The reason of a refusal: the first violation's (they are listed in that order). */
export const refusalReason = (violations: readonly Violation[]): ViolationReason => violations[0]?.reason ?? "ImageNotAllowed";

/** One render's objects against the addon's policies. */
export function verdictOf(objects: readonly unknown[], policies: readonly NamedPolicy[]): ImageVerdict {
  if (policies.length === 0) return { state: "NoPolicy" };
  const uses = imagesOf(objects);
  const violations = evaluateImages(uses, policies);
  return violations.length ? { state: "Refused", violations } : { state: "Compliant", images: new Set(uses.map((u) => String(u.image))).size, policies: policies.length };
}

export function combineVerdicts(verdicts: readonly ImageVerdict[]): ImageVerdict {
  const refused = verdicts.flatMap((v) => (v.state === "Refused" ? v.violations : []));
  if (refused.length) {
    const seen = new Set<string>();
    return { state: "Refused", violations: refused.filter((v) => !seen.has(v.message) && seen.add(v.message)) };
  }
  const unknown = verdicts.find((v) => v.state === "Unknown");
  if (unknown) return unknown;
  const compliant = verdicts.filter((v): v is Extract<ImageVerdict, { state: "Compliant" }> => v.state === "Compliant");
  if (compliant.length === 0) return { state: "NoPolicy" };
  return { state: "Compliant", images: Math.max(...compliant.map((v) => v.images)), policies: Math.max(...compliant.map((v) => v.policies)) };
}

export function imagePolicyCondition(verdict: ImageVerdict, revision: string): Omit<ConditionInput, "observedGeneration"> {
  const type = IMAGE_POLICY_CONDITION;
  switch (verdict.state) {
    case "NoPolicy":
      return { type, status: "True", reason: "NoPolicy", message: "no image policy applies to this addon" };
    case "Compliant":
      return { type, status: "True", reason: "Compliant", message: `${revision}: ${verdict.images} image(s) satisfy ${verdict.policies} image polic${verdict.policies === 1 ? "y" : "ies"}` };
    case "Refused":
      return { type, status: "False", reason: refusalReason(verdict.violations), message: `${revision} is refused, no cluster starts on it: ${violationsMessage(verdict.violations)}` };
    case "Unknown":
      return { type, status: "Unknown", reason: verdict.reason, message: `${revision} could not be rendered to check its images (${verdict.message}); each cluster's render is checked before it is published` };
  }
}
