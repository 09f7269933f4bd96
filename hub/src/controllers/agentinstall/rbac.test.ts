import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { agentRbac } from "./rbac.js";

const yamlPath = fileURLToPath(new URL("../../../../deploy/rbac/agent.yaml", import.meta.url));

describe("agentRbac", () => {
  it("is deploy/rbac/agent.yaml, object for object, in the default namespace", () => {
    const docs = parseAllDocuments(readFileSync(yamlPath, "utf8")).map((d) => d.toJS() as unknown);
    expect(agentRbac("flotilla-system")).toEqual(docs);
  });

  it("puts every namespaced object and subject in the namespace it is given", () => {
    const objs = agentRbac("edge-agent");
    expect(objs.find((o) => o.kind === "Namespace")?.metadata.name).toBe("edge-agent");
    for (const o of objs.filter((o) => !["Namespace", "ClusterRole", "ClusterRoleBinding"].includes(o.kind))) expect(o.metadata.namespace).toBe("edge-agent");
    for (const o of objs.filter((o) => "subjects" in o)) expect(o.subjects).toEqual([{ kind: "ServiceAccount", name: "flotilla-agent", namespace: "edge-agent" }]);
    expect(JSON.stringify(objs)).not.toContain("flotilla-system");
  });
});
