/**
 * Versioned JSON documents carried on the bus (DESIGN §5), each defined once: a TypeBox schema is the
 * JSON Schema that receivers validate with (see codec.ts), and `Static<typeof schema>` is its type.
 * Every document has `version` and `kind`; receivers drop what does not match.
 */
import { Type, type ObjectOptions, type Static, type TObject, type TProperties } from "@sinclair/typebox";
import { DNS1123_LABEL } from "../api/constants.js";

export const PROTOCOL_VERSION = 1 as const;
/** Most resources listed in one report (the MCA status keeps the list bounded too). */
export const MAX_REPORTED_RESOURCES = 100;

/** A string enum as JSON Schema `enum` (one clear error message), typed as the union of its values. */
const stringEnum = <const T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ type: "string", enum: [...values] });

/**
 * An object that lets fields other than `properties` through, typed with an index signature to match
 * (TypeBox types `additionalProperties` no further than the listed properties).
 */
const openObject = <T extends TProperties>(properties: T, options?: ObjectOptions) =>
  Type.Unsafe<Static<TObject<T>> & { [k: string]: unknown }>(Type.Object(properties, { ...options, additionalProperties: true }));

/** Cluster and addon names: DNS-1123 labels without dots, so each is one subject token. */
const name = Type.String({ pattern: DNS1123_LABEL.source });
const version = Type.Literal(PROTOCOL_VERSION);
const revision = Type.String({ minLength: 1 });

// ---------------------------------------------------------------------------------------------------
// flotilla_desired

export const desiredIndexEntrySchema = Type.Object(
  {
    revision,
    /** sha256 of the serialized bundle, so an agent can tell a change without fetching it. */
    digest: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);
export type DesiredIndexEntry = Static<typeof desiredIndexEntrySchema>;

/** `flotilla_desired` key `<cluster>`: which addons the cluster should have, at which revision. */
export const desiredIndexSchema = Type.Object(
  {
    version,
    kind: Type.Literal("DesiredIndex"),
    cluster: name,
    addons: Type.Record(name, desiredIndexEntrySchema, { additionalProperties: false }),
  },
  { additionalProperties: false },
);
export type DesiredIndex = Static<typeof desiredIndexSchema>;

/** A rendered Kubernetes object: only what the agent relies on is checked, everything else passes. */
export const kubeObjectSchema = openObject({
  apiVersion: Type.String({ minLength: 1 }),
  kind: Type.String({ minLength: 1 }),
  metadata: openObject({
    name: Type.String({ minLength: 1 }),
    namespace: Type.Optional(Type.String()),
    labels: Type.Optional(Type.Record(Type.String(), Type.String())),
    annotations: Type.Optional(Type.Record(Type.String(), Type.String())),
  }),
});
export type KubeObject = Static<typeof kubeObjectSchema>;

/**
 * One of the addon's readiness rules (CMA `spec.healthChecks[]`, whose type it is: messages.test.ts
 * checks they agree). Closed, so an agent never silently skips a kind of rule it does not know.
 */
export const healthCheckSchema = Type.Object(
  {
    group: Type.Optional(Type.String()),
    kind: Type.String({ minLength: 1 }),
    namespace: Type.Optional(Type.String()),
    name: Type.Optional(Type.String()),
    conditions: Type.Optional(
      Type.Array(Type.Object({ type: Type.String({ minLength: 1 }), status: Type.Optional(stringEnum(["True", "False", "Unknown"])) }, { additionalProperties: false })),
    ),
    fields: Type.Optional(Type.Array(Type.Object({ path: Type.String({ minLength: 1 }), value: Type.String() }, { additionalProperties: false }))),
    cel: Type.Optional(Type.Array(Type.Object({ expression: Type.String({ minLength: 1 }), message: Type.Optional(Type.String()) }, { additionalProperties: false }))),
  },
  { additionalProperties: false },
);

/**
 * Kinds of one API group an addon may touch on the spoke (CMA `spec.permissions[]`, whose type it is:
 * messages.test.ts checks they agree). The agent turns them into the Roles of the addon's own
 * ServiceAccount, which it impersonates for every request made for the addon.
 */
export const addonPermissionSchema = Type.Object(
  {
    group: Type.Optional(Type.String({ maxLength: 253 })),
    kinds: Type.Array(Type.String({ minLength: 1, maxLength: 63 }), { minItems: 1, maxItems: 64 }),
    namespaces: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 63 }), { maxItems: 64 })),
  },
  { additionalProperties: false },
);

/**
 * `flotilla_desired` key `<cluster>.<addon>`: the rendered bundle. When the serialized bundle is over
 * BUNDLE_PART_BYTES the key holds a `DesiredBundleParts` head instead, and the bundle's JSON bytes are
 * split over `<cluster>.<addon>.part.<n>` keys (n = 0..parts-1).
 */
