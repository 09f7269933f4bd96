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

/** Largest message accepted from the bus (NATS max_payload default is 1 MiB). */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

export type DecodeResult<T> = { ok: true; value: T } | { ok: false; reason: "TooLarge" | "NotJSON" | "Invalid"; error: string };

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
  private readonly decoder = new TextDecoder("utf-8", { fatal: true });

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

  /** Decodes bytes expected to hold one of `kinds`; never throws. */
  decode<K extends CodecKind>(data: Uint8Array, ...kinds: K[]): DecodeResult<MessageOf<K>> {
    if (data.byteLength > MAX_MESSAGE_BYTES) {
      return { ok: false, reason: "TooLarge", error: `message of ${data.byteLength} bytes exceeds ${MAX_MESSAGE_BYTES}` };
    }
    let doc: unknown;
    try {
      doc = JSON.parse(this.decoder.decode(data));
    } catch (err) {
      return { ok: false, reason: "NotJSON", error: (err as Error).message };
    }
    const kind = (doc as { kind?: unknown } | null)?.kind;
    const k = kinds.find((x) => x === kind);
    if (k === undefined) {
      return { ok: false, reason: "Invalid", error: `kind ${JSON.stringify(kind)} is not one of ${kinds.join(", ")}` };
    }
    const validate = this.validators[k];
    if (!validate(doc)) {
      const e = validate.errors?.[0];
      return { ok: false, reason: "Invalid", error: `${k}${e?.instancePath ?? ""}: ${e?.message ?? "invalid"}` };
    }
    return { ok: true, value: doc as MessageOf<K> };
  }
}
