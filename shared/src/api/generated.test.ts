import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dumpYaml } from "@kubernetes/client-node";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { resources } from "./constants.js";
import { crdModel } from "./crds.js";
import { agentCrds, crds, hubCrds, type CrdObject } from "./crds.generated.js";
import type * as Api from "./types.generated.js";

interface GenCore {
  CRD_DIR: string;
  TYPES_FILE: string;
  CRDS_FILE: string;
  readInputs(repoRoot: string): { name: string; text: string }[];
  generate(inputs: { name: string; text: string }[]): Record<string, string>;
}

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
// The generator is a plain .mjs script outside src/; import it by path so tsc does not follow it.
const core = (await import(/* @vite-ignore */ pathToFileURL(join(repoRoot, "shared/scripts/gen-api-core.mjs")).href)) as GenCore;
const inputs = core.readInputs(repoRoot);
const parsed = inputs.map((i) => ({ file: i.name, crd: parse(i.text) as CrdYaml }));

interface Schema {
  type?: string;
  description?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
  required?: string[];
  enum?: unknown[];
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-list-type"?: string;
  "x-kubernetes-list-map-keys"?: string[];
  "x-kubernetes-validations"?: { rule: string; message: string }[];
  [k: string]: unknown;
}
interface CrdYaml {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    group: string;
    scope: string;
    names: { kind: string; plural: string; singular: string; shortNames?: string[]; categories?: string[] };
    versions: {
      name: string;
      served: boolean;
      storage: boolean;
      subresources?: { status?: object };
      additionalPrinterColumns?: { name: string; jsonPath: string }[];
      schema: { openAPIV3Schema: Schema };
    }[];
  };
}

const schemaOf = (kind: string): Schema => {
  const c = parsed.find((p) => p.crd.spec.names.kind === kind);
  if (!c) throw new Error(`no CRD for ${kind}`);
  return c.crd.spec.versions[0]!.schema.openAPIV3Schema;
};

/** Every node of a schema with its path, depth first. */
function* walk(s: Schema, path: string): Generator<[string, Schema]> {
  yield [path, s];
  for (const [k, v] of Object.entries(s.properties ?? {})) yield* walk(v, `${path}.${k}`);
  if (s.items) yield* walk(s.items, `${path}[]`);
  if (s.additionalProperties && typeof s.additionalProperties === "object") yield* walk(s.additionalProperties, `${path}.*`);
}

describe("generated API files", () => {
  it("are up to date with crds/*.yaml (run `npm run gen` when this fails)", () => {
    const outputs = core.generate(inputs);
    expect(Object.keys(outputs).sort()).toEqual([core.CRDS_FILE, core.TYPES_FILE].sort());
    for (const [file, text] of Object.entries(outputs)) {
      expect(readFileSync(join(repoRoot, file), "utf8"), `${file} is stale`).toBe(text);
    }
  });

  it("export the CRD objects as parsed from the YAML, split into hub and agent", () => {
    const byKind = Object.fromEntries(parsed.map((p) => [p.crd.spec.names.kind, p.crd]));
    for (const [kind, obj] of Object.entries(crds)) expect(obj).toEqual(byKind[kind]);
    expect(hubCrds.map((c) => c.metadata.name).sort()).toEqual(
      ["managedclusters.cluster.flotilla.dev", "clustermanagementaddons.addon.flotilla.dev", "managedclusteraddons.addon.flotilla.dev", "addonrevisions.addon.flotilla.dev", "imagepolicies.addon.flotilla.dev"].sort(),
    );
    expect(agentCrds.map((c) => c.metadata.name)).toEqual(["appliedaddons.agent.flotilla.dev"]);
  });

  it("the package index exports every generated type by name", () => {
    const generated = [...readFileSync(join(repoRoot, core.TYPES_FILE), "utf8").matchAll(/^export (?:interface|type) (\w+)/gm)].map((m) => m[1]);
    const index = readFileSync(fileURLToPath(new URL("../index.ts", import.meta.url)), "utf8");
    const missing = generated.filter((n) => !new RegExp(`^\\s+${n},$`, "m").test(index));
    expect(missing).toEqual([]);
  });
});

