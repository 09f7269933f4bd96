import { describe, expect, it } from "vitest";
import { chooseChromium, CHROMIUM_INSTALL, onPath, type ChromiumWhere } from "./chromium.js";

describe("chooseChromium", () => {
  it.each<[string, ChromiumWhere, ReturnType<typeof chooseChromium>]>([
    ["TEST_ASSET_CHROMIUM first", { fromEnv: "/opt/c", onPath: "/usr/bin/chromium", canInstall: true }, { use: "/opt/c" }],
    ["else chromium on PATH", { fromEnv: undefined, onPath: "/usr/bin/chromium", canInstall: true }, { use: "/usr/bin/chromium" }],
    ["else install as root with apt-get", { fromEnv: undefined, onPath: undefined, canInstall: true }, { install: true }],
  ])("%s", (_n, w, want) => expect(chooseChromium(w)).toEqual(want));

  it("else fails naming the install line", () => {
    const c = chooseChromium({ fromEnv: undefined, onPath: undefined, canInstall: false });
    expect("fail" in c && c.fail).toContain(CHROMIUM_INSTALL);
  });
});

describe("onPath", () => {
  it("finds an executable on PATH, and nothing that is not there", () => {
    expect(onPath("sh", "/nonexistent:/bin:/usr/bin")).toMatch(/\/sh$/);
    expect(onPath("no-such-binary-here", "/bin")).toBeUndefined();
  });
});
