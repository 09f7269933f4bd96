import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RolloutStrategy } from "@flotilla/shared";
import { Fleet } from "../fleet/fleet.js";
import { TimelineRecorder } from "../harness/timeline/recorder.js";
import { availableOn, desiredHistory, everDesired, firstDesired, maxInFlight, pointsAt, type Timeline } from "../harness/timeline/timeline.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";
import { changeGreeting, cmaEvents, cmaReconciles, installThenSwitch, revisionCount, rolloutAddon, rolloutCli, shown, story, strategyPatch, waitPhase, waitTaken } from "./rollout-support.js";
import { Hub, restoreFleet, Spoke, waitFor } from "./support.js";

const MIN_SUCCESS_MS = 3000;
/**
 * A cluster Available on R still holds its slot for minSuccessTime. The hub counts it from the time
 * it wrote Available; the timeline from when the write arrived here, a little later: this much is
 * left for that lag when the timeline checks the soak.
 */
const SOAK_MARGIN_MS = 1000;

const ROLLING: RolloutStrategy = { type: "Rolling", rolling: { maxConcurrency: 2, minSuccessTime: `${MIN_SUCCESS_MS / 1000}s`, progressDeadline: "2m", maxFailures: 0 } };
const CANARY: RolloutStrategy = {
  type: "Canary",
  rolling: { maxConcurrency: 2, minSuccessTime: "2s", progressDeadline: "2m", maxFailures: 0 },
  canary: { steps: [{ clusters: 1 }, { pause: {} }, { clusters: "100%" }], autoRollback: true },
};
const PROMOTE_ANNOTATION = "addon.flotilla.dev/promote";