export const desiredBundleSchema = Type.Object(
  {
    version,
    kind: Type.Literal("DesiredBundle"),
    cluster: name,
    addon: name,
    revision,
    installNamespace: Type.String(),
    driftPolicy: stringEnum(["Correct", "Report"]),
    /**
     * Delete the CRDs this addon applied when it is uninstalled or a revision leaves them out (absent: keep
     * them). Only sent when true, so bundles of addons that do not ask for it stay readable by older agents.
     */
    deleteCRDs: Type.Optional(Type.Boolean()),
    /**
     * Take fields other field managers own on objects the addon does not hold yet (absent: such an object
     * is a Conflict). Only sent when true, like deleteCRDs.
     */
    forceConflicts: Type.Optional(Type.Boolean()),
    /** Rendered Kubernetes objects, in any order; the agent sorts them by kind. Empty when `sealed`. */
    objects: Type.Array(kubeObjectSchema),
    /**
     * The objects sealed for this cluster's agent alone (NaCl box from the hub's curve key `sender` to the
     * encryption key the agent registered): base64 of the sealed JSON array. Neither NATS nor anyone
     * reading the bucket sees the objects, or the secret values in them, in clear.
     */
    sealed: Type.Optional(Type.Object({ sender: Type.String({ pattern: "^X[A-Z2-7]{55}$" }), box: Type.String({ minLength: 1 }) }, { additionalProperties: false })),
    /** The addon's readiness rules; absent when it has none (so older agents still take the bundle). */
    healthChecks: Type.Optional(Type.Array(healthCheckSchema, { maxItems: 32 })),
    /**
     * What the addon may touch (CMA `spec.permissions`); absent when the CMA declares none (the agent then
     * derives them from the objects), so bundles of addons that do not use it keep their digests.
     */
    permissions: Type.Optional(Type.Array(addonPermissionSchema, { maxItems: 64 })),
  },
  { additionalProperties: false },
);
export type DesiredBundle = Static<typeof desiredBundleSchema>;

/** The head of a split bundle, under the bundle's own key. */
export const desiredBundlePartsSchema = Type.Object(
  {
    version,
    kind: Type.Literal("DesiredBundleParts"),
    cluster: name,
    addon: name,
    revision,
    parts: Type.Integer({ minimum: 1, maximum: 1000 }),
    /** sha256 of the whole bundle, as in the index. */
    digest: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);
export type DesiredBundleParts = Static<typeof desiredBundlePartsSchema>;

// ---------------------------------------------------------------------------------------------------
// flotilla_status

export const reportConditionSchema = Type.Object(
  {
    type: Type.String({ minLength: 1, maxLength: 316 }),
    status: stringEnum(["True", "False", "Unknown"]),
    reason: Type.String({ maxLength: 1024 }),
    message: Type.String({ maxLength: 32768 }),
  },
  { additionalProperties: false },
);
export type ReportCondition = Static<typeof reportConditionSchema>;

/** One object in a report; its type is the API's ResourceStatus (messages.test.ts checks they agree). */
export const reportResourceSchema = Type.Object(
  {
    group: Type.String(),
    version: Type.String(),
    kind: Type.String(),
    namespace: Type.Optional(Type.String()),
    name: Type.String(),
    ready: Type.Boolean(),
    message: Type.Optional(Type.String({ maxLength: 4096 })),
  },
  { additionalProperties: false },
);

/** `flotilla_status` key `<cluster>.<addon>`: the agent's report for one addon. */
export const addonReportSchema = Type.Object(
  {
    version,
    kind: Type.Literal("AddonReport"),
    cluster: name,
    addon: name,
    /** The revision the conditions describe (the desired one the agent last worked on). */
    revision: Type.String(),
    /** Last revision applied completely, if any. */
    appliedRevision: Type.Optional(Type.String()),
    conditions: Type.Array(reportConditionSchema, { maxItems: 16 }),
    resources: Type.Array(reportResourceSchema, { maxItems: MAX_REPORTED_RESOURCES }),
    observedAt: Type.String({ format: "date-time" }),
  },
  { additionalProperties: false },
);
export type AddonReport = Static<typeof addonReportSchema>;

/** `flotilla_status` key `<cluster>`: agent info, re-put every heartbeat (presence). */
export const agentInfoSchema = Type.Object(
  {
    version,
    kind: Type.Literal("AgentInfo"),
    cluster: name,
    agentVersion: Type.String(),
    kubernetesVersion: Type.Optional(Type.String()),
    /**
     * The group/versions the spoke API server serves (`v1`, `apps/v1`, …), sorted: what helm's
     * `.Capabilities.APIVersions` answers when the hub renders a chart for this cluster.
     */
    apiVersions: Type.Optional(Type.Array(Type.String({ maxLength: 253 }), { maxItems: 1000 })),
    startedAt: Type.String({ format: "date-time" }),
    sentAt: Type.String({ format: "date-time" }),
    heartbeatSeconds: Type.Number({ exclusiveMinimum: 0 }),
  },
  { additionalProperties: false },
);
export type AgentInfo = Static<typeof agentInfoSchema>;

export type BusMessage = DesiredIndex | DesiredBundle | DesiredBundleParts | AddonReport | AgentInfo;
export type BusMessageKind = BusMessage["kind"];
