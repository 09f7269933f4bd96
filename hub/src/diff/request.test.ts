import { describe, expect, it } from "vitest";
import { BusCodec, type DesiredBundle } from "@flotilla/shared";
import { encodeDiffRequest } from "./request.js";

const codec = new BusCodec();
const bundle = (data = "v"): DesiredBundle => ({
  version: 1, kind: "DesiredBundle", cluster: "c1", addon: "demo", revision: "demo-0123456789", installNamespace: "ns", driftPolicy: "Correct",
  objects: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" }, data: { k: data } }],
});

describe("encodeDiffRequest", () => {
  it("encodes a request the agent's codec accepts", () => {
    const r = codec.decode(encodeDiffRequest(codec, bundle()), "DiffRequest");
    expect(r).toMatchObject({ ok: true, value: { kind: "DiffRequest", cluster: "c1", addon: "demo", bundle: bundle() } });
  });
  it("refuses a bundle over the limit, saying how big it is", () => {
    expect(() => encodeDiffRequest(codec, bundle("x".repeat(3000)), 2048)).toThrow(/the bundle of demo for c1 \(1 objects\) makes a diff request of 3\.\d KiB, over the bus limit of 2\.0 KiB/);
  });
  it("refuses a bundle the agent would drop", () => {
    const bad = { ...bundle(), objects: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "" } }] } as DesiredBundle;
    expect(() => encodeDiffRequest(codec, bad)).toThrow(/is not a valid diff request: DiffRequest\/bundle\/objects\/0\/metadata\/name/);
  });
});
