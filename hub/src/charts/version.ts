import semver from "semver";

export type VersionPick = { ok: true; version: string } | { ok: false; why: "InvalidConstraint" | "NoMatch" };

/**
 * Picks the chart version to install from what a repository offers (index entries or OCI tags), as helm
 * does: a constraint equal to an offered version string wins outright; otherwise the highest offered
 * version satisfying the constraint as a semver range (`1.4.2`, `~1.4.0`, `>=1 <2`, `^2`); an empty
 * constraint means the highest version that is not a prerelease. A range admits prereleases only as
 * npm semver does (when a comparator names one of the same major.minor.patch). Offered strings that are
 * not semver are ignored apart from the exact match. Returns the offered string as it was.
 */
export function pickVersion(offered: readonly string[], constraint: string | undefined): VersionPick {
  const wanted = constraint?.trim() ?? "";
  if (wanted !== "" && offered.includes(wanted)) return { ok: true, version: wanted };
  const range = wanted === "" ? "*" : semver.validRange(wanted);
  if (range === null) return { ok: false, why: "InvalidConstraint" };
  let best: { raw: string; parsed: semver.SemVer } | undefined;
  for (const raw of offered) {
    const parsed = semver.parse(raw);
    if (parsed === null || !semver.satisfies(parsed, range)) continue;
    if (best === undefined || semver.gt(parsed, best.parsed)) best = { raw, parsed };
  }
  return best === undefined ? { ok: false, why: "NoMatch" } : { ok: true, version: best.raw };
}
