import { describe, expect, it } from "vitest";
import { pino } from "pino";
import type { KubeObject } from "@flotilla/shared";
import type { Applier } from "../apply/applier.js";
import type { InventoryItem } from "../inventory/ref.js";
import { AddonHooks } from "./addon-hooks.js";
import { recordOf, splitHooks, type Hook, type HookPhase } from "./plan.js";

const log = pino({ level: "silent" });
const hook = (kind: string, name: string, when: string): KubeObject => ({
  apiVersion: kind === "Job" ? "batch/v1" : "v1", kind, metadata: { name, namespace: "ns", annotations: { "helm.sh/hook": when } },
});

function setup(fail: HookPhase | undefined) {
  const ran: string[] = [];
  const deleted: InventoryItem[][] = [];
  const runner = {
    async runPhase(_addon: string, phase: HookPhase, hooks: readonly Hook[]) {
      ran.push(...hooks.map((h) => `${phase} ${h.object.metadata.name}`));
      const first = hooks[0];
      return { results: [], ...(phase === fail && first ? { failed: { hook: first, phase, result: "timeout" as const, reason: "Timeout" as const, message: `${phase} hook Job ns/x: Timeout: not finished` } } : {}) };
    },
  };
  const applier = { delete: async (items: InventoryItem[]) => (deleted.push(items), { deleted: items, skipped: [], failed: [] }) };
  const hooks = new AddonHooks({ runner, applier: applier as unknown as Applier, defaultTimeoutMs: 1000 });
  const recorded = recordOf(splitHooks([hook("Job", "pre-del", "pre-delete"), hook("Job", "post-del", "post-delete"), hook("ConfigMap", "setup", "pre-install")], 1000).hooks);
  return { hooks, ran, deleted, recorded };
}

describe("AddonHooks", () => {
  it("a failed phase becomes the revision's HookFailed phase", async () => {
    const { hooks, ran } = setup("pre-install");
    const plan = hooks.plan([hook("ConfigMap", "setup", "pre-install"), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "main" } }], undefined, "r1", log);
    expect(await hooks.run("a", plan.pre)).toEqual({ kind: "HookFailed", message: "pre-install hook Job ns/x: Timeout: not finished" });
    expect(await hooks.run("a", plan.post)).toBeUndefined();
    expect(ran).toEqual(["pre-install setup"]);
  });

  it("invalid annotations make an InvalidHook phase naming the object", () => {
    const { hooks } = setup(undefined);
    const plan = hooks.plan([{ ...hook("Job", "j", "pre-install"), metadata: { name: "j", annotations: { "helm.sh/hook": "pre-install", "helm.sh/hook-weight": "x" } } }], undefined, "r1", log);
    expect(hooks.invalid(plan)).toEqual({ kind: "InvalidHook", message: 'invalid hooks: Job j: helm.sh/hook-weight "x" is not an integer' });
  });

  it("uninstall: pre-delete once however often it is retried, even when it fails; post-delete; then what hooks left behind is deleted", async () => {
    const { hooks, ran, deleted, recorded } = setup("pre-delete");
    const mem = {};
    await hooks.beforeDelete("a", recorded, mem, log);
    await hooks.beforeDelete("a", recorded, mem, log);
    await hooks.afterDelete("a", recorded, log);
    expect(ran).toEqual(["pre-delete pre-del", "post-delete post-del"]);
    // by label (uid unknown), in delete order
    expect(deleted).toEqual([[
      { group: "batch", version: "v1", kind: "Job", namespace: "ns", name: "pre-del", uid: "" },
      { group: "batch", version: "v1", kind: "Job", namespace: "ns", name: "post-del", uid: "" },
      { group: "", version: "v1", kind: "ConfigMap", namespace: "ns", name: "setup", uid: "" },
    ]]);
  });

  it("an addon with no recorded hooks runs and deletes nothing", async () => {
    const { hooks, ran, deleted } = setup(undefined);
    await hooks.beforeDelete("a", undefined, {}, log);
    await hooks.afterDelete("a", undefined, log);
    expect([ran, deleted]).toEqual([[], []]);
  });
});
