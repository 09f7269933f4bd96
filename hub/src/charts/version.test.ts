import { describe, expect, it } from "vitest";
import { pickVersion, type VersionPick } from "./version.js";

const OFFERED = ["1.20.0", "1.21.0", "1.21.1", "1.21.2-rc.1", "1.22.0-beta.0", "v1.19.3", "2.0.0-alpha.1", "not-semver"];

describe("pickVersion", () => {
  it.each<[string, readonly string[], string | undefined, VersionPick]>([
    ["empty: latest non-prerelease", OFFERED, undefined, { ok: true, version: "1.21.1" }],
    ["blank counts as empty", OFFERED, "  ", { ok: true, version: "1.21.1" }],
    ["exact version", OFFERED, "1.20.0", { ok: true, version: "1.20.0" }],
    ["exact prerelease by its string", OFFERED, "1.22.0-beta.0", { ok: true, version: "1.22.0-beta.0" }],
    ["exact non-semver string", OFFERED, "not-semver", { ok: true, version: "not-semver" }],
    ["version without v matches a v-prefixed one", OFFERED, "1.19.3", { ok: true, version: "v1.19.3" }],
    ["tilde range: highest patch", OFFERED, "~1.21.0", { ok: true, version: "1.21.1" }],
    ["caret range", OFFERED, "^1.0.0", { ok: true, version: "1.21.1" }],
    ["x-range", OFFERED, "1.20.x", { ok: true, version: "1.20.0" }],
    ["compound range", OFFERED, ">=1.19.0 <1.21.0", { ok: true, version: "1.20.0" }],
    ["range naming a prerelease admits that tuple's prereleases", OFFERED, ">=1.21.2-rc.0", { ok: true, version: "1.21.2-rc.1" }],
    ["range excludes other prereleases", OFFERED, ">=2.0.0", { ok: false, why: "NoMatch" }],
    ["exact version not offered", OFFERED, "1.21.3", { ok: false, why: "NoMatch" }],
    ["nothing offered", [], undefined, { ok: false, why: "NoMatch" }],
    ["only prereleases offered, empty constraint", ["1.0.0-rc.1"], "", { ok: false, why: "NoMatch" }],
    ["constraint that is no range", OFFERED, "latest-and-greatest!", { ok: false, why: "InvalidConstraint" }],
    ["order of the offer does not matter", ["1.21.1", "1.21.0", "1.21.10", "1.21.9"], "~1.21.0", { ok: true, version: "1.21.10" }],
  ])("%s", (_name, offered, constraint, expected) => {
    expect(pickVersion(offered, constraint)).toEqual(expected);
  });
});
