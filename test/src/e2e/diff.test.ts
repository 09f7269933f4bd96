import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flotillaCliPath } from "../fleet/cli-path.js";
import { Fleet } from "../fleet/fleet.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";
import { demoAddon, Hub, Spoke, waitFor } from "./support.js";

const run = promisify(execFile);

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

describe("flotilla diff: what a revision would change on one cluster, asked of its agent", () => {
  let fleet: Fleet;
  let dir: string;
  let hub: Hub;
  const clusters = ["cluster-1", "cluster-2"];

  /** Runs `flotilla diff ARGS`; resolves with its exit code and output whatever the code. */
  const diff = async (...args: string[]): Promise<Ran> => {
    try {
      const r = await run(process.execPath, [flotillaCliPath(), "diff", ...args, "--kubeconfig", fleet.hub.kubeconfigPath, "--nats", fleet.nats.url, "--nats-creds", fleet.nats.hubCredsFile!], { timeout: 60_000 });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (err) {
      const e = err as { code?: unknown; stdout?: string; stderr?: string };
      if (typeof e.code !== "number") throw err;
      return { code: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
    }
  };

  /** resourceVersion of every object the addon has on cluster-1, and of its AppliedAddOn. */
  const versions = async (addon: string) => {
    const spoke = new Spoke(fleet.spoke("cluster-1").kubeConfig);
    const ns = `${addon}-ns`;
    const [namespace, cm, deploy, applied] = await Promise.all([
      spoke.core.readNamespace({ name: ns }),
      spoke.configMap(ns, "settings"),
      spoke.deployment(ns, "server"),
      spoke.appliedAddOn(addon) as Promise<{ metadata?: { resourceVersion?: string } } | undefined>,
    ]);
    return { namespace: namespace.metadata?.resourceVersion, cm: cm?.metadata?.resourceVersion, deploy: deploy?.metadata?.resourceVersion, applied: applied?.metadata?.resourceVersion, greeting: cm?.data?.greeting, replicas: deploy?.spec?.replicas };
  };

  beforeAll(async () => {
    dir = await makeTempDir("e2e-diff");
    fleet = await Fleet.start({ clusters: 2, dir });
    hub = new Hub(fleet.hubKubeConfig);
  });
  afterAll(async () => {
    await fleet?.stop();
    await removeDir(dir);
  });

  it("shows the changed fields of the update revision, exits 1, and changes nothing on the spoke", async () => {
    await hub.install(demoAddon("diffy", { greeting: "hello" }), clusters);
    const applied = (await hub.getCma("diffy"))?.status?.updateRevision;

    // Desired on the update revision already: the published bundle is compared, and nothing differs.
    const same = await diff("diffy", "--cluster", "cluster-1");
    expect(same.stdout).toMatch(new RegExp(`^diffy on cluster-1: update revision ${applied} \\(as published for the cluster; applied there now\\)\nno differences \\(3 unchanged\\)\n$`));
    expect(same.code).toBe(0);

    // A new revision that no cluster takes yet (paused): the CLI renders it from the hub's objects.
    await hub.patchCma("diffy", { spec: { paused: true } });
    await hub.patchCma("diffy", { spec: { values: { greeting: "hi", replicas: 2 } } });
    const next = await hub.nextRevision("diffy", applied);
    await waitFor("the rollout Paused", async () => (await hub.getCma("diffy"))?.status?.rollout?.phase === "Paused");
    const before = await versions("diffy");

    const changed = await diff("diffy", "--cluster", "cluster-1");
    expect(changed.stderr).toBe("");
    expect(changed.stdout).toBe([
      `diffy on cluster-1: update revision ${next} (rendered for the cluster; applied there: ${applied})`,
      "~ ConfigMap diffy-ns/settings",
      '    data.greeting: "hello from cluster-1" → "hi from cluster-1"',
      "~ Deployment.apps diffy-ns/server",
      "    spec.replicas: 1 → 2",
      "2 to change, 0 to create, 0 to prune, 1 unchanged",
      "",
    ].join("\n"));
    expect(changed.code).toBe(1);

    const json = await diff("diffy", "--cluster", "cluster-1", "-o", "json");
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout) as { kind: string; source: string; revision: string; counts: Record<string, number>; objects: { kind: string; action: string; changes?: unknown[] }[] };
    expect(doc).toMatchObject({ kind: "DiffResult", source: "rendered", revision: next, counts: { Create: 0, Change: 2, Unchanged: 1, Prune: 0, Error: 0 } });
    expect(doc.objects.find((o) => o.kind === "ConfigMap")?.changes).toEqual([{ path: "data.greeting", before: '"hello from cluster-1"', after: '"hi from cluster-1"' }]);

    // The revision the cluster is on, by number: published, nothing differs.
    const back = await diff("diffy", "--cluster", "cluster-1", "--revision", "1");
    expect(back.stdout).toContain(`revision 1 ${applied} (as published for the cluster; applied there now)`);
    expect(back.code).toBe(0);

    // A revision that drops the ConfigMap and brings another: one prune (from the inventory), one creation.
    const manifests = [...(demoAddon("diffy", { withConfigMap: false }).spec.source?.manifests ?? []), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "extra" }, data: { a: "b" } }];
    await hub.patchCma("diffy", { spec: { source: { manifests } } });
    const third = await hub.nextRevision("diffy", next);
    const reshaped = await diff("diffy", "--cluster", "cluster-1");
    expect(reshaped.stdout).toBe([
      `diffy on cluster-1: update revision ${third} (rendered for the cluster; applied there: ${applied})`,
      "+ ConfigMap diffy-ns/extra",
      "~ Deployment.apps diffy-ns/server",
      "    spec.replicas: 1 → 2",
      "- ConfigMap diffy-ns/settings  (pruned)",
      "1 to change, 1 to create, 1 to prune, 1 unchanged",
      "",
    ].join("\n"));
    expect(reshaped.code).toBe(1);

    // Dry runs only: every object and the AppliedAddOn as they were.
    expect(await versions("diffy")).toEqual(before);
    expect(await new Spoke(fleet.spoke("cluster-1").kubeConfig).configMap("diffy-ns", "extra")).toBeUndefined();
    expect(before).toMatchObject({ greeting: "hello from cluster-1", replicas: 1 });
  });

  it("as the addon's identity: what the revision grants it is named not checked yet, what it does not grant refused", async () => {
    const addon = "diffp";
    const base = demoAddon(addon);
    const kinds = [{ kinds: ["Namespace", "ConfigMap"] }, { group: "apps", kinds: ["Deployment"] }];
    await hub.install({ ...base, spec: { ...base.spec, permissions: kinds } }, clusters);
    const applied = (await hub.getCma(addon))?.status?.updateRevision;
    await hub.patchCma(addon, { spec: { paused: true } });
    // The next revision brings a Secret it also declares, and a ServiceAccount it does not.
    const extra = [
      { apiVersion: "v1", kind: "Secret", metadata: { name: "token" }, stringData: { t: "x" } },
      { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "runner" } },
    ];
    await hub.patchCma(addon, { spec: { permissions: [...kinds, { kinds: ["Secret"] }], source: { manifests: [...(base.spec.source?.manifests ?? []), ...extra] } } });
    await hub.nextRevision(addon, applied);
    const r = await diff(addon, "--cluster", "cluster-1");
    const lines = r.stdout.split("\n");
    expect(lines).toContain("! Secret diffp-ns/token: Secret diffp-ns/token: not checked: the addon is granted it only when this revision is applied, and a diff writes no RBAC");
    expect(lines.find((l) => l.startsWith("! ServiceAccount diffp-ns/runner: "))).toMatch(/is forbidden: .*\(outside what the addon may touch: applying this revision would be refused too\)$/);
    expect(lines.at(-2)).toBe("0 to change, 0 to create, 0 to prune, 3 unchanged, 2 refused");
  });

  it("names what is wrong and exits 2: an unknown cluster, an unknown revision, a stopped agent", async () => {
    await hub.install(demoAddon("diffz"), clusters);
    const unknown = await diff("diffz", "--cluster", "no-such-cluster");
    expect(unknown).toMatchObject({ code: 2, stdout: "", stderr: "flotilla diff: managedcluster no-such-cluster not found\n" });

    const noRevision = await diff("diffz", "--cluster", "cluster-1", "--revision", "9");
    expect(noRevision.code).toBe(2);
    expect(noRevision.stderr).toMatch(/^flotilla diff: revision 9 of diffz not found \(known: 1 \(diffz-\w+\)\)\n$/);

    const noAddon = await diff("no-such-addon", "--cluster", "cluster-1");
    expect(noAddon).toMatchObject({ code: 2, stderr: "flotilla diff: clustermanagementaddon no-such-addon not found\n" });

    const usage = await diff("diffz");
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("required option '--cluster <cluster>' not specified");

    await fleet.stopAgent("cluster-2");
    try {
      const down = await diff("diffz", "--cluster", "cluster-2");
      expect(down).toMatchObject({ code: 2, stdout: "" });
      expect(down.stderr).toBe("flotilla diff: no agent answers for cluster cluster-2 (nothing subscribed to flotilla.diff.cluster-2): is its agent running and connected to this NATS?\n");
    } finally {
      await fleet.startAgent("cluster-2");
    }
  });
});