describe("CRDs", () => {
  const expected = {
    ManagedCluster: { ref: resources.managedClusters, shortName: "mcl" },
    ClusterManagementAddOn: { ref: resources.clusterManagementAddOns, shortName: "cma" },
    ManagedClusterAddOn: { ref: resources.managedClusterAddOns, shortName: "mca" },
    AddOnRevision: { ref: resources.addOnRevisions, shortName: "addonrev" },
    AppliedAddOn: { ref: resources.appliedAddOns, shortName: "aao" },
    ImagePolicy: { ref: resources.imagePolicies, shortName: "imgpol" },
  } as const;

  it("are exactly the six kinds of constants.ts", () => {
    expect(parsed.map((p) => p.crd.spec.names.kind).sort()).toEqual(Object.keys(expected).sort());
  });

  describe.each(parsed)("$file", ({ file, crd }) => {
    const want = expected[crd.spec.names.kind as keyof typeof expected];
    const [version] = crd.spec.versions;
    const schema = version!.schema.openAPIV3Schema;

    it("has the names, scope and version of constants.ts", () => {
      expect(crd.apiVersion).toBe("apiextensions.k8s.io/v1");
      expect(crd.kind).toBe("CustomResourceDefinition");
      expect(file).toBe(`crds/${want.ref.group}_${want.ref.plural}.yaml`);
      expect(crd.metadata.name).toBe(`${want.ref.plural}.${want.ref.group}`);
      expect(crd.spec.group).toBe(want.ref.group);
      expect(crd.spec.names.plural).toBe(want.ref.plural);
      expect(crd.spec.scope).toBe(want.ref.namespaced ? "Namespaced" : "Cluster");
      expect(crd.spec.names.shortNames).toEqual([want.shortName]);
      expect(crd.spec.names.categories).toEqual(["flotilla"]);
      expect(crd.spec.versions).toHaveLength(1);
      expect(version).toMatchObject({ name: want.ref.version, served: true, storage: true });
    });

    it("has a status subresource, printer columns with Age, and a spec and status", () => {
      expect(version!.subresources?.status).toEqual({});
      expect(version!.additionalPrinterColumns?.map((c) => c.name)).toContain("Age");
      expect(schema.type).toBe("object");
      expect(schema.properties?.spec?.type).toBe("object");
      expect(schema.properties?.status?.type).toBe("object");
    });

    it("is structural: every node has a type, or is int-or-string or free-form", () => {
      for (const [path, node] of walk(schema, "")) {
        const ok = node.type !== undefined || node["x-kubernetes-int-or-string"] || node["x-kubernetes-preserve-unknown-fields"];
        expect(ok, `${path} has no type`).toBeTruthy();
        if (node.type === "array") expect(node.items, `${path} has no items`).toBeDefined();
        // arrays are bounded so objects stay small and CEL cost is computable
        if (node.type === "array") expect(node.maxItems, `${path} has no maxItems`).toBeTypeOf("number");
      }
    });

    it("documents every field", () => {
      const undocumented = [...walk(schema, "")]
        .filter(([path]) => path !== "" && !path.startsWith(".metadata") && !path.endsWith("[]") && !path.endsWith(".*"))
        .filter(([, node]) => !node.description?.trim())
        .map(([path]) => path);
      expect(undocumented).toEqual([]);
    });

    it("uses the full metav1.Condition schema for status.conditions, as a map keyed by type", () => {
      const conds = schema.properties!.status!.properties!.conditions!;
      expect(conds["x-kubernetes-list-type"]).toBe("map");
      expect(conds["x-kubernetes-list-map-keys"]).toEqual(["type"]);
      expect(conds.items!.required).toEqual(["type", "status", "lastTransitionTime", "reason", "message"]);
      expect(conds.items!.properties!.status!.enum).toEqual(["True", "False", "Unknown"]);
      expect(conds.items!.properties!.lastTransitionTime!.format).toBe("date-time");
    });

    it("restricts metadata.name with a CEL rule whose message names it", () => {
      const rules = schema["x-kubernetes-validations"] ?? [];
      const nameRule = rules.find((r) => r.rule.includes("self.metadata.name"));
      expect(nameRule?.message).toMatch(/^metadata\.name /);
    });
  });

  it("the CMA source rule names spec.source", () => {
    const source = schemaOf("ClusterManagementAddOn").properties!.spec!.properties!.source!;
    expect(source["x-kubernetes-validations"]).toEqual([
      { rule: "has(self.manifests) != has(self.helm)", message: "spec.source: exactly one of manifests or helm must be set" },
    ]);
  });

  it("AppliedAddOn bounds the inventory and keeps group, version, kind, namespace, name and uid", () => {
    const inv = schemaOf("AppliedAddOn").properties!.status!.properties!.inventory!;
    expect(inv.maxItems).toBe(5000);
    expect(Object.keys(inv.items!.properties!)).toEqual(["group", "version", "kind", "namespace", "name", "uid"]);
  });
});

