import { describe, expect, it } from "vitest";
import type { AddOnRevision } from "@flotilla/shared";
import { historyRows } from "./history.js";

const rev = (n: number, extra: Partial<AddOnRevision> = {}): AddOnRevision => ({
  metadata: { name: `a-${n}`, creationTimestamp: new Date(Date.UTC(2026, 0, 1, 0, n)), ...(extra.metadata ?? {}) },
  spec: { addon: "a", revision: n, source: { manifests: [] } },
  ...(extra.status ? { status: extra.status } : {}),
});

describe("historyRows", () => {
  it("lists revisions oldest first with what became of each and why it was made", () => {
    const revs = [
      rev(3),
      rev(1, { metadata: { name: "a-1", annotations: { "kubernetes.io/change-cause": "first install" } } }),
      rev(2, { status: { conditions: [{ type: "Bad", status: "True", reason: "RolledBack", message: "", lastTransitionTime: "2026-01-01T00:00:00Z" }] } }),
      rev(4),
    ];
    const status = { currentRevision: "a-3", updateRevision: "a-4", rollout: { phase: "Paused" as const } };
    expect(historyRows(revs, status, new Date(Date.UTC(2026, 0, 1, 1, 0)))).toEqual([
      ["1", "a-1", "59m", "", "first install"],
      ["2", "a-2", "58m", "failed", ""],
      ["3", "a-3", "57m", "last good", ""],
      ["4", "a-4", "56m", "rolling out (Paused)", ""],
    ]);
  });

  it("calls the revision both current and update revision current", () => {
    expect(historyRows([rev(1)], { currentRevision: "a-1", updateRevision: "a-1" }, new Date(Date.UTC(2026, 0, 2)))[0]?.[3]).toBe("current");
  });
});