describe("rollouts on a 5-cluster fleet: Rolling, Canary with approval and rollback, undo, a hub crash", () => {
  let fleet: Fleet;
  let dir: string;
  let hub: Hub;
  let clusters: string[];
  const recorders: TimelineRecorder[] = [];
  const record = async (addon: string) => {
    const r = await TimelineRecorder.start(fleet.hubKubeConfig, addon);
    recorders.push(r);
    return r;
  };
  const hubMetrics = () => fleet.hubs.get("hub-0")?.metricsUrl ?? "";
  /** The timeline once every cluster is Available on `rev` in it (the watch may trail a status just read). */
  const settledOn = (rec: TimelineRecorder, rev: string): Promise<Timeline> =>
    rec.until(`every cluster Available on ${rev}`, (t) => clusters.every((c) => availableOn(pointsAt(t).get(c) ?? { available: false }, rev)), 10_000);
  /** Rolling's window: never more than 2 in flight, soaking included, and the window used (2 at once). */
  const expectWindowOfTwo = (t: Timeline, rev: string) => {
    expect(maxInFlight(t, rev), shown(t)).toMatchObject({ max: 2 });
    expect(maxInFlight(t, rev, { soakMs: MIN_SUCCESS_MS - SOAK_MARGIN_MS }).max, shown(t)).toBeLessThanOrEqual(2);
  };

  beforeAll(async () => {
    dir = await makeTempDir("e2e-rollouts");
    fleet = await Fleet.start({ clusters: 5, dir });
    hub = new Hub(fleet.hubKubeConfig);
    clusters = fleet.clusterNames();
  });
  beforeEach(() => restoreFleet(fleet));
  afterEach(async () => {
    await Promise.all(recorders.splice(0).map((r) => r.stop()));
  });
  afterAll(async () => {
    await fleet?.stop();
    await removeDir(dir);
  });

  it("(a) Rolling: at most maxConcurrency clusters in flight; every cluster ends Available on the new revision", async () => {
    const old = await installThenSwitch(hub, "roll", ROLLING, clusters);
    const rec = await record("roll");
    const R = await changeGreeting(hub, "roll", "two");
    const st = await waitPhase(hub, "roll", "Succeeded", { revision: R });
    expect(st.currentRevision).toBe(R);

    const t = await settledOn(rec, R);
    expectWindowOfTwo(t, R);
    expect([...everDesired(t, R)].sort(), shown(t)).toEqual(clusters);
    for (const c of clusters) expect(desiredHistory(t, c), `${c}\n${shown(t)}`).toEqual([old, R]);
  });

  it("(b) Canary: the new revision reaches one cluster and waits for approval; promote lets it go to all", async () => {
    await installThenSwitch(hub, "canary", CANARY, clusters);
    const rec = await record("canary");
    const earlier = new Set((await cmaEvents(fleet.hubKubeConfig, "canary")).map((e) => e.uid));
    const R = await changeGreeting(hub, "canary", "two");
    const paused = await waitPhase(hub, "canary", "Paused", { revision: R, reason: "WaitingForApproval" });
    expect(paused.rollout?.step).toBe(2);

    // The hub had its chance to go further: two more reconciles of the addon, each after a nudge.
    for (const nudge of ["1", "2"]) {
      const before = await cmaReconciles(hubMetrics());
      await hub.patchCma("canary", { metadata: { annotations: { "e2e.flotilla.dev/nudge": nudge } } });
      await waitFor(`a reconcile after nudge ${nudge}`, async () => (await cmaReconciles(hubMetrics())) > before);
    }
    const held = rec.timeline();
    expect([...everDesired(held, R)], shown(held)).toEqual([clusters[0]]);
    expect((await hub.getCma("canary"))?.status?.rollout).toMatchObject({ phase: "Paused", reason: "WaitingForApproval", step: 2 });

    const promotedAt = Date.now();
    const promoted = await rolloutCli(fleet, "promote", "canary");
    expect(promoted, promoted.stderr).toMatchObject({ code: 0, stdout: `clustermanagementaddon/canary promoted: step 2 of ${R} approved\n` });
    expect((await hub.getCma("canary"))?.metadata?.annotations?.[PROMOTE_ANNOTATION]).toBe(`${R}/2`);
    const st = await waitPhase(hub, "canary", "Succeeded", { revision: R });
    expect(st.currentRevision).toBe(R);
    expect(st.rollout?.approvedSteps?.map((a) => a.step)).toEqual([2]);

    const t = await settledOn(rec, R);
    const starts = firstDesired(t, R);
    expect(starts[0]?.cluster).toBe(clusters[0]);
    expect(starts[0]!.at).toBeLessThan(promotedAt);
    for (const s of starts.slice(1)) expect(s.at, `${s.cluster} started before the promote\n${shown(t)}`).toBeGreaterThanOrEqual(promotedAt);
    expect(maxInFlight(t, R).max, shown(t)).toBeLessThanOrEqual(2);

    const status = await rolloutCli(fleet, "status", "canary");
    expect.soft(status, status.stderr).toMatchObject({ code: 0, stdout: expect.stringMatching(/^phase: +Succeeded/m) });

    // The audit trail, each step once: started, waiting, approved, done.
    const events = await waitFor("the RolloutSucceeded Event", async () => {
      const evs = (await cmaEvents(fleet.hubKubeConfig, "canary")).filter((e) => !earlier.has(e.uid));
      return evs.some((e) => e.reason === "RolloutSucceeded") ? evs : undefined;
    });
    expect.soft(story(events, ["RolloutStarted", "WaitingForApproval", "Approved", "RolloutSucceeded"]), JSON.stringify(events, null, 1)).toEqual(["RolloutStarted", "WaitingForApproval", "Approved", "RolloutSucceeded"]);
    expect(events.find((e) => e.reason === "Approved")?.message).toContain(`step 2 of ${R}`);
  });

  it("(c) Canary: a revision failing on the canary cluster is rolled back there; the others never get it", async () => {
    const good = await installThenSwitch(hub, "bad-canary", CANARY, clusters);
    const rec = await record("bad-canary");
    const earlier = new Set((await cmaEvents(fleet.hubKubeConfig, "bad-canary")).map((e) => e.uid));
    const bad = await changeGreeting(hub, "bad-canary", "broken", { simulate: "fail" });
    const st = await waitPhase(hub, "bad-canary", "RolledBack", { revision: bad });
    expect(st.currentRevision).toBe(good);
    expect(st.rollout?.failedRevision).toBe(bad);

    const t = await settledOn(rec, good);
    expect([...everDesired(t, bad)], shown(t)).toEqual([clusters[0]]);
    expect.soft(desiredHistory(t, clusters[0]!), shown(t)).toEqual([good, bad, good]);
    for (const c of clusters.slice(1)) expect.soft(desiredHistory(t, c), `${c}\n${shown(t)}`).toEqual([good]);
    const canary = await hub.getMca(clusters[0]!, "bad-canary");
    expect(canary?.status).toMatchObject({ desiredRevision: good, appliedRevision: good });
    expect(canary?.status?.conditions?.find((c) => c.type === "Available")?.status).toBe("True");

    const status = await rolloutCli(fleet, "status", "bad-canary");
    // 1: Failed or rolled back (3 would be: still in progress)
    expect.soft(status, status.stderr).toMatchObject({ code: 1, stdout: expect.stringMatching(/^phase: +RolledBack/m) });

    // The audit trail, each step once: started on the canary, it failed and goes back, back.
    const events = await waitFor("the RolledBack Event", async () => {
      const evs = (await cmaEvents(fleet.hubKubeConfig, "bad-canary")).filter((e) => !earlier.has(e.uid));
      return evs.some((e) => e.reason === "RolledBack") ? evs : undefined;
    });
    // (Events of one reconcile are created concurrently, in no set order: ClustersStarted goes with RolloutStarted.)
    expect.soft(story(events, ["RolloutStarted", "RollingBack", "RolledBack"]), JSON.stringify(events, null, 1)).toEqual(["RolloutStarted", "RollingBack", "RolledBack"]);
    expect.soft(events.filter((e) => e.reason === "ClustersStarted").map((e) => e.message), JSON.stringify(events, null, 1)).toEqual([`${bad} started on 1 cluster(s): ${clusters[0]} (1/5 updated)`]);
    const rollingBack = events.find((e) => e.reason === "RollingBack");
    expect(rollingBack?.type).toBe("Warning");
    expect(rollingBack?.message).toMatch(new RegExp(`failed on ${bad}`));
    expect(rollingBack?.message).toContain(clusters[0]);
  });

  it("(d) undo --to-revision restores an older revision everywhere, with no new AddOnRevision", async () => {
    const cma = rolloutAddon("undo-roll", { type: "All" }, "one");
    await hub.install(cma, clusters);
    const r1 = (await waitPhase(hub, "undo-roll", "Succeeded")).updateRevision!;
    for (const greeting of ["two", "three"]) {
      const r = await changeGreeting(hub, "undo-roll", greeting);
      await waitPhase(hub, "undo-roll", "Succeeded", { revision: r });
    }
    await hub.patchCma("undo-roll", strategyPatch(cma, ROLLING));
    await waitTaken(hub, "undo-roll");
    const rec = await record("undo-roll");
    const before = await revisionCount(fleet.hubKubeConfig, "undo-roll");
    expect(before).toBe(3);

    const out = await rolloutCli(fleet, "undo", "undo-roll", "--to-revision", "1");
    expect(out, out.stderr).toMatchObject({ code: 0, stdout: `clustermanagementaddon/undo-roll rolled back to revision 1 (${r1})\n` });
    const st = await waitPhase(hub, "undo-roll", "Succeeded", { revision: r1 });
    expect(st.currentRevision).toBe(r1);

    const t = await settledOn(rec, r1);
    expectWindowOfTwo(t, r1);
    expect([...everDesired(t, r1)].sort(), shown(t)).toEqual(clusters);
    const greetings = await Promise.all(clusters.map(async (c) => (await new Spoke(fleet.spoke(c).kubeConfig).configMap("undo-roll-ns", "settings"))?.data?.greeting));
    expect(greetings).toEqual(clusters.map((c) => `one from ${c}`));
    expect(await revisionCount(fleet.hubKubeConfig, "undo-roll")).toBe(before);
  });

  it("(e) Rolling survives a hub crash (SIGKILL) mid-rollout: it finishes, within its window, skipping no cluster", async () => {
    const old = await installThenSwitch(hub, "crash", ROLLING, clusters);
    const rec = await record("crash");
    const R = await changeGreeting(hub, "crash", "two");
    // mid-rollout: the first cluster is Available on R, and some have not started
    await rec.until("a cluster Available on R while others wait", (t) => {
      const end = pointsAt(t);
      return clusters.some((c) => availableOn(end.get(c) ?? { available: false }, R)) && everDesired(t, R).size < clusters.length;
    });
    const killedAt = Date.now();
    expect(await fleet.killHub()).toEqual({ code: null, signal: "SIGKILL" });
    await fleet.startHub();

    const st = await waitPhase(hub, "crash", "Succeeded", { revision: R });
    expect(st.currentRevision).toBe(R);
    const t = await settledOn(rec, R);
    expect(firstDesired(t, R).filter((s) => s.at > killedAt).length, `some clusters start after the crash\n${shown(t)}`).toBeGreaterThan(0);
    expectWindowOfTwo(t, R);
    expect([...everDesired(t, R)].sort(), shown(t)).toEqual(clusters);
    for (const c of clusters) expect(desiredHistory(t, c), `${c}\n${shown(t)}`).toEqual([old, R]);
  });
});
