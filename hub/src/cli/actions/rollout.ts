import { stringify } from "yaml";
import { loadKubeConfig, makeClients } from "@flotilla/shared";
import * as ops from "../../operations/rollout.js";
import { historyRows } from "../history.js";
import { formatTable } from "../table.js";

export interface RolloutOptions {
  kubeconfig?: string;
}

function clients(o: RolloutOptions) {
  return makeClients(loadKubeConfig(o.kubeconfig)).custom;
}

/** `flotilla rollout pause|resume ADDON`: sets `spec.paused` (no new cluster starts; in-flight ones finish). */
export async function setPaused(addon: string, paused: boolean, o: RolloutOptions): Promise<void> {
  await ops.setPaused(clients(o), addon, paused);
  process.stdout.write(`clustermanagementaddon/${addon} ${paused ? "paused" : "resumed"}\n`);
}

/** `flotilla rollout history ADDON`: the addon's revisions, what became of each, and why each was made. */
export async function history(addon: string, o: RolloutOptions & { output: "table" | "json" | "yaml" }): Promise<void> {
  const custom = clients(o);
  const [cma, revs] = await Promise.all([ops.getAddon(custom, addon), ops.listRevisions(custom, addon)]);
  if (o.output === "json") return void process.stdout.write(JSON.stringify({ items: revs }, null, 2) + "\n");
  if (o.output === "yaml") return void process.stdout.write(stringify({ items: revs }));
  const rows = historyRows(revs, cma.status, new Date());
  process.stdout.write(rows.length ? formatTable(["revision", "name", "age", "status", "change-cause"], rows) : `No revisions of ${addon}.\n`);
}

/** `flotilla rollout undo ADDON [--to-revision N]` (operations/rollout.ts `undo`). */
export async function undo(addon: string, o: RolloutOptions & { toRevision?: number }): Promise<void> {
  const { target, lost } = await ops.undo(clients(o), addon, o.toRevision);
  process.stdout.write(`clustermanagementaddon/${addon} rolled back to revision ${target.spec.revision} (${target.metadata?.name ?? ""})\n`);
  if (lost.length) process.stderr.write(`warning: placement(s) ${lost.join(", ")} no longer exist; their values at that revision are not restored\n`);
}

/** `flotilla rollout promote ADDON [--step N]` (operations/rollout.ts `promote`). */
export async function promote(addon: string, o: RolloutOptions & { step?: number }): Promise<void> {
  const done = await ops.promote(clients(o), addon, o.step);
  process.stdout.write(`clustermanagementaddon/${addon} promoted: step ${done.step} of ${done.revision} approved\n`);
}
