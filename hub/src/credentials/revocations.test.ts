import { describe, expect, it } from "vitest";
import { MAX_CREDENTIALS_TTL_SECONDS, withRevocations } from "./revocations.js";

const NOW = 1_800_000_000;

describe("withRevocations", () => {
  it.each([
    ["adds a key at now", {}, ["UA"], { list: { UA: NOW }, changed: true }],
    ["keeps a key already revoked now", { UA: NOW }, ["UA"], { list: { UA: NOW }, changed: false }],
    ["moves an older revocation of the same key to now", { UA: NOW - 10 }, ["UA"], { list: { UA: NOW }, changed: true }],
    ["keeps others", { UB: NOW - 5 }, ["UA"], { list: { UB: NOW - 5, UA: NOW }, changed: true }],
    ["drops entries no JWT can outlive", { UOLD: NOW - MAX_CREDENTIALS_TTL_SECONDS - 1, UB: NOW - MAX_CREDENTIALS_TTL_SECONDS }, [], { list: { UB: NOW - MAX_CREDENTIALS_TTL_SECONDS }, changed: true }],
    ["nothing to do", { UB: NOW - 5 }, [], { list: { UB: NOW - 5 }, changed: false }],
    ["no list yet", undefined, [], { list: {}, changed: false }],
  ])("%s", (_what, current, keys, expected) => {
    expect(withRevocations(current, keys, NOW)).toEqual(expected);
  });
});
