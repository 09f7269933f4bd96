import { describe, expect, it } from "vitest";
import { applyOrder, applyPhases, deleteOrder, kindPhase, LAST_PHASE } from "./kind-order.js";

const o = (kind: string, name = "x", namespace?: string) => ({ kind, metadata: { name, ...(namespace ? { namespace } : {}) } });

describe("kindPhase", () => {
  it.each([
    ["Namespace", "CustomResourceDefinition"],
    ["CustomResourceDefinition", "ServiceAccount"],
    ["ServiceAccount", "ConfigMap"],
    ["ClusterRoleBinding", "Secret"],
    ["ConfigMap", "Service"],
    ["Service", "Deployment"],
    ["Deployment", "Certificate"],
    ["Job", "Widget"],
  ])("%s applies before %s", (first, later) => {
    expect(kindPhase(first)).toBeLessThan(kindPhase(later));
  });

  it("puts unknown kinds (custom resources) last", () => {
    expect(kindPhase("Certificate")).toBe(LAST_PHASE);
  });
});

describe("applyOrder", () => {
  it("sorts by phase, then kind, namespace and name", () => {
    const input = [o("Deployment", "b", "ns"), o("Widget", "w"), o("ConfigMap", "c", "ns"), o("Namespace", "ns"), o("Deployment", "a", "ns"), o("CustomResourceDefinition", "widgets.example.com"), o("ServiceAccount", "sa", "ns")];
    expect(applyOrder(input).map((x) => `${x.kind}/${x.metadata.name}`)).toEqual([
      "Namespace/ns",
      "CustomResourceDefinition/widgets.example.com",
      "ServiceAccount/sa",
      "ConfigMap/c",
      "Deployment/a",
      "Deployment/b",
      "Widget/w",
    ]);
  });

  it("does not mutate its input", () => {
    const input = [o("Deployment"), o("Namespace")];
    applyOrder(input);
    expect(input[0]?.kind).toBe("Deployment");
  });

  it("deleteOrder is the reverse", () => {
    const input = [o("Deployment"), o("Namespace"), o("ConfigMap")];
    expect(deleteOrder(input).map((x) => x.kind)).toEqual(["Deployment", "ConfigMap", "Namespace"]);
  });
});

describe("applyPhases", () => {
  it.each([
    { kinds: [], groups: [] },
    { kinds: ["Namespace"], groups: [["Namespace"]] },
    { kinds: ["Deployment", "Namespace", "StatefulSet", "ConfigMap", "Secret"], groups: [["Namespace"], ["ConfigMap", "Secret"], ["Deployment", "StatefulSet"]] },
    { kinds: ["Widget", "Gadget"], groups: [["Gadget", "Widget"]] },
  ])("$kinds → $groups", ({ kinds, groups }) => {
    expect(applyPhases(kinds.map((k) => o(k))).map((g) => g.map((x) => x.kind))).toEqual(groups);
  });
});
