import { describe, expect, it } from "vitest";
import type { DiffResult } from "@flotilla/shared";
import { exitCode, formatDiff, type DiffHeader } from "./format.js";

const header: DiffHeader = { cluster: "cluster-1", addon: "demo", revision: "demo-81be330c2d", describe: "update revision", source: "rendered" };
const none = { Create: 0, Change: 0, Unchanged: 0, Prune: 0, Error: 0 };
const result = (r: Partial<DiffResult>): DiffResult => ({
  version: 1, kind: "DiffResult", cluster: "cluster-1", addon: "demo", revision: "demo-81be330c2d", appliedRevision: "demo-5c9f1e07aa", counts: none, objects: [], ...r,
});

describe("formatDiff and exitCode", () => {
  it.each([
    {
      name: "nothing differs",
      r: result({ counts: { ...none, Unchanged: 2 }, objects: [{ group: "", version: "v1", kind: "ConfigMap", namespace: "ns", name: "c", action: "Unchanged" }] }),
      text: "demo on cluster-1: update revision demo-81be330c2d (rendered for the cluster; applied there: demo-5c9f1e07aa)\nno differences (2 unchanged)\n",
      code: 0,
    },
    {
      name: "a change, a creation with a note, a prune",
      r: result({
        counts: { ...none, Change: 1, Create: 1, Prune: 1, Unchanged: 1 },
        objects: [
          { group: "", version: "v1", kind: "ConfigMap", namespace: "ns", name: "c", action: "Change", changes: [{ path: "data.greeting", before: '"hello"', after: '"hi"' }, { path: "data.old", before: '"x"' }, { path: "data.new", after: "1" }], changesOmitted: 2 },
          { group: "apps", version: "v1", kind: "Deployment", namespace: "ns", name: "d", action: "Create", message: "namespace ns is created by this revision: not checked by the server" },
          { group: "", version: "v1", kind: "Namespace", name: "ns", action: "Unchanged" },
          { group: "", version: "v1", kind: "Service", namespace: "ns", name: "old", action: "Prune" },
        ],
      }),
      text: [
        "demo on cluster-1: update revision demo-81be330c2d (rendered for the cluster; applied there: demo-5c9f1e07aa)",
        "~ ConfigMap ns/c",
        '    data.greeting: "hello" → "hi"',
        '    data.old: "x" → (removed)',
        "    data.new: (none) → 1",
        "    … and 2 more changed field(s)",
        "+ Deployment.apps ns/d  (namespace ns is created by this revision: not checked by the server)",
        "- Service ns/old  (pruned)",
        "1 to change, 1 to create, 1 to prune, 1 unchanged",
        "",
      ].join("\n"),
      code: 1,
    },
    {
      name: "an object refused, others left out of a bounded answer",
      r: result({ appliedRevision: undefined, counts: { ...none, Error: 1, Create: 3 }, omitted: 2, objects: [
        { group: "", version: "v1", kind: "ConfigMap", namespace: "ns", name: "c", action: "Create" },
        { group: "example.com", version: "v1", kind: "Widget", name: "w", action: "Error", message: "Widget w: spec.size: Invalid value" },
      ] }),
      text: [
        "demo on cluster-1: update revision demo-81be330c2d (rendered for the cluster; nothing applied there yet)",
        "+ ConfigMap ns/c",
        "! Widget.example.com w: Widget w: spec.size: Invalid value",
        "… 2 more object(s) not listed (the answer is bounded); see the counts below",
        "0 to change, 3 to create, 0 to prune, 0 unchanged, 1 refused",
        "",
      ].join("\n"),
      code: 2,
    },
  ])("$name", ({ r, text, code }) => {
    expect(formatDiff(header, r)).toBe(text);
    expect(exitCode(r)).toBe(code);
  });

  it("an agent that could not diff is an error", () => {
    expect(exitCode(result({ error: { code: "Retryable", message: "spoke unreachable" } }))).toBe(2);
  });

  it("says when the published bundle is the one compared and already applied", () => {
    expect(formatDiff({ ...header, source: "published", describe: "revision 2" }, result({ appliedRevision: header.revision })).split("\n")[0])
      .toBe("demo on cluster-1: revision 2 demo-81be330c2d (as published for the cluster; applied there now)");
  });
});
