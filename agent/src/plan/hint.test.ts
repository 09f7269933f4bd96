import { describe, expect, it } from "vitest";
import { parseHint } from "./hint.js";

describe("parseHint", () => {
  it.each([
    ["$KV.flotilla_desired.c1", { kind: "index" }],
    ["$KV.flotilla_desired.c1.web", { kind: "bundle", addon: "web" }],
    ["$KV.flotilla_desired.c1.web.part.3", { kind: "bundle", addon: "web" }],
    ["$KV.flotilla_desired.c2.web", { kind: "foreign" }],
    ["$KV.flotilla_desired.c1.web.other", { kind: "foreign" }],
    ["$KV.flotilla_status.c1.web", { kind: "foreign" }],
    ["$KV.flotilla_desired.c10", { kind: "foreign" }],
  ])("%s", (subject, expected) => {
    expect(parseHint(subject, "c1")).toEqual(expected);
  });
});
