import { describe, expect, it } from "vitest";
import { decideLease, microTime, observe, releasedRecord, type LeaseRecord, type Observation } from "./decision.js";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const rec = (holder: string, extra: Partial<LeaseRecord> = {}): LeaseRecord => ({
  holderIdentity: holder,
  leaseDurationSeconds: 15,
  acquireTime: microTime(T0 - 60_000),
  renewTime: microTime(T0 - 1000),
  leaseTransitions: 3,
  ...extra,
});
const seen = (record: LeaseRecord, observedAt = T0): Observation => ({ record, observedAt });

describe("decideLease", () => {
  it.each<[string, Observation | undefined, number, string, object]>([
    ["no lease: create it", undefined, T0, "create", { holderIdentity: "me", leaseTransitions: 0 }],
    ["held by me: renew", seen(rec("me")), T0 + 5000, "update", { holderIdentity: "me", leaseTransitions: 3, renewTime: microTime(T0 + 5000), acquireTime: microTime(T0 - 60_000) }],
    ["held by other, fresh: wait", seen(rec("other")), T0 + 14_999, "wait", { holder: "other", expiresAt: T0 + 15_000 }],
    ["held by other, expired by local observation: take over", seen(rec("other")), T0 + 15_000, "update", { holderIdentity: "me", leaseTransitions: 4 }],
    ["released (empty holder): acquire at once", seen(rec("")), T0, "update", { holderIdentity: "me", leaseTransitions: 4 }],
    ["expiry follows the lease's own duration", seen(rec("other", { leaseDurationSeconds: 1 })), T0 + 1000, "update", { holderIdentity: "me" }],
    // The holder's renewTime is ancient, but this process only just saw the record: skew-proof wait.
    ["old renewTime, fresh observation: wait", seen(rec("other", { renewTime: microTime(T0 - 3600_000) })), T0 + 1000, "wait", { holder: "other" }],
  ])("%s", (_n, observed, now, action, fields) => {
    const d = decideLease({ observed, identity: "me", now, leaseDurationSeconds: 15 });
    expect(d.action).toBe(action);
    if (d.action === "wait") expect(d).toMatchObject(fields);
    else expect(d.record).toMatchObject(fields);
  });

  it("reports whether an update acquires or renews", () => {
    const renew = decideLease({ observed: seen(rec("me")), identity: "me", now: T0, leaseDurationSeconds: 15 });
    const take = decideLease({ observed: seen(rec("")), identity: "me", now: T0, leaseDurationSeconds: 15 });
    expect(renew).toMatchObject({ action: "update", acquired: false });
    expect(take).toMatchObject({ action: "update", acquired: true });
  });
});

describe("observe", () => {
  it("keeps the first-seen time while the resourceVersion is unchanged", () => {
    const a = observe(undefined, rec("x"), "1", T0);
    expect(observe(a, rec("x"), "1", T0 + 9000).observedAt).toBe(T0);
    expect(observe(a, rec("x"), "2", T0 + 9000).observedAt).toBe(T0 + 9000);
  });
});

describe("microTime", () => {
  it("has microseconds", () => {
    expect(microTime(Date.parse("2026-01-01T00:00:00.123Z"))).toBe("2026-01-01T00:00:00.123000Z");
  });
});

describe("releasedRecord", () => {
  it("empties the holder and shortens the duration", () => {
    expect(releasedRecord(rec("me"), T0)).toMatchObject({ holderIdentity: "", leaseDurationSeconds: 1, leaseTransitions: 3 });
  });
});
