import type { Static } from "@sinclair/typebox";
import { describe, expect, expectTypeOf, it } from "vitest";
import type * as Api from "../api/types.generated.js";
import { BusCodec } from "./codec.js";
import * as messages from "./messages.js";
import type { AddonReport, AgentInfo, BusMessage, DesiredBundle, DesiredBundleParts, DesiredIndex, ReportCondition } from "./messages.js";

const codec = new BusCodec();
const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

// Each sample is typed by the message type, and the codec validates it with the message schema: a
// field the type has and the schema refuses (or the other way round) fails here or in typecheck.
const samples: BusMessage[] = [
  { version: 1, kind: "DesiredIndex", cluster: "c1", addons: { metrics: { revision: "metrics-0123456789", digest: "ab" } } },
  {
    version: 1, kind: "DesiredBundle", cluster: "c1", addon: "metrics", revision: "metrics-0123456789",
    installNamespace: "ns", driftPolicy: "Correct",
    objects: [
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", namespace: "ns", labels: { a: "b" }, annotations: { c: "d" }, uid: "ignored" }, data: { k: "v" } },
    ],
    healthChecks: [
      { kind: "ConfigMap", name: "x", cel: [{ expression: 'object.data.k == "v"', message: "waiting for k" }] },
      { group: "apps", kind: "Deployment", namespace: "ns", conditions: [{ type: "Available", status: "True" }], fields: [{ path: "status.phase", value: "Running" }] },
    ],
  },
  { version: 1, kind: "DesiredBundleParts", cluster: "c1", addon: "metrics", revision: "metrics-0123456789", parts: 2, digest: "ab" },
  {
    version: 1, kind: "AddonReport", cluster: "c1", addon: "metrics", revision: "metrics-0123456789", appliedRevision: "metrics-0123456789",
    conditions: [{ type: "Applied", status: "True", reason: "Applied", message: "" }],
    resources: [{ group: "", version: "v1", kind: "ConfigMap", namespace: "ns", name: "x", ready: false, message: "not yet" }],
    observedAt: "2026-01-01T00:00:00.000Z",
  },
  {
    version: 1, kind: "AgentInfo", cluster: "c1", agentVersion: "0.1.0", kubernetesVersion: "v1.35.0",
    startedAt: "2026-01-01T00:00:00.000Z", sentAt: "2026-01-01T00:00:10.000Z", heartbeatSeconds: 10,
  },
];

describe("bus messages", () => {
  it.each(samples.map((s) => [s.kind, s] as const))("%s: a typed sample passes its schema", (kind, sample) => {
    expect(codec.decode(codec.encode(sample), kind)).toEqual({ ok: true, value: sample });
  });

  const bundle = samples[1] as DesiredBundle;
  const report = samples[3] as AddonReport;
  it.each([
    ["a bundle object whose namespace is not a string", { ...bundle, objects: [{ ...bundle.objects[0], metadata: { name: "x", namespace: 1 } }] }, "DesiredBundle/objects/0/metadata/namespace"],
    ["a bundle object with a non-string label", { ...bundle, objects: [{ ...bundle.objects[0], metadata: { name: "x", labels: { a: 1 } } }] }, "DesiredBundle/objects/0/metadata/labels/a"],
    ["a bundle object without a name", { ...bundle, objects: [{ apiVersion: "v1", kind: "ConfigMap", metadata: {} }] }, "DesiredBundle/objects/0/metadata"],
    ["a health check of a kind of rule the agent does not know", { ...bundle, healthChecks: [{ kind: "ConfigMap", rego: "allow" }] }, "DesiredBundle/healthChecks/0"],
    ["a CEL rule without an expression", { ...bundle, healthChecks: [{ kind: "ConfigMap", cel: [{ message: "m" }] }] }, "DesiredBundle/healthChecks/0/cel/0"],
    ["an unknown drift policy", { ...bundle, driftPolicy: "Ignore" }, "DesiredBundle/driftPolicy: must be equal to one of the allowed values"],
    ["an index entry under a name with a dot", { ...samples[0], addons: { "a.b": { revision: "r", digest: "d" } } }, "DesiredIndex/addons"],
    ["an index entry with an extra field", { ...samples[0], addons: { a: { revision: "r", digest: "d", x: 1 } } }, "DesiredIndex/addons/a"],
    ["a report with appliedRevision null (optional means absent)", { ...report, appliedRevision: null }, "AddonReport/appliedRevision"],
    ["a report resource with an extra field", { ...report, resources: [{ ...report.resources[0], uid: "u" }] }, "AddonReport/resources/0"],
    ["too many report conditions", { ...report, conditions: Array(17).fill(report.conditions[0]) }, "AddonReport/conditions"],
    ["too many report resources", { ...report, resources: Array(messages.MAX_REPORTED_RESOURCES + 1).fill(report.resources[0]) }, "AddonReport/resources"],
    ["a report observed at no date", { ...report, observedAt: "yesterday" }, "AddonReport/observedAt"],
    ["parts out of range", { ...samples[2], parts: 0 }, "DesiredBundleParts/parts"],
    ["a zero heartbeat", { ...samples[4], heartbeatSeconds: 0 }, "AgentInfo/heartbeatSeconds"],
  ])("drops %s", (_name, doc, error) => {
    const r = codec.decode(enc(doc), (doc as BusMessage).kind);
    expect(r).toMatchObject({ ok: false, reason: "Invalid" });
    if (!r.ok) expect(r.error).toContain(error);
  });

  it("share the API's names and enums where they carry the same thing", () => {
    expectTypeOf<Static<typeof messages.reportResourceSchema>>().toEqualTypeOf<Api.ResourceStatus>();
    expectTypeOf<Static<typeof messages.healthCheckSchema>>().toEqualTypeOf<Api.HealthCheck>();
    expectTypeOf<Static<typeof messages.addonPermissionSchema>>().toEqualTypeOf<Api.AddonPermission>();
    expectTypeOf<AddonReport["resources"][number]>().toEqualTypeOf<Api.ResourceStatus>();
    expectTypeOf<ReportCondition["status"]>().toEqualTypeOf<Api.ConditionStatus>();
    expectTypeOf<DesiredBundle["driftPolicy"]>().toEqualTypeOf<Api.DriftPolicy>();
    expectTypeOf<DesiredIndex["version"]>().toEqualTypeOf<typeof messages.PROTOCOL_VERSION>();
    expectTypeOf<DesiredBundleParts["kind"] | AgentInfo["kind"]>().toEqualTypeOf<"DesiredBundleParts" | "AgentInfo">();
  });

  it("keep their wire schemas (a change here is a protocol change: bump PROTOCOL_VERSION or stay compatible)", async () => {
    const schemas = Object.fromEntries(Object.entries(messages).filter(([k]) => k.endsWith("Schema")).sort(([a], [b]) => a.localeCompare(b)));
    await expect(JSON.stringify(schemas, null, 2) + "\n").toMatchFileSnapshot("./__snapshots__/schemas.json");
  });
});
