import type { Clock } from "@flotilla/shared";
import type { RawObjectApi } from "../apply/object-api.js";
import { subjectOf, type Subject } from "./names.js";
import type { AccessCheck } from "./plan.js";

interface ReviewAnswer {
  status?: { allowed?: boolean; userInfo?: { username?: string } };
}

/** Who the agent is, as the API server sees it (SelfSubjectReview, which every authenticated user may create). */
export async function whoAmI(api: Pick<RawObjectApi, "post">): Promise<Subject> {
  const r = await api.post<ReviewAnswer>({ apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" });
  const username = r.status?.userInfo?.username;
  if (!username) throw new Error("SelfSubjectReview answered without a user name");
  return subjectOf(username);
}

/**
 * Waits until each check is allowed: the API server authorizes from a cache of RBAC objects that a
 * watch keeps current, so a role just written can still be refused for a moment. Asked as the checked
 * user (SelfSubjectAccessReview through `as(user)`: every authenticated user may create one). Gives
 * up quietly at `timeoutMs`: the apply then says what is refused.
 */
export async function settle(checks: readonly AccessCheck[], o: { self: Pick<RawObjectApi, "post">; as: (user: string) => Pick<RawObjectApi, "post">; clock: Clock; timeoutMs: number; signal?: AbortSignal }): Promise<boolean> {
  const deadline = o.clock.now() + o.timeoutMs;
  for (const c of checks) {
    const api = c.as ? o.as(c.as) : o.self;
    const body = {
      apiVersion: "authorization.k8s.io/v1",
      kind: "SelfSubjectAccessReview",
      spec: { resourceAttributes: { verb: c.verb, group: c.group, resource: c.resource, ...(c.namespace ? { namespace: c.namespace } : {}), ...(c.name ? { name: c.name } : {}) } },
    };
    for (let wait = 20; ; wait = Math.min(wait * 2, 250)) {
      if ((await api.post<ReviewAnswer>(body)).status?.allowed) break;
      if (o.clock.now() >= deadline) return false;
      await o.clock.sleep(wait, o.signal);
    }
  }
  return true;
}
