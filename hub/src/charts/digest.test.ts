import { describe, expect, it } from "vitest";
import { normalizeDigest, sha256Digest } from "./digest.js";

describe("digests", () => {
  it("sha256 of bytes", () => {
    expect(sha256Digest(new TextEncoder().encode("abc"))).toBe("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it.each<[string, string | undefined]>([
    ["A".repeat(64), `sha256:${"a".repeat(64)}`],
    [`sha256:${"0".repeat(64)}`, `sha256:${"0".repeat(64)}`],
    [` sha256:${"f".repeat(64)} `, `sha256:${"f".repeat(64)}`],
    [`sha512:${"0".repeat(64)}`, undefined],
    ["abc", undefined],
  ])("normalizeDigest(%s)", (value, expected) => {
    expect(normalizeDigest(value)).toBe(expected);
  });
});
