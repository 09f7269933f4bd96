import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, describe, expect, it } from "vitest";
import { flotillaCliPath } from "../fleet/cli-path.js";
import type { FleetFile } from "../fleet/fleet-file.js";
import { pidAlive } from "../harness/processes.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";
import { Hub, Spoke, waitFor } from "./support.js";

const run = promisify(execFile);
const cli = (...args: string[]) => run(process.execPath, [flotillaCliPath(), ...args], { timeout: 240_000 });

describe("flotilla dev up --detach / dev down", () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir && existsSync(join(dir, "dev.pid"))) await cli("dev", "down", "--dir", dir).catch(() => undefined);
    if (dir) await removeDir(dir);
  });

  it("starts the dev fleet with the sample addon, writes fleet.json, and stops it all", async () => {
    dir = await makeTempDir("e2e-dev");
    const up = await cli("dev", "up", "--detach", "--clusters", "2", "--dir", dir);
    expect(up.stdout).toContain("Flotilla dev fleet is up (2 managed clusters)");
    expect(up.stdout).toContain("dev down --dir");

    const fleet = JSON.parse(await readFile(join(dir, "fleet.json"), "utf8")) as FleetFile;
    expect(fleet.clusters.map((c) => c.name)).toEqual(["cluster-1", "cluster-2"]);
    expect(fleet.nats.url).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
    // the bus runs with per-cluster credentials: the hub's and each agent's own creds file
    expect(fleet.nats.creds).toMatch(/\.creds$/);
    expect(fleet.clusters.map((c) => c.natsCreds)).toEqual([expect.stringMatching(/cluster-1\.creds$/), expect.stringMatching(/cluster-2\.creds$/)]);
    for (const path of [fleet.hub.kubeconfig, ...fleet.clusters.map((c) => c.kubeconfig)]) expect(path.startsWith("/")).toBe(true);

    const kc = (path: string) => {
      const k = new KubeConfig();
      k.loadFromFile(path);
      return k;
    };
    const hub = new Hub(kc(fleet.hub.kubeconfig));
    // the sample addon (deploy/examples/sample-addon.yaml) is on both clusters, rendered per cluster
    for (const c of fleet.clusters) {
      await hub.waitAvailable(c.name, "hello-fleet");
      const cm = await new Spoke(kc(c.kubeconfig)).configMap("hello-fleet", "hello-config");
      expect(cm?.data?.message).toBe(`hello from ${c.name}`);
    }
    const table = await cli("get", "addons", "--kubeconfig", fleet.hub.kubeconfig);
    expect(table.stdout).toMatch(/^NAME\s+DESIRED\s+UPDATED\s+AVAILABLE/);
    expect(table.stdout).toMatch(/hello-fleet\s+2\s+2\s+2\s+0\s+hello-fleet-[0-9a-f]{10}/);

    const pid = Number((await readFile(join(dir, "dev.pid"), "utf8")).trim());
    expect(pidAlive(pid)).toBe(true);
    await cli("dev", "down", "--dir", dir);
    await waitFor("dev fleet process gone", async () => !pidAlive(pid), 30_000);
    expect(existsSync(join(dir, "dev.pid"))).toBe(false);
    // the run's hygiene check (global teardown) fails the suite if any child of the fleet is left
  });

  it("refuses bad flags with a message naming them", async () => {
    await expect(cli("dev", "up", "--clusters", "0")).rejects.toThrow(/--clusters must be a positive integer/);
    await expect(cli("agent", "--cluster", "Bad.Name", "--nats", "nats://127.0.0.1:1")).rejects.toThrow(/--cluster "Bad.Name" is not a DNS-1123 label/);
    await expect(cli("hub")).rejects.toThrow(/--nats/);
  });
});
