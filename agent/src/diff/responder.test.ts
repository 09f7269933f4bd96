import { describe, expect, it } from "vitest";
import { BusCodec, busMetrics, createLogger, createRegistry, FlotillaError, type DiffRequest, type DiffResult } from "@flotilla/shared";
import { checkRequest, DiffResponder } from "./responder.js";
import type { DryRunOutcome } from "./dry-run.js";

const codec = new BusCodec();
const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const request: DiffRequest = {
  version: 1, kind: "DiffRequest", cluster: "c1", addon: "demo",
  bundle: { version: 1, kind: "DesiredBundle", cluster: "c1", addon: "demo", revision: "demo-0123456789", installNamespace: "ns", driftPolicy: "Correct", objects: [] },
};

/** A responder whose diff answers as told, and the messages it sent back. */
function setup(diff: () => Promise<DryRunOutcome>) {
  const registry = createRegistry("agent");
  const metrics = busMetrics(registry);
  const responder = new DiffResponder({ cluster: "c1", codec, metrics, logger: createLogger({ level: "silent" }), diff });
  const replies: DiffResult[] = [];
  const msg = (data: Uint8Array, reply = "_INBOX.x") => ({
    data, reply, respond: (d?: Uint8Array) => {
      const r = codec.decode(d ?? new Uint8Array(), "DiffResult");
      if (!r.ok) throw new Error(r.error);
      replies.push(r.value);
      return true;
    },
  });
  const invalid = async (reason: string) => (await registry.getSingleMetric("flotilla_bus_messages_invalid_total")?.get())?.values.find((v) => v.labels.reason === reason)?.value ?? 0;
  return { responder, replies, msg, invalid };
}

describe("checkRequest", () => {
  it.each([
    { name: "this cluster's", req: request, ok: true },
    { name: "another cluster's", req: { ...request, cluster: "c2" }, ok: false },
    { name: "a bundle of another cluster", req: { ...request, bundle: { ...request.bundle, cluster: "c2" } }, ok: false },
    { name: "a bundle of another addon", req: { ...request, bundle: { ...request.bundle, addon: "other" } }, ok: false },
  ])("$name", ({ req, ok }) => {
    expect(checkRequest(req, "c1").ok).toBe(ok);
  });
});

describe("DiffResponder.handle", () => {
  const outcome: DryRunOutcome = {
    appliedRevision: "demo-aaaaaaaaaa",
    objects: [
      { group: "", version: "v1", kind: "ConfigMap", namespace: "ns", name: "c", action: "Change", changes: [{ path: "data.k", before: '"a"', after: '"b"' }] },
      { group: "", version: "v1", kind: "Namespace", name: "ns", action: "Unchanged" },
    ],
  };

  it("answers a valid request with the counted result", async () => {
    const s = setup(async () => outcome);
    await s.responder.handle(s.msg(codec.encode(request)));
    expect(s.replies).toEqual([{
      version: 1, kind: "DiffResult", cluster: "c1", addon: "demo", revision: "demo-0123456789", appliedRevision: "demo-aaaaaaaaaa",
      counts: { Create: 0, Change: 1, Unchanged: 1, Prune: 0, Error: 0 }, objects: outcome.objects,
    }]);
  });

  it("answers a failed diff with its error code and message", async () => {
    const s = setup(async () => { throw new FlotillaError("Retryable", "spoke unreachable"); });
    await s.responder.handle(s.msg(codec.encode(request)));
    expect(s.replies[0]).toMatchObject({ objects: [], error: { code: "Retryable", message: "spoke unreachable" } });
  });

  it.each([
    { name: "not JSON", data: new TextEncoder().encode("{"), reply: "_INBOX.x", reason: "NotJSON" },
    { name: "malformed", data: enc({ ...request, bundle: { ...request.bundle, objects: [{ kind: "X" }] } }), reply: "_INBOX.x", reason: "Invalid" },
    { name: "foreign", data: enc({ ...request, cluster: "c2", bundle: { ...request.bundle, cluster: "c2" } }), reply: "_INBOX.x", reason: "Foreign" },
    { name: "without a reply subject", data: enc(request), reply: "", reason: "NoReply" },
    { name: "oversized", data: new Uint8Array(1024 * 1024 + 1), reply: "_INBOX.x", reason: "TooLarge" },
  ])("drops and counts a request that is $name, answering nothing", async ({ data, reply, reason }) => {
    let ran = false;
    const s = setup(async () => ((ran = true), outcome));
    await s.responder.handle(s.msg(data, reply));
    expect(s.replies).toEqual([]);
    expect(ran).toBe(false);
    expect(await s.invalid(reason)).toBe(1);
  });

  it("answers Busy while too many diffs run", async () => {
    const gates: (() => void)[] = [];
    const s = setup(() => new Promise((resolve) => gates.push(() => resolve(outcome))));
    const running = [s.responder.handle(s.msg(codec.encode(request))), s.responder.handle(s.msg(codec.encode(request)))];
    await s.responder.handle(s.msg(codec.encode(request)));
    expect(s.replies.map((r) => r.error?.code)).toEqual(["Busy"]);
    for (const g of gates) g();
    await Promise.all(running);
    expect(s.replies.map((r) => r.error?.code)).toEqual(["Busy", undefined, undefined]);
  });
});
