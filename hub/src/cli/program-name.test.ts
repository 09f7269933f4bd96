import { describe, expect, it } from "vitest";
import { programName } from "./program-name.js";

describe("programName", () => {
  it.each([
    ["/usr/local/bin/flotilla", "flotilla"],
    ["/repo/hub/bin/flotilla.js", "flotilla"],
    [undefined, "flotilla"],
    ["/usr/local/bin/kubectl-flotilla", "kubectl flotilla"],
    ["/home/me/bin/kubectl-flotilla.js", "kubectl flotilla"],
    ["kubectl-flotilla_x", "kubectl flotilla-x"],
  ])("%s → %s", (entry, name) => expect(programName(entry)).toBe(name));
});
