import type { JSONSchemaType } from "ajv";
import type { AddonReport, AgentInfo, DesiredBundle, DesiredBundleParts, DesiredIndex, ReportCondition, ResourceStatus } from "./messages.js";
import { MAX_REPORTED_RESOURCES, PROTOCOL_VERSION } from "./messages.js";

const name = { type: "string", pattern: "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$" } as const;
const version = { type: "integer", const: PROTOCOL_VERSION } as const;

export const desiredIndexSchema: JSONSchemaType<DesiredIndex> = {
  type: "object",
  required: ["version", "kind", "cluster", "addons"],
  additionalProperties: false,
  properties: {
    version,
    kind: { type: "string", const: "DesiredIndex" },
    cluster: name,
    addons: {
      type: "object",
      required: [],
      propertyNames: name,
      additionalProperties: {
        type: "object",
        required: ["revision", "digest"],
        additionalProperties: false,
        properties: { revision: { type: "string", minLength: 1 }, digest: { type: "string", minLength: 1 } },
      },
    },
  },
} as unknown as JSONSchemaType<DesiredIndex>;

export const desiredBundleSchema: JSONSchemaType<DesiredBundle> = {
  type: "object",
  required: ["version", "kind", "cluster", "addon", "revision", "installNamespace", "driftPolicy", "objects"],
  additionalProperties: false,
  properties: {
    version,
    kind: { type: "string", const: "DesiredBundle" },
    cluster: name,
    addon: name,
    revision: { type: "string", minLength: 1 },
    installNamespace: { type: "string" },
    driftPolicy: { type: "string", enum: ["Correct", "Report"] },
    objects: {
      type: "array",
      items: {
        type: "object",
        required: ["apiVersion", "kind", "metadata"],
        properties: {
          apiVersion: { type: "string", minLength: 1 },
          kind: { type: "string", minLength: 1 },
          metadata: {
            type: "object",
            required: ["name"],
            properties: { name: { type: "string", minLength: 1 } },
          },
        },
      },
    },
  },
} as unknown as JSONSchemaType<DesiredBundle>;

export const desiredBundlePartsSchema: JSONSchemaType<DesiredBundleParts> = {
  type: "object",
  required: ["version", "kind", "cluster", "addon", "revision", "parts", "digest"],
  additionalProperties: false,
  properties: {
    version,
    kind: { type: "string", const: "DesiredBundleParts" },
    cluster: name,
    addon: name,
    revision: { type: "string", minLength: 1 },
    parts: { type: "integer", minimum: 1, maximum: 1000 },
    digest: { type: "string", minLength: 1 },
  },
};

const conditionSchema: JSONSchemaType<ReportCondition> = {
  type: "object",
  required: ["type", "status", "reason", "message"],
  additionalProperties: false,
  properties: {
    type: { type: "string", minLength: 1, maxLength: 316 },
    status: { type: "string", enum: ["True", "False", "Unknown"] },
    reason: { type: "string", maxLength: 1024 },
    message: { type: "string", maxLength: 32768 },
  },
};
const resourceSchema: JSONSchemaType<ResourceStatus> = {
  type: "object",
  required: ["group", "version", "kind", "name", "ready"],
  additionalProperties: false,
  properties: {
    group: { type: "string" },
    version: { type: "string" },
    kind: { type: "string" },
    namespace: { type: "string", nullable: true },
    name: { type: "string" },
    ready: { type: "boolean" },
    message: { type: "string", nullable: true, maxLength: 4096 },
  },
};

export const addonReportSchema: JSONSchemaType<AddonReport> = {
  type: "object",
  required: ["version", "kind", "cluster", "addon", "revision", "conditions", "resources", "observedAt"],
  additionalProperties: false,
  properties: {
    version,
    kind: { type: "string", const: "AddonReport" },
    cluster: name,
    addon: name,
    revision: { type: "string" },
    appliedRevision: { type: "string", nullable: true },
    conditions: { type: "array", items: conditionSchema, maxItems: 16 },
    resources: { type: "array", items: resourceSchema, maxItems: MAX_REPORTED_RESOURCES },
    observedAt: { type: "string", format: "date-time" },
  },
};

export const agentInfoSchema: JSONSchemaType<AgentInfo> = {
  type: "object",
  required: ["version", "kind", "cluster", "agentVersion", "startedAt", "sentAt", "heartbeatSeconds"],
  additionalProperties: false,
  properties: {
    version,
    kind: { type: "string", const: "AgentInfo" },
    cluster: name,
    agentVersion: { type: "string" },
    kubernetesVersion: { type: "string", nullable: true },
    startedAt: { type: "string", format: "date-time" },
    sentAt: { type: "string", format: "date-time" },
    heartbeatSeconds: { type: "number", exclusiveMinimum: 0 },
  },
};
