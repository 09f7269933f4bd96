import type { Static, TSchema } from "@sinclair/typebox";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import {
  addonReportSchema,
  agentInfoSchema,
  desiredBundlePartsSchema,
  desiredBundleSchema,
  desiredIndexSchema,
  type BusMessage,
} from "./messages.js";
import { diffRequestSchema, diffResultSchema, type DiffRequest, type DiffResult } from "./diff.js";
import { registrationRequestSchema, registrationResponseSchema, type RegistrationRequest, type RegistrationResponse } from "./registration.js";
import { clip, parseBoundedJson } from "./bounded-json.js";

/** Largest message accepted from the bus (NATS max_payload default is 1 MiB). */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

/** Why the codec drops a document; each is a label of `flotilla_bus_messages_invalid_total`. */
export const DECODE_REASONS = ["TooLarge", "TooDeep", "NotJSON", "Invalid"] as const;
export type DecodeReason = (typeof DECODE_REASONS)[number];
export type DecodeFailure = { ok: false; reason: DecodeReason; error: string };
export type DecodeResult<T> = { ok: true; value: T } | DecodeFailure;

/** Everything the codec knows: the stored documents, the diff request/reply (diff.ts) and registration. */
type CodecMessage = BusMessage | DiffRequest | DiffResult | RegistrationRequest | RegistrationResponse;
type CodecKind = CodecMessage["kind"];
type MessageOf<K extends CodecKind> = Extract<CodecMessage, { kind: K }>;

// ajv-formats ships CJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => Ajv;

/** A validator typed by the schema it was compiled from. */
const compile = <S extends TSchema>(ajv: Ajv, schema: S): ValidateFunction<Static<S>> => ajv.compile<Static<S>>(schema);

/** Validates bus documents on receipt. One instance per process, built in main and passed down. */
export class BusCodec {
  private readonly validators: { [K in CodecKind]: ValidateFunction<MessageOf<K>> };
  private readonly encoder = new TextEncoder();

  constructor() {
    const ajv = new Ajv({ allErrors: false, strict: false });
    addFormats(ajv);
    this.validators = {
      DesiredIndex: compile(ajv, desiredIndexSchema),
      DesiredBundle: compile(ajv, desiredBundleSchema),
      DesiredBundleParts: compile(ajv, desiredBundlePartsSchema),
      AddonReport: compile(ajv, addonReportSchema),
      AgentInfo: compile(ajv, agentInfoSchema),
      DiffRequest: compile(ajv, diffRequestSchema),
      DiffResult: compile(ajv, diffResultSchema),
      RegistrationRequest: compile(ajv, registrationRequestSchema),
      RegistrationResponse: compile(ajv, registrationResponseSchema),
    };
  }

  encode(message: CodecMessage): Uint8Array {
    return this.encoder.encode(JSON.stringify(message));
  }

  /**
   * Decodes bytes expected to hold one of `kinds`; never throws. Size and depth are checked before
   * JSON.parse (bounded-json.ts); keys such as `__proto__` stay plain own properties (JSON.parse never
   * sets a prototype), and closed schemas refuse them. `maxBytes` is for a reassembled split bundle.
   */
  decode<K extends CodecKind>(data: Uint8Array, ...kinds: K[]): DecodeResult<MessageOf<K>> {
    return this.decodeWithin(MAX_MESSAGE_BYTES, data, ...kinds);
  }

  /** decode() with a size limit of the caller's (a split bundle's parts add up past one message). */
  decodeWithin<K extends CodecKind>(maxBytes: number, data: Uint8Array, ...kinds: K[]): DecodeResult<MessageOf<K>> {
    const parsed = parseBoundedJson(data, { maxBytes });
    if (!parsed.ok) return parsed;
    return this.check(parsed.value, kinds);
  }

  /** Validates a parsed document as one of `kinds`; never throws. */
  check<K extends CodecKind>(doc: unknown, kinds: readonly K[]): DecodeResult<MessageOf<K>> {
    const kind = typeof doc === "object" && doc !== null && Object.hasOwn(doc, "kind") ? (doc as { kind?: unknown }).kind : undefined;
    const k = kinds.find((x) => x === kind);
    if (k === undefined) {
      return { ok: false, reason: "Invalid", error: clip(`kind ${typeof kind === "string" ? JSON.stringify(kind) : typeof kind} is not one of ${kinds.join(", ")}`) };
    }
    const validate = this.validators[k];
    if (!validate(doc)) {
      const e = validate.errors?.[0];
      return { ok: false, reason: "Invalid", error: clip(`${k}${e?.instancePath ?? ""}: ${e?.message ?? "invalid"}`) };
    }
    return { ok: true, value: doc as MessageOf<K> };
  }
}
