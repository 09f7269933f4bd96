import { describe, expect, it } from "vitest";
import { dropNulls, isCrdsFolderSource, parseTemplateOutput, splitManifests, TemplateOutputReader } from "./parse.js";

const cm = (name: string, extra = "") => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}`;
const crd = (name: string) => `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: ${name}\n`;

describe("parseTemplateOutput", () => {
  it("reads each document, drops empty ones, puts crds/ objects first", () => {
    const out = [
      "---\n# Source: c/templates/a.yaml\n" + cm("a"),
      "---\n# Source: c/templates/empty.yaml\n",
      // a crds/ file that starts with its own `---`: the comment heads an empty document
      "---\n# Source: c/crds/x.yaml\n---\n" + crd("xs.example.com"),
      "---\n# Source: c/templates/two.yaml\n" + cm("b") + "---\n" + cm("c"),
    ].join("");
    const r = parseTemplateOutput(out);
    expect(r.ok && r.value.objects.map((o) => o.metadata.name)).toEqual(["xs.example.com", "a", "b", "c"]);
    expect(r.ok && r.value.crds).toBe(1);
    expect(r.ok && r.value.hooks).toBe(0);
  });

  it("keeps hook annotations as rendered and counts hooks", () => {
    const hook = cm("h", '  annotations:\n    "helm.sh/hook": post-install\n    helm.sh/hook-weight: "-5"\n    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded\n');
    const r = parseTemplateOutput(`---\n# Source: c/templates/h.yaml\n${hook}`);
    expect(r.ok && r.value.hooks).toBe(1);
    expect(r.ok && r.value.objects[0]?.metadata.annotations).toEqual({
      "helm.sh/hook": "post-install", "helm.sh/hook-weight": "-5", "helm.sh/hook-delete-policy": "before-hook-creation,hook-succeeded",
    });
  });

  it("reads YAML as the API server does: 0644 is octal, yes is true, dates stay strings", () => {
    const r = parseTemplateOutput(`---\n# Source: c/templates/a.yaml\n${cm("a", "data:\n  mode: 0644\n  flag: yes\n  day: 2026-11-01\n")}`);
    expect(r.ok && r.value.objects[0]).toMatchObject({ data: { mode: 420, flag: true, day: "2026-11-01" } });
  });

  it.each([
    ["a list", "---\n# Source: c/templates/list.yaml\n- a\n- b\n", "# Source: c/templates/list.yaml: a document is not an object (a list)"],
    ["a scalar", "---\n# Source: c/templates/s.yaml\nhello\n", "# Source: c/templates/s.yaml: a document is not an object (string)"],
    ["no kind", "---\n# Source: c/templates/k.yaml\napiVersion: v1\nmetadata:\n  name: x\n", "# Source: c/templates/k.yaml: a document has no kind"],
    ["no apiVersion", "---\n# Source: c/templates/v.yaml\nkind: A\nmetadata:\n  name: x\n", "# Source: c/templates/v.yaml: a document has no apiVersion"],
    ["no name", "---\n# Source: c/templates/n.yaml\napiVersion: v1\nkind: A\nmetadata: {}\n", "# Source: c/templates/n.yaml: a document (A) has no metadata.name"],
    ["the second part of a file", `---\n# Source: c/templates/two.yaml\n${cm("a")}---\n- x\n`, "# Source: c/templates/two.yaml: a document is not an object (a list)"],
  ])("refuses %s, naming the template file", (_name, out, message) => {
    expect(parseTemplateOutput(out)).toEqual({ ok: false, message });
  });

  it("refuses broken YAML naming the template file", () => {
    const r = parseTemplateOutput("---\n# Source: c/templates/bad.yaml\na: [1\n");
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/^# Source: c\/templates\/bad\.yaml: /);
  });

  it("expands a List into its items, as helm's install does", () => {
    const list = "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: one\n  - apiVersion: v1\n    kind: Secret\n    metadata:\n      name: two\n";
    const r = parseTemplateOutput(`---\n# Source: c/templates/list.yaml\n${list}---\n# Source: c/templates/empty-list.yaml\napiVersion: v1\nkind: List\nitems: []\n`);
    expect(r.ok && r.value.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(["ConfigMap/one", "Secret/two"]);
    const bad = parseTemplateOutput("---\n# Source: c/templates/l.yaml\napiVersion: v1\nkind: List\nitems:\n  - kind: A\n");
    expect(bad).toEqual({ ok: false, message: "# Source: c/templates/l.yaml: items[0] of a List has no apiVersion" });
  });

  it("empty output is no objects", () => {
    expect(parseTemplateOutput("")).toEqual({ ok: true, value: { objects: [], crds: 0, hooks: 0 } });
  });
});

describe("isCrdsFolderSource", () => {
  it.each([
    ["c/crds/x.yaml", true],
    ["c/charts/sub/crds/x.yaml", true],
    ["c/templates/crds/x.yaml", false],
    ["c/templates/crd-x.yaml", false],
    ["crds/x.yaml", false],
  ])("%s → %s", (source, want) => {
    expect(isCrdsFolderSource(source)).toBe(want);
  });
});

describe("dropNulls", () => {
  it("drops null fields at any depth and keeps list items", () => {
    expect(dropNulls({ metadata: { name: "a", annotations: null }, spec: { x: [1, null, { y: null, z: 0 }], f: false, s: "" } })).toEqual({
      metadata: { name: "a" },
      spec: { x: [1, null, { z: 0 }], f: false, s: "" },
    });
  });

  it("reads a template's empty block as absent (gatekeeper's `annotations:` with nothing under it)", () => {
    const r = parseTemplateOutput("---\n# Source: c/templates/d.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  annotations:\n");
    expect(r.ok && r.value.objects[0]?.metadata).toEqual({ name: "d" });
  });
});

describe("splitManifests", () => {
  it.each([
    ["helm's separators", "---\n# Source: a\nx: 1\n---\n# Source: b\ny: 2\n", ["# Source: a\nx: 1", "# Source: b\ny: 2\n"]],
    ["a `---` inside a block scalar is indented, not a separator", "---\na: |\n  ---\n  b\n", ["a: |\n  ---\n  b\n"]],
  ])("%s", (_n, text, want) => {
    expect(splitManifests(text)).toEqual(want);
  });

  it("reads nothing but separators as no objects", () => {
    expect(parseTemplateOutput("---\n---\n")).toEqual({ ok: true, value: { objects: [], crds: 0, hooks: 0 } });
  });

  it("gives the same objects a part at a time as the whole output at once", () => {
    const out = ["---\n# Source: c/templates/a.yaml\n" + cm("a"), "---\n# Source: c/crds/x.yaml\n---\n" + crd("xs.example.com"), "---\n# Source: c/templates/two.yaml\n" + cm("b") + "---\n" + cm("c")].join("");
    const reader = new TemplateOutputReader();
    for (const part of splitManifests(out)) expect(reader.read(part)).toBeUndefined();
    const whole = parseTemplateOutput(out);
    expect(whole.ok && whole.value).toEqual(reader.result());
  });
});
