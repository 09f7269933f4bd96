import type { KubeObject } from "@flotilla/shared";
import type { RawObjectApi } from "../apply/object-api.js";
import { crdKinds } from "../apply/prepare.js";
import { apiVersionOfRef, type ObjectRef } from "../inventory/ref.js";
import { kindKey, type KindInfo } from "./envelope.js";

/**
 * Resource and scope of every kind among `refs`: from the bundle's own CRDs (their kinds may not be
 * served yet), else discovery (cached by the object API). A kind discovery does not know stays out;
 * a failed discovery call rejects (Retryable), so a grant is never planned on a guessed scope.
 */
export async function resolveKinds(api: Pick<RawObjectApi, "resourceOf">, objects: readonly KubeObject[], refs: readonly ObjectRef[]): Promise<Map<string, KindInfo>> {
  const out: Map<string, KindInfo> = crdKinds(objects);
  for (const r of refs) {
    const key = kindKey(r.group, r.kind);
    if (out.has(key)) continue;
    const info = await api.resourceOf(apiVersionOfRef(r), r.kind);
    if (info) out.set(key, { resource: info.plural, namespaced: info.namespaced });
  }
  return out;
}
