import type { IncomingMessage, ServerResponse } from "node:http";
import type { CustomObjectsApi } from "@kubernetes/client-node";
import { ADDON_NAME_LABEL, classifyKubeError, FlotillaError, resources } from "@flotilla/shared";
import * as ops from "../operations/rollout.js";
import type { FleetCache } from "./cache.js";
import { optionalPositiveInt, readJson, sendJson } from "./http.js";
import { revisionRow } from "./view/addon.js";
import { diffLines, revisionText, withContext } from "./view/diff.js";
import type { RevisionDiff } from "./view/types.js";
import { addonFrom, fleetFrom } from "./views.js";

export interface ApiDeps {
  /** Made from the user's kubeconfig: every read and write below is theirs. */
  custom: CustomObjectsApi;
  cache: FleetCache;
  now: () => Date;
}

/** The kinds the JSON API lists and gets, read straight from the API server (not the cache) with the user's credentials. */
const RAW = {
  managedclusters: resources.managedClusters,
  clustermanagementaddons: resources.clusterManagementAddOns,
  managedclusteraddons: resources.managedClusterAddOns,
  addonrevisions: resources.addOnRevisions,
} as const;

const ACTIONS = ["promote", "pause", "resume", "undo"] as const;
type Action = (typeof ACTIONS)[number];

async function kube<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw classifyKubeError(err);
  }
}

/** GET /api/v1/<plural>[?addon=A] | /api/v1/<plural>/<name> | /api/v1/managedclusteraddons/<namespace>/<name>. */
async function raw(d: ApiDeps, plural: keyof typeof RAW, rest: string[], url: URL): Promise<unknown> {
  const r = RAW[plural];
  const ref = { group: r.group, version: r.version, plural: r.plural };
  if (rest.length === 0) {
    const addon = url.searchParams.get("addon");
    return kube(() => d.custom.listClusterCustomObject({ ...ref, ...(addon ? { labelSelector: `${ADDON_NAME_LABEL}=${addon}` } : {}) }));
  }
  if (r.namespaced) {
    if (rest.length !== 2) throw new FlotillaError("NotFound", `use /api/v1/${plural}/<namespace>/<name>`);
    return kube(() => d.custom.getNamespacedCustomObject({ ...ref, namespace: rest[0]!, name: rest[1]! }));
  }
  if (rest.length !== 1) throw new FlotillaError("NotFound", `use /api/v1/${plural}/<name>`);
  return kube(() => d.custom.getClusterCustomObject({ ...ref, name: rest[0]! }));
}

/** The diff between two revisions (by number) of an addon, read with the user's credentials. */
async function diff(d: ApiDeps, addon: string, url: URL): Promise<RevisionDiff> {
  const num = (k: string) => {
    const n = Number(url.searchParams.get(k));
    if (!Number.isInteger(n) || n <= 0) throw new FlotillaError("Invalid", `${k} must be a revision number`);
    return n;
  };
  const [from, to] = [num("from"), num("to")];
  const [cma, revs] = await Promise.all([ops.getAddon(d.custom, addon), ops.listRevisions(d.custom, addon)]);
  const find = (n: number) => revs.find((r) => r.spec.revision === n) ?? (() => { throw new FlotillaError("NotFound", `revision ${n} of ${addon} not found`); })();
  const [a, b] = [find(from), find(to)];
  return { from: revisionRow(a, cma), to: revisionRow(b, cma), lines: withContext(diffLines(revisionText(a), revisionText(b))) };
}

/** POST /api/v1/addons/<name>/<action>: the same operations as `flotilla rollout <action>`. */
async function act(d: ApiDeps, addon: string, action: Action, req: IncomingMessage): Promise<{ message: string }> {
  const body = await readJson(req);
  switch (action) {
    case "pause":
    case "resume":
      await ops.setPaused(d.custom, addon, action === "pause");
      return { message: `clustermanagementaddon/${addon} ${action === "pause" ? "paused" : "resumed"}` };
    case "promote": {
      const p = await ops.promote(d.custom, addon, optionalPositiveInt(body, "step"));
      return { message: `clustermanagementaddon/${addon} promoted: step ${p.step} of ${p.revision} approved` };
    }
    case "undo": {
      const { target, lost } = await ops.undo(d.custom, addon, optionalPositiveInt(body, "toRevision"));
      const warning = lost.length ? `; placement(s) ${lost.join(", ")} no longer exist, their values at that revision are not restored` : "";
      return { message: `clustermanagementaddon/${addon} rolled back to revision ${target.spec.revision} (${target.metadata?.name ?? ""})${warning}` };
    }
  }
}

/** Answers `/api/v1/...` (but the event stream); throws FlotillaErrors for the caller to send. */
export async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, d: ApiDeps): Promise<void> {
  const parts = url.pathname.split("/").slice(3).map(decodeURIComponent);
  const [head, name, action, ...more] = parts;
  const get = req.method === "GET" || req.method === "HEAD";
  if (get && head === "views" && name === "fleet" && !action) return sendJson(res, 200, fleetFrom(d.cache));
  if (get && head === "views" && name === "addons" && action && more.length === 0) return sendJson(res, 200, addonFrom(d.cache, action, d.now()));
  if (get && head && head in RAW) return sendJson(res, 200, await raw(d, head as keyof typeof RAW, parts.slice(1), url));
  if (get && head === "addons" && name && action === "diff" && more.length === 0) return sendJson(res, 200, await diff(d, name, url));
  if (req.method === "POST" && head === "addons" && name && (ACTIONS as readonly string[]).includes(action ?? "") && more.length === 0) return sendJson(res, 200, await act(d, name, action as Action, req));
  throw new FlotillaError("NotFound", `no such API: ${req.method} ${url.pathname}`);
}
