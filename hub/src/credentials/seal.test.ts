import { describe, expect, it } from "vitest";
import { createCurve } from "@nats-io/nkeys";
import type { DesiredBundle } from "@flotilla/shared";
import { BundleSealer } from "./seal.js";

const bundle: DesiredBundle = {
  version: 1, kind: "DesiredBundle", cluster: "c1", addon: "a", revision: "a-0123456789", installNamespace: "ns", driftPolicy: "Correct",
  objects: [{ apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, stringData: { password: "hunter2" } }],
};

describe("BundleSealer", () => {
  it("only the recipient opens it; nothing of the objects is left in clear", () => {
    const agent = createCurve();
    const sealer = new BundleSealer();
    const sealed = sealer.seal(bundle, agent.getPublicKey());
    expect(sealed.objects).toEqual([]);
    expect(JSON.stringify(sealed)).not.toContain("hunter2");
    const opened = agent.open(Buffer.from(sealed.sealed!.box, "base64"), sealed.sealed!.sender);
    expect(JSON.parse(new TextDecoder().decode(opened!))).toEqual(bundle.objects);
    expect(createCurve().open(Buffer.from(sealed.sealed!.box, "base64"), sealed.sealed!.sender)).toBeNull();
  });

  it("seals the same objects for the same cluster to the same bytes, anything else differently", () => {
    const agent = createCurve().getPublicKey();
    const seed = new TextDecoder().decode(createCurve().getSeed());
    const a = new BundleSealer(seed).seal(bundle, agent);
    expect(new BundleSealer(seed).seal(bundle, agent)).toEqual(a);
    expect(new BundleSealer(seed).seal({ ...bundle, objects: [{ ...bundle.objects[0]!, stringData: { password: "other" } }] }, agent).sealed!.box).not.toBe(a.sealed!.box);
    expect(new BundleSealer(seed).seal(bundle, createCurve().getPublicKey()).sealed!.box).not.toBe(a.sealed!.box);
  });
});
