import { describe, expect, it } from "vitest";
import { enqueueEverything } from "./session.js";

describe("enqueueEverything", () => {
  it("enqueues every addon and every cluster, on the API server or only on the bus, once", () => {
    const caches = {
      cmas: { list: () => [{ metadata: { name: "a" } }, { metadata: { name: "b" } }] },
      clusters: { list: () => [{ metadata: { name: "c1" } }, { metadata: { name: "c2" } }] },
    } as unknown as Parameters<typeof enqueueEverything>[0];
    const cmas: string[] = [];
    const clusters: string[] = [];
    enqueueEverything(caches, ["c2", "gone"], { cma: (a) => void cmas.push(a), cluster: (c) => void clusters.push(c), source: () => undefined });
    expect(cmas).toEqual(["a", "b"]);
    expect(clusters).toEqual(["c1", "c2", "gone"]);
  });
});
