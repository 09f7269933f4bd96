// The registration responder's front door, without a hub behind it: whatever arrives on the subject,
// malformed, oversized, hostile or too frequent, is dropped and counted before anything is looked up.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { BusCodec, busMetrics, createLogger, createRegistry, type Clock, type Informer } from "@flotilla/shared";
import type { Registry } from "prom-client";
import type { ManagedCluster } from "../../api/types.js";
import { RegistrationResponder } from "./responder.js";

/** Time that moves only when told to. */
const manualClock = (t: number) => {
  const clock = { now: () => t, setTimer: () => ({ cancel: () => undefined }), sleep: async () => undefined, advance: (ms: number) => void (t += ms) };
  return clock satisfies Clock & { advance(ms: number): void };
};

const untouchable = new Proxy({}, { get: () => { throw new Error("a dropped request reached the hub's state"); } });

// compiling the schemas is the costly part: once for the file
const codec = new BusCodec();

function responder(registry: Registry, clock = manualClock(0)) {
  const sent: Uint8Array[] = [];
  const r = new RegistrationResponder({
    codec,
    busMetrics: busMetrics(registry),
    registry,
    clusters: untouchable as Informer<ManagedCluster>,
    tokensOf: () => { throw new Error("a dropped request reached the tokens"); },
    tokenNamespace: "flotilla-system",
    issuer: undefined,
    revoker: undefined,
    writes: untouchable as never,
    credentialsTtlSeconds: 60,
    logger: createLogger({ level: "silent" }),
    clock,
  });
  const handle = (subject: string, data: Uint8Array, reply: string | undefined = "_INBOX_c.1") =>
    r.handle({ subject, data, reply: reply ?? "", respond: (d?: Uint8Array) => (sent.push(d ?? new Uint8Array()), true) } as never);
  return { handle, sent };
}

const dropped = async (registry: Registry) => {
  const m = await registry.getSingleMetricAsString("flotilla_hub_registrations_total");
  return [...m.matchAll(/outcome="Dropped",reason="(\w+)"[^}]*\} (\d+)/g)].reduce((acc, [, reason, n]) => ({ ...acc, [reason!]: Number(n) }), {} as Record<string, number>);
};

describe("RegistrationResponder, hostile input", () => {
  it("drops and counts anything malformed, oversized or deep, never answering and never throwing", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 2048 }), fc.json().map((j) => new TextEncoder().encode(j)), fc.constant(new Uint8Array(20_000)), fc.constant(new TextEncoder().encode("[".repeat(5000)))), async (data) => {
        const registry = createRegistry("t");
        const { handle, sent } = responder(registry);
        await handle("flotilla.register.c", data);
        expect(sent).toEqual([]);
        const counts = await dropped(registry);
        expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(1);
      }),
      { numRuns: 200 },
    );
  });

  it("drops a request for another cluster than its subject, and one without a reply subject", async () => {
    const registry = createRegistry("t");
    const { handle, sent } = responder(registry);
    const req = codec.encode({ version: 1, kind: "RegistrationRequest", cluster: "other", publicKey: "U" + "A".repeat(55), agentVersion: "1" });
    await handle("flotilla.register.c", req);
    await handle("flotilla.register.other", req, "");
    expect(sent).toEqual([]);
    expect(await dropped(registry)).toEqual({ Foreign: 1, NoReply: 1 });
  });

  it("limits a cluster to a burst of 5, then one request every 2 s", async () => {
    const registry = createRegistry("t");
    const clock = manualClock(0);
    const { handle } = responder(registry, clock);
    for (let i = 0; i < 8; i++) await handle("flotilla.register.c", new Uint8Array([1]));
    expect(await dropped(registry)).toEqual({ NotJSON: 5, RateLimited: 3 });
    clock.advance(2_000);
    await handle("flotilla.register.c", new Uint8Array([1]));
    expect((await dropped(registry)).NotJSON).toBe(6);
  });
});
