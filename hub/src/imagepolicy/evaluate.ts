/**
 * Image policies against rendered images (pure). The policies of an addon are its own
 * `spec.imagePolicy` and every fleet-wide ImagePolicy whose addonSelector matches its labels; an image
 * must satisfy all of them, so each policy is checked on its own and each breach is one violation
 * naming the image, where it is, the rule and the policy.
 */
import { canonicalJson, matchesSelector } from "@flotilla/shared";
import type { ImagePolicy, ImagePolicyRules } from "../api/types.js";
import type { ImageUse } from "./images.js";
import { parseImageReference, type ImageReference } from "./reference.js";
import { parseRegistryEntry, registryAllows, type RegistryEntry } from "./registry.js";

export interface NamedPolicy {
  /** `ImagePolicy/<name>`, or `ClusterManagementAddOn/<addon> spec.imagePolicy`. */
  policy: string;
  allowedRegistries?: readonly string[];
  requireDigest?: boolean;
}

export type ImageRule = "allowedRegistries" | "requireDigest" | "validReference";
export type ViolationReason = "ImageNotAllowed" | "DigestRequired" | "InvalidImageReference";

export interface Violation {
  /** The image as the rendered object gives it. */
  image: string;
  where: string;
  rule: ImageRule;
  reason: ViolationReason;
  policy: string;
  /** Human-readable: what is wrong, with the policy's words. */
  message: string;
}

/** The policies that apply to an addon: its own first, then the fleet's that select it, by name. */
export function applicablePolicies(addon: { name: string; labels: Record<string, string> | undefined; rules: ImagePolicyRules | undefined }, fleet: readonly ImagePolicy[]): NamedPolicy[] {
  const own: NamedPolicy[] = addon.rules ? [{ policy: `ClusterManagementAddOn/${addon.name} spec.imagePolicy`, ...addon.rules }] : [];
  const selected = fleet
    .filter((p) => !p.metadata?.deletionTimestamp && matchesSelector(p.spec.addonSelector, addon.labels))
    .map((p): NamedPolicy => ({ policy: `ImagePolicy/${p.metadata?.name ?? ""}`, ...(p.spec.allowedRegistries ? { allowedRegistries: p.spec.allowedRegistries } : {}), ...(p.spec.requireDigest !== undefined ? { requireDigest: p.spec.requireDigest } : {}) }))
    .sort((a, b) => (a.policy < b.policy ? -1 : a.policy > b.policy ? 1 : 0));
  return [...own, ...selected];
}

/** Changes exactly when what the policies say changes: part of every cached verdict's key. */
export const policySignature = (policies: readonly NamedPolicy[]): string => canonicalJson(policies);

const quote = (image: unknown): string => (typeof image === "string" ? `"${image}"` : JSON.stringify(image) ?? "undefined");

export function evaluateImages(uses: readonly ImageUse[], policies: readonly NamedPolicy[]): Violation[] {
  if (policies.length === 0) return [];
  const out: Violation[] = [];
  const seen = new Set<string>();
  // Each entry parsed once, and each distinct image checked once: the clusters controller runs this on
  // every render it publishes, and a bundle repeats its images (sidecars, init containers).
  const entries = policies.map((p) => ({ policy: p, entries: p.allowedRegistries?.map(parseRegistryEntry) }));
  for (const use of uses) {
    const image = typeof use.image === "string" ? use.image : quote(use.image);
    if (seen.has(image)) continue;
    seen.add(image);
    const parsed = typeof use.image === "string" ? parseImageReference(use.image) : { ok: false as const, error: "the image is not a string" };
    if (!parsed.ok) {
      const policy = policies[0]!.policy;
      out.push({ image, where: use.where, rule: "validReference", reason: "InvalidImageReference", policy, message: `image ${quote(use.image)} (${use.where}) is not a valid image reference: ${parsed.error}; ${policy} cannot be checked` });
      continue;
    }
    for (const p of entries) out.push(...breaches(use, image, parsed.ref, p.policy, p.entries));
  }
  return out;
}

function breaches(use: ImageUse, image: string, ref: ImageReference, p: NamedPolicy, allowed: readonly RegistryEntry[] | undefined): Violation[] {
  const out: Violation[] = [];
  const name = `${ref.domain}/${ref.path}`;
  if (p.allowedRegistries && allowed && !allowed.some((e) => registryAllows(e, ref))) {
    out.push({ image, where: use.where, rule: "allowedRegistries", reason: "ImageNotAllowed", policy: p.policy, message: `image "${image}" (${use.where}) is ${name}, not from a registry ${p.policy} allows (allowedRegistries: ${p.allowedRegistries.join(", ")})` });
  }
  if (p.requireDigest && !ref.digest) {
    out.push({ image, where: use.where, rule: "requireDigest", reason: "DigestRequired", policy: p.policy, message: `image "${image}" (${use.where}) is not pinned by digest (name@sha256:…), which ${p.policy} requires (requireDigest)` });
  }
  return out;
}
