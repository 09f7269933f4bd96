/** The CMA condition `ConfigCRDReady` from what the config controller found (pure). */
import { findCondition, type Condition, type ConditionInput } from "@flotilla/shared";
import { CONFIG_CRD_READY_CONDITION } from "../../api/names.js";
import type { Rejection, VersionChange, Widening } from "../../configcrd/index.js";

export type ConfigOutcome =
  | { kind: "Generated"; crdName: string; kindName: string; versions: readonly string[]; newest: string; change: VersionChange; widened: readonly Widening[] }
  | { kind: "SchemaRejected"; rejection: Rejection }
  | { kind: "NoSchema" }
  | { kind: "TooLarge"; bytes: number; limit: number }
  | { kind: "InvalidName"; message: string }
  | { kind: "Refused"; message: string };

/** Room for the widened list; condition messages are bounded by the CMA CRD (32 KiB). */
const MAX_MESSAGE = 8_000;

export function configCrdCondition(o: ConfigOutcome): Omit<ConditionInput, "observedGeneration"> {
  const type = CONFIG_CRD_READY_CONDITION;
  switch (o.kind) {
    case "Generated": {
      const head = `${o.kindName} (${o.crdName}) serves ${o.versions.join(", ")}; new objects are stored as ${o.newest}.`;
      const widened = o.widened.length
        ? ` Widened (the CRD accepts more there; the hub still checks the full valuesSchema): ${o.widened.map((w) => `${w.path} (${w.construct})`).join(", ")}`
        : " Nothing widened: the CRD checks the whole valuesSchema.";
      return { type, status: "True", reason: "Generated", message: bounded(head + widened) };
    }
    case "SchemaRejected":
      return { type, status: "False", reason: "SchemaRejected", message: bounded(`${o.rejection.reason}: ${o.rejection.message}`) };
    case "NoSchema":
      return { type, status: "False", reason: "NoValuesSchema", message: "spec.configCRD.generate needs spec.valuesSchema" };
    case "TooLarge":
      return { type, status: "False", reason: "CRDTooLarge", message: `the CRD with every served version would take ${o.bytes} bytes, more than the ${o.limit} allowed (etcd keeps objects under 1.5 MiB); the CRD was left as it is` };
    case "InvalidName":
      return { type, status: "False", reason: "InvalidName", message: o.message };
    case "Refused":
      return { type, status: "False", reason: "CRDRefused", message: bounded(`the API server refused the generated CRD: ${o.message}`) };
  }
}

function bounded(m: string): string {
  return m.length <= MAX_MESSAGE ? m : `${m.slice(0, MAX_MESSAGE - 20)}… (truncated)`;
}

/** The condition to apply, or undefined when the CMA already says so (the transition time kept). */
export function nextCondition(current: readonly Condition[] | undefined, want: Omit<ConditionInput, "observedGeneration">, generation: number | undefined, now: Date): Condition | undefined {
  const prev = findCondition(current, want.type);
  const g = generation !== undefined ? { observedGeneration: generation } : {};
  if (prev && prev.status === want.status && prev.reason === want.reason && prev.message === want.message && prev.observedGeneration === g.observedGeneration) return undefined;
  const lastTransitionTime = prev && prev.status === want.status ? prev.lastTransitionTime : now.toISOString();
  return { ...want, ...g, lastTransitionTime };
}
