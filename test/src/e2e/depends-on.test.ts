import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIMULATE_ANNOTATION, type ClusterManagementAddOn } from "@flotilla/shared";
import { Fleet } from "../fleet/fleet.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";
import { demoAddon, Hub, waitFor } from "./support.js";

/** The demo addon whose Deployment fails in the simulator where `.Values.simulate` is "fail". */
function failingWhereTold(name: string, simulate: string): ClusterManagementAddOn {
  const cma = demoAddon(name);
  const manifests = (cma.spec.source.manifests ?? []).map((m) =>
    m.kind === "Deployment" ? { ...m, metadata: { ...(m.metadata as object), annotations: { [SIMULATE_ANNOTATION]: "{{ .Values.simulate }}" } } } : m,
  );
  return { ...cma, spec: { ...cma.spec, source: { manifests }, values: { ...cma.spec.values, simulate } } };
}

describe("dependsOn: an addon reaches a cluster only once its dependencies are Available there", () => {
  let fleet: Fleet;
  let dir: string;
  let hub: Hub;

  beforeAll(async () => {
    dir = await makeTempDir("e2e-depends-on");
    fleet = await Fleet.start({ clusters: 2, dir });
    hub = new Hub(fleet.hubKubeConfig);
  });
  afterAll(async () => {
    await fleet?.stop();
    await removeDir(dir);
  });

  it("B waits for A while A is unknown, then on each cluster until A is Available there", async () => {
    await hub.createCma({ ...demoAddon("dep-b"), spec: { ...demoAddon("dep-b").spec, dependsOn: ["dep-a"] } });
    const unknown = await waitFor("B says its dependency is unknown", async () => {
      const c = await hub.cmaCondition("dep-b", "DependenciesReady");
      return c?.reason === "UnknownDependency" ? c : undefined;
    });
    expect(unknown).toMatchObject({ status: "False", message: "dependsOn names dep-a, which is not an addon; no cluster gets a new revision until it exists or is removed from dependsOn" });
    for (const c of ["cluster-1", "cluster-2"]) {
      const mca = await waitFor(`B's MCA on ${c}`, () => hub.getMca(c, "dep-b"));
      expect(mca.status?.desiredRevision).toBeUndefined();
    }

    // A fails everywhere by default; cluster-1's own values make it healthy there only.
    await hub.createCma(failingWhereTold("dep-a", "fail"));
    await waitFor("A's MCA on cluster-1", async () => (await hub.getMca("cluster-1", "dep-a")) !== undefined);
    await hub.patchMca("cluster-1", "dep-a", { spec: { values: { simulate: "ok" } } });
    await hub.waitAvailable("cluster-1", "dep-a", 90_000);
    await hub.waitAvailable("cluster-1", "dep-b", 90_000);

    const waiting = await waitFor("B waits on cluster-2", async () => {
      const c = await hub.cmaCondition("dep-b", "DependenciesReady");
      return c?.reason === "Waiting" ? c : undefined;
    });
    expect(waiting.message).toBe("1 cluster(s) wait until their dependencies are Available there: cluster-2 (dep-a)");
    expect((await hub.getMca("cluster-2", "dep-b"))?.status?.desiredRevision).toBeUndefined();

    // A heals on cluster-2: B follows there.
    await hub.patchMca("cluster-2", "dep-a", { spec: { values: { simulate: "ok" } } });
    await hub.waitAvailable("cluster-2", "dep-a", 90_000);
    await hub.waitAvailable("cluster-2", "dep-b", 90_000);
    expect((await hub.cmaCondition("dep-b", "DependenciesReady"))?.reason).toBe("Available");
  });

  it("a cycle is refused with a condition naming it", async () => {
    await hub.createCma({ ...demoAddon("cyc-x"), spec: { ...demoAddon("cyc-x").spec, dependsOn: ["cyc-y"] } });
    await hub.createCma({ ...demoAddon("cyc-y"), spec: { ...demoAddon("cyc-y").spec, dependsOn: ["cyc-x"] } });
    const c = await waitFor("cyc-x names the cycle", async () => {
      const cond = await hub.cmaCondition("cyc-x", "DependenciesReady");
      return cond?.reason === "DependencyCycle" ? cond : undefined;
    });
    expect(c.message).toBe("dependsOn forms a cycle: cyc-x → cyc-y → cyc-x; no cluster gets a new revision until it is broken");
    expect((await waitFor("cyc-x's MCA", () => hub.getMca("cluster-1", "cyc-x"))).status?.desiredRevision).toBeUndefined();
    // removing the dependency is not blocked: cyc-x goes out at once
    await hub.patchCma("cyc-x", { spec: { dependsOn: null } });
    await hub.waitAvailable("cluster-1", "cyc-x", 90_000);
  });
});
