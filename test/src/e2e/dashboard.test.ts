import { request } from "node:http";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RolloutStrategy } from "@flotilla/shared";
import { Fleet } from "../fleet/fleet.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";
import { launchBrowser, loadFigures, screenshot } from "./browser.js";
import { startDashboard, viewerKubeconfig, type DashboardProcess } from "./dashboard-support.js";
import { changeGreeting, installThenSwitch, waitPhase } from "./rollout-support.js";
import { demoAddon, Hub, waitFor } from "./support.js";

/** The status of a GET naming another host in `Host` (fetch will not send a Host of its own choosing). */
function statusWithHost(url: string, host: string): Promise<number> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname: u.hostname, port: u.port, path: "/api/v1/views/fleet", headers: { host: `${host}:${u.port}` } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}

const CANARY: RolloutStrategy = {
  type: "Canary",
  rolling: { maxConcurrency: 2, minSuccessTime: "1s", progressDeadline: "2m", maxFailures: 0 },
  canary: { steps: [{ clusters: 1 }, { pause: {} }, { clusters: "100%" }], autoRollback: true },
};
const SUITE = "dashboard";
/** How long the page may take to show what the API server already says (watch → SSE → render). */
const SHOWN_MS = 30_000;

describe("flotilla dashboard in a real browser", () => {
  let fleet: Fleet;
  let dir: string;
  let hub: Hub;
  let browser: Browser;
  /** The fleet admin's dashboard (the hub's admin kubeconfig). */
  let admin: DashboardProcess;
  const dashboards: DashboardProcess[] = [];
  const startAs = async (name: string, kubeconfig: string) => {
    const d = await startDashboard(dir, name, kubeconfig);
    dashboards.push(d);
    return d;
  };

  beforeAll(async () => {
    dir = await makeTempDir("e2e-dashboard");
    [fleet, browser] = await Promise.all([Fleet.start({ clusters: 3, dir }), launchBrowser()]);
    hub = new Hub(fleet.hubKubeConfig);
    admin = await startAs("dashboard-admin", fleet.hub.kubeconfigPath);
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all(dashboards.map((d) => d.proc.stop()));
    await fleet?.stop();
    await removeDir(dir);
  });

  const open = async (d: DashboardProcess, hash = ""): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${d.url}${hash}`);
    return page;
  };

  it("shows a canary started from outside advance live, and its Promote button moves it on", async () => {
    await installThenSwitch(hub, "web", CANARY, fleet.clusterNames());
    const page = await open(admin);
    await page.locator('.group[data-phase="Succeeded"] tr[data-addon="web"]').waitFor({ timeout: SHOWN_MS });
    await page.locator('.group[data-group="available"] li[data-cluster="cluster-3"]').waitFor({ timeout: SHOWN_MS });
    const figures = await loadFigures(page);
    process.stdout.write(`dashboard load: ${JSON.stringify(figures)}\n`);
    expect(figures.firstContentfulPaintMs).toBeDefined();
    await screenshot(page, SUITE, "fleet");

    // by keyboard: the addon's link is a real link
    await page.getByRole("link", { name: "web", exact: true }).focus();
    await page.keyboard.press("Enter");
    await page.locator('section.rollout[data-phase="Succeeded"]').waitFor({ timeout: SHOWN_MS });
    // a reload would drop this mark: what follows must arrive over the open stream
    await page.evaluate("window.__notReloaded = true");

    // a rollout from outside, as kubectl would start it
    const R = await changeGreeting(hub, "web", "two");
    await waitPhase(hub, "web", "Paused", { revision: R, reason: "WaitingForApproval" });
    await page.locator('section.rollout[data-phase="Paused"][data-step="2"]').waitFor({ timeout: SHOWN_MS });
    await page.locator('li[data-step="2"][aria-current="step"]', { hasText: "waiting for promote" }).waitFor({ timeout: SHOWN_MS });
    await page.locator('li[data-step="1"]', { hasText: "1/1 succeeded" }).waitFor({ timeout: SHOWN_MS });
    await page.locator('tr[data-progress="succeeded"]').first().waitFor({ timeout: SHOWN_MS });
    expect(await page.locator('tr[data-progress="waiting"]').count()).toBe(2);
    await page.locator("#do-promote:not([disabled])").waitFor({ timeout: SHOWN_MS });
    await screenshot(page, SUITE, "addon-waiting-for-promote");

    await page.locator("#do-promote").click();
    await page.getByRole("dialog").getByRole("button", { name: "Yes, promote" }).click();
    await page.locator("#action-result", { hasText: `promoted: step 2 of ${R} approved` }).waitFor({ timeout: SHOWN_MS });
    // the API server has the approval, and the rollout goes on to Succeeded
    expect((await hub.getCma("web"))?.metadata?.annotations?.["addon.flotilla.dev/promote"]).toBe(`${R}/2`);
    const done = await waitPhase(hub, "web", "Succeeded", { revision: R });
    expect(done.rollout?.approvedSteps?.map((a) => a.step)).toEqual([2]);
    await page.locator('section.rollout[data-phase="Succeeded"]').waitFor({ timeout: SHOWN_MS });
    await waitFor("every cluster succeeded on the page", async () => (await page.locator('tr[data-progress="succeeded"]').count()) === 3, SHOWN_MS);
    expect(await page.evaluate("window.__notReloaded")).toBe(true);
    await screenshot(page, SUITE, "addon-succeeded");

    // the history's diff between the two revisions
    await page.getByRole("button", { name: "Show diff" }).click();
    await page.locator(".diff .add", { hasText: "greeting: two" }).waitFor({ timeout: SHOWN_MS });
    await page.locator(".diff .del", { hasText: "greeting: one" }).waitFor({ timeout: SHOWN_MS });
    await screenshot(page, SUITE, "addon-diff");
    await page.close();
  });

  it("refuses writes from other sites, and any request naming another host", async () => {
    await hub.createCma(demoAddon("guarded"));
    const post = (headers: Record<string, string>) => fetch(`${admin.url}api/v1/addons/guarded/pause`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: "{}" });
    expect((await post({ origin: "http://evil.example" })).status).toBe(403);
    expect((await post({ origin: admin.url.replace(/\/$/, "") })).status).toBe(403); // its own origin, but no token
    expect(await statusWithHost(admin.url, "evil.example")).toBe(421); // DNS rebinding
    expect((await hub.getCma("guarded"))?.spec?.paused ?? false).toBe(false);
  });

  it("a user without rights sees the 403 on the page, for reads and for buttons", async () => {
    await hub.createCma(demoAddon("seen"));
    const d = await startAs("dashboard-viewer", await viewerKubeconfig(fleet, join(dir, "viewer.kubeconfig")));
    const page = await open(d);
    await page.locator('.problem[data-code="Forbidden"]', { hasText: "managedclusters" }).waitFor({ timeout: SHOWN_MS });
    expect(await page.locator('.problem[data-code="Forbidden"]').innerText()).toContain("403 Forbidden");
    await page.locator('tr[data-addon="seen"]').waitFor({ timeout: SHOWN_MS }); // what it may read, it sees
    await screenshot(page, SUITE, "viewer-forbidden");

    await page.goto(`${d.url}#/addons/seen`);
    await page.locator("#do-pause:not([disabled])").click();
    await page.getByRole("dialog").getByRole("button", { name: "Yes, pause" }).click();
    await page.locator("#action-result", { hasText: "Forbidden (HTTP 403)" }).waitFor({ timeout: SHOWN_MS });
    expect((await hub.getCma("seen"))?.spec?.paused ?? false).toBe(false);
    await screenshot(page, SUITE, "viewer-action-forbidden");
    await page.close();
  });

  it("stops within a second of SIGTERM", async () => {
    const d = await startAs("dashboard-stop", fleet.hub.kubeconfigPath);
    const started = Date.now();
    const exit = await d.proc.stop(5_000);
    const took = Date.now() - started;
    process.stdout.write(`dashboard stop: ${took} ms\n`);
    expect(exit.code).toBe(0);
    expect(took).toBeLessThan(1_500);
  });
});
