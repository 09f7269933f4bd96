/**
 * Dry-run diff over the bus (`flotilla diff`): the CLI sends a `DiffRequest` holding the bundle a
 * revision would put on one cluster to that cluster's agent, on `flotilla.diff.<cluster>`, with
 * request/reply; the agent dry-runs it against its spoke and answers a bounded `DiffResult` on the
 * requester's inbox. One subject per cluster, so a per-cluster permission confines it: the agent may
 * subscribe to its own subject only, and publish only replies (NATS `allow_responses`).
 */
import { Type, type Static } from "@sinclair/typebox";
import { DNS1123_LABEL } from "../api/constants.js";
import { desiredBundleSchema, PROTOCOL_VERSION } from "./messages.js";

export const DIFF_SUBJECT_PREFIX = "flotilla.diff";
/** The one subject the agent of `cluster` answers diff requests on. */
export const diffSubject = (cluster: string): string => `${DIFF_SUBJECT_PREFIX}.${cluster}`;

/**
 * Largest DiffRequest sent: the NATS default `max_payload` (1 MiB) less room for headers and the
 * subject. A bundle bigger than this cannot be diffed (the CLI says so and sends nothing).
 */
export const MAX_DIFF_REQUEST_BYTES = 1024 * 1024 - 16 * 1024;
/** Largest DiffResult an agent sends; entries past it keep only their identity and action. */
export const MAX_DIFF_RESULT_BYTES = 512 * 1024;
/** Most changed fields listed per object; the rest are counted in `changesOmitted`. */
export const MAX_DIFF_CHANGES_PER_OBJECT = 50;
/** Longest `before`/`after` (JSON text), longer ones are cut and end in "…". */
export const MAX_DIFF_VALUE_CHARS = 256;
/** Most objects listed in one result; the rest are counted in `omitted`. */
export const MAX_DIFF_OBJECTS = 2000;

const name = Type.String({ pattern: DNS1123_LABEL.source });
const version = Type.Literal(PROTOCOL_VERSION);
const revision = Type.String({ minLength: 1 });
const count = Type.Integer({ minimum: 0 });

/** `flotilla.diff.<cluster>` request: what the revision would apply on that cluster. */
export const diffRequestSchema = Type.Object(
  {
    version,
    kind: Type.Literal("DiffRequest"),
    cluster: name,
    addon: name,
    /** The bundle to compare with the spoke: its cluster, addon and revision match the request's. */
    bundle: desiredBundleSchema,
  },
  { additionalProperties: false },
);
export type DiffRequest = Static<typeof diffRequestSchema>;

export const DIFF_ACTIONS = ["Create", "Change", "Unchanged", "Prune", "Error"] as const;
export type DiffAction = (typeof DIFF_ACTIONS)[number];

/** One changed field: its path (`spec.replicas`, `data.greeting`, `metadata.labels["a/b"]`, `x[0]`) and JSON texts. */
export const diffChangeSchema = Type.Object(
  {
    path: Type.String({ minLength: 1, maxLength: 1024 }),
    /** The live value as JSON text; absent when the revision adds the field. */
    before: Type.Optional(Type.String({ maxLength: MAX_DIFF_VALUE_CHARS + 1 })),
    /** The value after the apply as JSON text; absent when the revision removes the field. */
    after: Type.Optional(Type.String({ maxLength: MAX_DIFF_VALUE_CHARS + 1 })),
  },
  { additionalProperties: false },
);
export type DiffChange = Static<typeof diffChangeSchema>;

export const diffObjectSchema = Type.Object(
  {
    group: Type.String(),
    version: Type.String(),
    kind: Type.String({ minLength: 1 }),
    namespace: Type.Optional(Type.String()),
    name: Type.String({ minLength: 1 }),
    action: Type.Unsafe<DiffAction>({ type: "string", enum: [...DIFF_ACTIONS] }),
    /** `Change` only: the fields that change, at most MAX_DIFF_CHANGES_PER_OBJECT. */
    changes: Type.Optional(Type.Array(diffChangeSchema, { maxItems: MAX_DIFF_CHANGES_PER_OBJECT })),
    /** Changed fields left out of `changes` (over the per-object or per-result bound). */
    changesOmitted: Type.Optional(count),
    /** `Error`: what the spoke API server said; `Create`: why it was not checked by the server, if it was not. */
    message: Type.Optional(Type.String({ maxLength: 4096 })),
  },
  { additionalProperties: false },
);
export type DiffObject = Static<typeof diffObjectSchema>;

export const diffCountsSchema = Type.Object(
  { Create: count, Change: count, Unchanged: count, Prune: count, Error: count },
  { additionalProperties: false },
);
export type DiffCounts = Static<typeof diffCountsSchema>;

/** The agent's answer, on the requester's inbox. */
export const diffResultSchema = Type.Object(
  {
    version,
    kind: Type.Literal("DiffResult"),
    cluster: name,
    addon: name,
    /** The revision compared (the request's). */
    revision,
    /** The revision applied on the cluster now (its AppliedAddOn), if any. */
    appliedRevision: Type.Optional(Type.String()),
    /** Every object, counted by action, whether listed or not. */
    counts: diffCountsSchema,
    /** In apply order, then the pruned ones in delete order. */
    objects: Type.Array(diffObjectSchema, { maxItems: MAX_DIFF_OBJECTS }),
    /** Objects left out of `objects` to keep the answer bounded. */
    omitted: Type.Optional(count),
    /** The diff could not be made at all (spoke unreachable, request refused); `objects` is empty. */
    error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String({ maxLength: 4096 }) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type DiffResult = Static<typeof diffResultSchema>;
