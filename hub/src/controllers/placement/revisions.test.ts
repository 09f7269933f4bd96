import { describe, expect, it } from "vitest";
import { createLogger, type KubeClients } from "@flotilla/shared";
import type { AddOnRevision, ClusterManagementAddOn } from "../../api/types.js";
import { planRevisions, RevisionRecorder, revisionsToPrune } from "./revisions.js";

const revs = [1, 2, 3, 4, 5].map((n) => ({ name: `a-${n}`, revision: n }));

describe("revisionsToPrune", () => {
  it.each<[string, string[], number, string[]]>([
    ["within the limit", ["a-5"], 10, []],
    ["oldest beyond the limit go", ["a-5"], 2, ["a-2", "a-1"]],
    ["current and update are never pruned", ["a-5", "a-1"], 1, ["a-3", "a-2"]],
    ["limit 0 keeps only current and update", ["a-5", "a-4"], 0, ["a-3", "a-2", "a-1"]],
  ])("%s", (_n, keep, limit, want) => {
    expect(revisionsToPrune(revs, new Set(keep), limit)).toEqual(want);
  });
});

describe("planRevisions", () => {
  it.each<[string, { name: string; revision: number }[], string, string[], number, ReturnType<typeof planRevisions>]>([
    ["a new revision is numbered after the highest", revs, "a-6", ["a-5"], 10, { create: 6, prune: [] }],
    ["the first revision is 1", [], "a-1", [], 10, { create: 1, prune: [] }],
    ["recording one makes room by pruning the oldest", revs, "a-6", ["a-5"], 3, { create: 6, prune: ["a-1"] }],
    ["already recorded: only pruning", revs, "a-5", ["a-4"], 2, { prune: ["a-1"] }],
    ["one whose delete failed is still listed, so it is planned again", revs.slice(0, 2).concat(revs.slice(4)), "a-5", ["a-5"], 0, { prune: ["a-2", "a-1"] }],
    ["a revision a cluster is still held on is kept", revs, "a-6", ["a-5", "a-1"], 2, { create: 6, prune: ["a-2"] }],
  ])("%s", (_n, listed, name, keep, limit, want) => {
    expect(planRevisions(listed, name, keep, limit)).toEqual(want);
  });
});

/** AddOnRevisions in memory; deletes fail while `failDeletes` is set (an API server error). */
function fakeRevisionApi(names: string[]) {
  const items = new Map(names.map((n, i) => [n, { metadata: { name: n }, spec: { revision: i + 1 } } as unknown as AddOnRevision]));
  const api = {
    failDeletes: false,
    items,
    custom: {
      listClusterCustomObject: async () => ({ items: [...items.values()] }),
      createClusterCustomObject: async ({ body }: { body: AddOnRevision }) => void items.set(body.metadata!.name!, body),
      deleteClusterCustomObject: async ({ name }: { name: string }) => {
        if (api.failDeletes) throw Object.assign(new Error("etcdserver: request timed out"), { code: 500 });
        if (!items.delete(name)) throw Object.assign(new Error("not found"), { code: 404 });
      },
    },
  };
  return api;
}

describe("RevisionRecorder", () => {
  const cma = { metadata: { name: "a", uid: "u" }, spec: { revisionHistoryLimit: 1 } } as unknown as ClusterManagementAddOn;

  it("answers false while old revisions cannot be pruned, and prunes them on a later call", async () => {
    const api = fakeRevisionApi(["a-1", "a-2", "a-3"]);
    const recorder = new RevisionRecorder(api as unknown as KubeClients, createLogger({ level: "silent" }));
    api.failDeletes = true;
    expect(await recorder.ensure(cma, cma.spec, "a-4", ["a-3"])).toBe(false);
    expect([...api.items.keys()].sort()).toEqual(["a-1", "a-2", "a-3", "a-4"]);
    api.failDeletes = false;
    expect(await recorder.ensure(cma, cma.spec, "a-4", ["a-3"])).toBe(true);
    expect([...api.items.keys()].sort()).toEqual(["a-2", "a-3", "a-4"]);
  });
});
