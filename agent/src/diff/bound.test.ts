import { describe, expect, it } from "vitest";
import type { DiffAction, DiffObject } from "@flotilla/shared";
import { boundObjects, countActions } from "./bound.js";

const obj = (name: string, action: DiffAction, changes = 0): DiffObject => ({
  group: "", version: "v1", kind: "ConfigMap", namespace: "ns", name, action,
  ...(changes ? { changes: Array.from({ length: changes }, (_, i) => ({ path: `data.k${i}`, before: '"aaaaaaaaaa"', after: '"bbbbbbbbbb"' })) } : {}),
});
const bytes = (o: DiffObject) => Buffer.byteLength(JSON.stringify(o)) + 1;

describe("boundObjects", () => {
  const few = [obj("a", "Unchanged"), obj("b", "Change", 2), obj("c", "Create"), obj("d", "Prune")];

  it("keeps everything, in order, when it fits", () => {
    expect(boundObjects(few)).toEqual({ objects: few, omitted: 0, counts: { Create: 1, Change: 1, Unchanged: 1, Prune: 1, Error: 0 } });
  });

  it.each([
    {
      name: "unchanged objects go first when the budget is short",
      budget: bytes(obj("b", "Change", 2)) + bytes(obj("c", "Create")) + bytes(obj("d", "Prune")),
      listed: ["b", "c", "d"], omitted: 1,
    },
    {
      name: "a change too big whole is slimmed to its identity, its changes counted",
      budget: bytes({ ...obj("b", "Change"), changesOmitted: 2 }) + 5,
      listed: ["b"], omitted: 3,
    },
    { name: "nothing fits", budget: 10, listed: [], omitted: 4 },
  ])("$name", ({ budget, listed, omitted }) => {
    const r = boundObjects(few, budget);
    expect(r.objects.map((o) => o.name)).toEqual(listed);
    expect(r.omitted).toBe(omitted);
    expect(r.counts).toEqual(countActions(few));
    expect(r.objects.reduce((n, o) => n + bytes(o), 0)).toBeLessThanOrEqual(budget);
  });

  it("a slimmed change says how many changes it lost", () => {
    const r = boundObjects([obj("b", "Change", 3)], bytes({ ...obj("b", "Change"), changesOmitted: 3 }));
    expect(r.objects).toEqual([{ ...obj("b", "Change"), changesOmitted: 3 }]);
  });

  it("lists at most maxObjects, errors first", () => {
    const r = boundObjects([obj("a", "Unchanged"), obj("b", "Error"), obj("c", "Change", 1)], undefined, 2);
    expect(r.objects.map((o) => o.name)).toEqual(["b", "c"]);
    expect(r.omitted).toBe(1);
  });
});
