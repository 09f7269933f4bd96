// Uninstall through the whole path (hub → bus → agent) destroys nothing it should not: an addon's CRD
// stays, and with it every custom resource of its kind that someone else made, unless the addon sets
// deleteCRDs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClusterManagementAddOn } from "@flotilla/shared";
import { Fleet } from "../fleet/fleet.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";
import { demoAddon, Hub, orUndefined, Spoke, waitFor } from "./support.js";

const CRD = "gadgets.example.com";
const gadgetCrd = (name: string) => ({
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: CRD },
  spec: {
    group: "example.com",
    scope: "Namespaced",
    names: { kind: "Gadget", plural: "gadgets", singular: "gadget", listKind: "GadgetList" },
    versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object", properties: { spec: { type: "object", properties: { owner: { type: "string" } } } } } } }],
  },
  // the addon's own custom resource, next to its CRD
  cr: { apiVersion: "example.com/v1", kind: "Gadget", metadata: { name: `${name}-gadget` }, spec: { owner: name } },
});

function withCrd(name: string, deleteCRDs: boolean): ClusterManagementAddOn {
  const cma = demoAddon(name);
  const { cr, ...crd } = gadgetCrd(name);
  const manifests = [...(cma.spec.source.manifests ?? []), crd, cr];
  return { ...cma, spec: { ...cma.spec, source: { manifests }, ...(deleteCRDs ? { deleteCRDs: true } : {}) } };
}

describe("uninstall leaves an addon's CRDs unless it sets deleteCRDs", () => {
  let fleet: Fleet;
  let dir: string;
  let hub: Hub;
  let spoke: Spoke;
  const crd = () => orUndefined(spoke.custom.getClusterCustomObject({ group: "apiextensions.k8s.io", version: "v1", plural: "customresourcedefinitions", name: CRD }));
  const gadget = (ns: string, name: string) => orUndefined(spoke.custom.getNamespacedCustomObject({ group: "example.com", version: "v1", plural: "gadgets", namespace: ns, name }));

  beforeAll(async () => {
    dir = await makeTempDir("e2e-uninstall-crds");
    fleet = await Fleet.start({ clusters: 1, dir });
    hub = new Hub(fleet.hubKubeConfig);
    spoke = new Spoke(fleet.spoke("cluster-1").kubeConfig);
  });
  afterAll(async () => {
    await fleet?.stop();
    await removeDir(dir);
  });

  it("by default the CRD and a custom resource someone else made survive; the addon's own objects go", async () => {
    await hub.install(withCrd("keeper", false), ["cluster-1"]);
    expect(await gadget("keeper-ns", "keeper-gadget")).toBeDefined();
    // a user's own Gadget, in a namespace the addon does not own
    await spoke.core.createNamespace({ body: { metadata: { name: "team-a" } } });
    await spoke.custom.createNamespacedCustomObject({ group: "example.com", version: "v1", plural: "gadgets", namespace: "team-a", body: { apiVersion: "example.com/v1", kind: "Gadget", metadata: { name: "mine" }, spec: { owner: "team-a" } } });

    await hub.deleteCma("keeper");
    await waitFor("the addon's AppliedAddOn is gone (uninstall done)", async () => (await spoke.appliedAddOn("keeper")) === undefined, 60_000);
    expect(await gadget("keeper-ns", "keeper-gadget")).toBeUndefined();
    expect(await spoke.deployment("keeper-ns", "server")).toBeUndefined();
    expect(await crd()).toBeDefined();
    expect(await gadget("team-a", "mine")).toBeDefined();
  });

  it("with deleteCRDs the CRD goes too", async () => {
    await hub.install(withCrd("sweeper", true), ["cluster-1"]);
    await hub.deleteCma("sweeper");
    await waitFor("the addon's AppliedAddOn is gone (uninstall done)", async () => (await spoke.appliedAddOn("sweeper")) === undefined, 60_000);
    await waitFor("the CRD is gone", async () => (await crd()) === undefined, 30_000);
  });
});
