import type { KubeObject } from "@flotilla/shared";
import type { ObjectRef } from "../inventory/ref.js";

/** How a hook object stands: still running (undefined), succeeded, or failed with why. */
export type Completion = { ok: true } | { ok: false; message: string };

interface Cond {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

const trueCond = (obj: KubeObject, types: readonly string[]): Cond | undefined => {
  const conds = (obj as { status?: { conditions?: Cond[] } }).status?.conditions;
  return Array.isArray(conds) ? conds.find((c) => c.status === "True" && types.includes(c.type ?? "")) : undefined;
};

const why = (c: { reason?: string | undefined; message?: string | undefined }, fallback: string): string => [c.reason, c.message].filter(Boolean).join(": ") || fallback;

/**
 * When a hook is done, as Helm waits for it (pure): a Job once it is Complete or Failed (also the
 * SuccessCriteriaMet and FailureTarget conditions the Job controller sets first, kstatus-style), a
 * Pod once its phase is Succeeded or Failed, anything else once applied. An object gone while being
 * waited for has failed.
 */
export function hookCompletion(ref: Pick<ObjectRef, "group" | "kind">, obj: KubeObject | undefined): Completion | undefined {
  if (!obj) return { ok: false, message: "deleted before it finished" };
  if (ref.group === "batch" && ref.kind === "Job") {
    const failed = trueCond(obj, ["Failed", "FailureTarget"]);
    if (failed) return { ok: false, message: `Job failed: ${why(failed, "Failed")}` };
    return trueCond(obj, ["Complete", "SuccessCriteriaMet"]) ? { ok: true } : undefined;
  }
  if (ref.group === "" && ref.kind === "Pod") {
    const status = (obj as { status?: { phase?: string; reason?: string; message?: string } }).status;
    if (status?.phase === "Succeeded") return { ok: true };
    if (status?.phase === "Failed") return { ok: false, message: `Pod failed: ${why(status, "Failed")}` };
    return undefined;
  }
  return { ok: true };
}
