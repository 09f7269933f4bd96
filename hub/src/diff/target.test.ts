import { describe, expect, it } from "vitest";
import type { AddOnRevision, ClusterManagementAddOn, ClusterManagementAddOnSpec } from "@flotilla/shared";
import { revisionContent, revisionName } from "../revision/hash.js";
import { diffTarget } from "./target.js";

const spec = (greeting: string): ClusterManagementAddOnSpec => ({
  installNamespace: "ns", values: { greeting },
  source: { manifests: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" }, data: { g: "{{ .Values.greeting }}" } }] },
});
const rev = (s: ClusterManagementAddOnSpec, n: number): AddOnRevision => ({ metadata: { name: revisionName("a", s) }, spec: { addon: "a", revision: n, ...revisionContent(s) } });
const one = spec("one");
const two = spec("two");
const three = spec("three");
const revisions = [rev(one, 1), rev(two, 2)];
const r1 = revisionName("a", one);
const r2 = revisionName("a", two);
const r3 = revisionName("a", three);
const cma = (s: ClusterManagementAddOnSpec, updateRevision?: string): ClusterManagementAddOn =>
  ({ metadata: { name: "a" }, spec: s, ...(updateRevision ? { status: { updateRevision } } : {}) }) as ClusterManagementAddOn;

describe("diffTarget", () => {
  it.each([
    { name: "the update revision by default", cma: cma(two, r2), wanted: undefined, revision: r2, greeting: "two", describe: "update revision" },
    { name: "the spec's revision when the hub has not named one yet", cma: cma(three), wanted: undefined, revision: r3, greeting: "three", describe: "update revision" },
    { name: "an older revision by number, rendered from its AddOnRevision", cma: cma(two, r2), wanted: "1", revision: r1, greeting: "one", describe: "revision 1" },
    { name: "an older revision by name", cma: cma(two, r2), wanted: r1, revision: r1, greeting: "one", describe: "revision 1" },
    { name: "the spec's own revision by name", cma: cma(two, r2), wanted: r2, revision: r2, greeting: "two", describe: "revision 2" },
  ])("$name", ({ cma, wanted, revision, greeting, describe }) => {
    const t = diffTarget("a", cma, revisions, wanted);
    expect(t).toMatchObject({ revision, describe });
    expect(t.spec.values).toEqual({ greeting });
    expect(revisionName("a", t.spec)).toBe(revision);
  });

  it.each([
    { wanted: "9", error: `revision 9 of a not found (known: 1 (${r1}), 2 (${r2}))` },
    { wanted: "a-0000000000", error: `revision a-0000000000 of a not found (known: 1 (${r1}), 2 (${r2}))` },
  ])("names what is missing: --revision $wanted", ({ wanted, error }) => {
    expect(() => diffTarget("a", cma(two, r2), revisions, wanted)).toThrow(error);
  });
});
