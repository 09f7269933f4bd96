/**
 * The wire shapes of the config-CRD conversion. `StructuralSchema` is apiextensions.k8s.io/v1
 * JSONSchemaProps as JSON (wire keys such as `x-kubernetes-preserve-unknown-fields`), not the
 * @kubernetes/client-node model, whose renamed keys would be dropped on the way out.
 */
export interface StructuralSchema {
  type?: "object" | "array" | "string" | "integer" | "number" | "boolean";
  description?: string;
  nullable?: boolean;
  format?: string;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  required?: string[];
  properties?: Record<string, StructuralSchema>;
  additionalProperties?: StructuralSchema;
  items?: StructuralSchema;
  allOf?: StructuralSchema[];
  anyOf?: StructuralSchema[];
  oneOf?: StructuralSchema[];
  not?: StructuralSchema;
  "x-kubernetes-preserve-unknown-fields"?: true;
  "x-kubernetes-int-or-string"?: true;
  "x-kubernetes-list-type"?: "atomic" | "set" | "map";
  "x-kubernetes-list-map-keys"?: string[];
  "x-kubernetes-validations"?: { rule: string; message?: string; fieldPath?: string; reason?: string }[];
}

/** A place where the CRD accepts more than the JSON Schema does; the hub still checks the full schema. */
export interface Widening {
  /** Where in the values, e.g. `.extraArgs`, `.podLabels.*` (map values), `.volumes[*]` (array items). */
  path: string;
  /** The JSON Schema construct that could not be expressed, e.g. `patternProperties`, `type: [array, object]`. */
  construct: string;
  why: string;
}

export interface Rejection {
  reason: "NotAnObjectSchema" | "Unresolvable" | "Invalid" | "TooLarge";
  message: string;
}

export interface Conversion {
  /** The structural schema of the values; meaningful only when `rejected` is unset. */
  schema: StructuralSchema;
  /** The JSON Schema constructs met and expressed exactly (sorted, unique). */
  kept: string[];
  widened: Widening[];
  rejected?: Rejection;
}