describe("the CMA schema (OpenAPI part; CEL rules need an API server, see test/src/integration)", () => {
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  const validate = ajv.compile(schemaOf("ClusterManagementAddOn"));

  // The example of DESIGN §4, typed by the generated types.
  const designExample: Api.ClusterManagementAddOn = {
    apiVersion: "addon.flotilla.dev/v1alpha1",
    kind: "ClusterManagementAddOn",
    metadata: { name: "metrics-agent" },
    spec: {
      displayName: "Metrics agent",
      installNamespace: "flotilla-metrics",
      source: {
        helm: {
          repoURL: "oci://reg.example.com/charts",
          chart: "metrics-agent",
          version: "~1.4.0",
          credentialsSecretRef: { namespace: "flotilla-system", name: "registry" },
        },
      },
      values: { replicas: 2 },
      valuesSchema: { type: "object", properties: { replicas: { type: "integer" } } },
      installStrategy: {
        type: "Placements",
        placements: [
          {
            name: "prod",
            clusterSelector: { matchLabels: { env: "prod" } },
            values: { logLevel: "warn" },
            rolloutStrategy: {
              type: "Canary",
              rolling: { maxConcurrency: "25%", minSuccessTime: "60s", progressDeadline: "10m", maxFailures: 0 },
              canary: {
                steps: [{ clusters: 1 }, { pause: {} }, { clusters: "50%" }, { pause: { duration: "10m" } }],
                autoRollback: true,
              },
            },
          },
        ],
      },
      dependsOn: ["cert-manager"],
      healthChecks: [{ group: "apps", kind: "Deployment", conditions: [{ type: "Available", status: "True" }] }],
      driftPolicy: "Correct",
      paused: false,
      revisionHistoryLimit: 10,
    },
  };

  it("accepts the DESIGN §4 example", () => {
    expect(validate(designExample), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([
    ["an unknown rollout type", { rolloutStrategy: { type: "Bogus" } }, "/enum"],
    ["a malformed maxConcurrency", { rolloutStrategy: { type: "Rolling", rolling: { maxConcurrency: "25 percent" } } }, "/pattern"],
    ["a zero maxConcurrency", { rolloutStrategy: { type: "Rolling", rolling: { maxConcurrency: 0 } } }, "/minimum"],
    ["a malformed duration", { rolloutStrategy: { type: "Rolling", rolling: { progressDeadline: "ten minutes" } } }, "/pattern"],
    ["a placement name with dots", { name: "a.b" }, "/pattern"],
  ])("rejects %s", (_, patch, keyword) => {
    const placement = { ...designExample.spec.installStrategy!.placements![0]!, ...patch };
    const cma = { ...designExample, spec: { ...designExample.spec, installStrategy: { type: "Placements", placements: [placement] } } };
    expect(validate(cma)).toBe(false);
    expect(validate.errors?.map((e) => e.schemaPath).join(" ")).toContain(keyword);
  });
});

describe("crdModel", () => {
  it.each(Object.entries(crds))("%s survives the trip through @kubernetes/client-node's models", (_, crd: CrdObject) => {
    const model = crdModel(crd);
    // the model holds the renamed key, and serializes it back under the wire name
    expect(model.spec.versions[0]?.schema?.openAPIV3Schema?.x_kubernetes_validations?.length).toBeGreaterThan(0);
    expect(parse(dumpYaml(model))).toEqual(crd);
  });
});
