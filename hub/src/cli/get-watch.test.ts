import { describe, expect, it } from "vitest";
import type { Column } from "./get-columns.js";
import { WatchTable } from "./get-watch.js";

interface Obj { name: string; phase: string; seen: number }
const columns: Column<Obj>[] = [
  { header: "name", cell: (o) => o.name },
  { header: "phase", cell: (o) => o.phase },
  { header: "age", cell: (o, now) => `${now.getTime() - o.seen}ms`, clock: true },
];
const now = new Date(1000);
const table = () => new WatchTable<Obj>(columns, (o) => o.name);

describe("WatchTable", () => {
  it("prints the table at the start, aligned over every row", () => {
    expect(table().start([{ name: "a", phase: "Progressing", seen: 0 }, { name: "bbbbbbb", phase: "Ok", seen: 0 }], now)).toEqual([
      "NAME      PHASE         AGE",
      "a         Progressing   1000ms",
      "bbbbbbb   Ok            1000ms",
    ]);
  });

  it("prints nothing for an empty start; the header comes with the first row", () => {
    const t = table();
    expect(t.start([], now)).toEqual([]);
    expect(t.event("add", { name: "a", phase: "P", seen: 0 }, now)).toEqual(["NAME   PHASE   AGE", "a      P       1000ms"]);
  });

  it.each([
    ["a change the row shows", "update", { name: "a", phase: "Succeeded", seen: 0 }, ["a      Succeeded   1000ms"]],
    ["an update that changes nothing shown", "update", { name: "a", phase: "P", seen: 0 }, []],
    ["only the clock moving", "update", { name: "a", phase: "P", seen: 500 }, []],
    ["a new object", "add", { name: "b", phase: "P", seen: 0 }, ["b      P       1000ms"]],
    ["a deletion: the last row", "delete", { name: "a", phase: "P", seen: 0 }, ["a      P       1000ms"]],
    ["the deletion of an object never printed", "delete", { name: "zz", phase: "P", seen: 0 }, []],
  ] as const)("after the start, %s prints %j", (_what, type, obj, want) => {
    const t = table();
    t.start([{ name: "a", phase: "P", seen: 0 }], now);
    expect(t.event(type, obj, now)).toEqual(want);
  });

  it("prints an object again after it was deleted and came back", () => {
    const t = table();
    const a = { name: "a", phase: "P", seen: 0 };
    t.start([a], now);
    t.event("delete", a, now);
    expect(t.event("add", a, now)).toEqual(["a      P       1000ms"]);
  });
});
