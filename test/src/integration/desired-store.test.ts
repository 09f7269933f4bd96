// The hub's desired store on a real nats-server: a lost compare-and-set is told from a timeout by the
// JetStream error code, conflicts are re-read and retried, other failures propagate as Retryable.
import { Writable } from "node:stream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import type { KV } from "@nats-io/kv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BusCodec, busMetrics, createLogger, createRegistry, ensureBuckets, FlotillaError, retryUntil, sha256Hex } from "@flotilla/shared";
import { DesiredStore } from "../../../hub/src/bus/desired-store.js";
import { startNats, type NatsServer } from "../harness/nats.js";

const KEY = "c1.demo";
const value = (v: string) => {
  const bytes = new TextEncoder().encode(JSON.stringify({ v }));
  return { key: KEY, bytes, digest: sha256Hex(bytes) };
};
const text = (b: Uint8Array | undefined) => (b ? (JSON.parse(new TextDecoder().decode(b)) as { v: string }).v : undefined);

/** A store with its own connection (another hub), and the debug lines it logged. */
async function hub(server: NatsServer) {
  const nc = await connect({ ...server.clientOptions(), maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  const { desired } = await ensureBuckets(nc);
  const lines: string[] = [];
  const destination = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  const store = new DesiredStore(desired, new BusCodec(), busMetrics(createRegistry("test")), createLogger({ level: "debug", destination }));
  await store.load();
  const lost = () => lines.filter((l) => l.includes("compare-and-set lost")).length;
  return { nc, kv: desired, store, lost };
}

let nats: NatsServer;
const conns: NatsConnection[] = [];

beforeAll(async () => {
  nats = await startNats();
});

afterAll(async () => {
  for (const nc of conns) await nc.close().catch(() => undefined);
  await nats?.dispose();
});

describe("DesiredStore on a real nats-server", () => {
  let a: Awaited<ReturnType<typeof hub>>;
  let b: Awaited<ReturnType<typeof hub>>;
  let kv: KV;

  beforeAll(async () => {
    a = await hub(nats);
    b = await hub(nats);
    conns.push(a.nc, b.nc);
    kv = a.kv;
  });

  it("a writer whose view is stale loses the compare-and-set, re-reads the key and writes", async () => {
    await a.store.write(value("from-a"), "DesiredBundle");
    // b loaded before a wrote: it creates a key that exists, which JetStream refuses (wrong last sequence)
    await b.store.write(value("from-b"), "DesiredBundle");
    expect(b.lost()).toBe(1);
    const e = await kv.get(KEY);
    expect(text(e?.value)).toBe("from-b");
    expect(e?.revision).toBeGreaterThan(1);
    // and a, stale in turn, loses once and wins on the re-read
    await a.store.write(value("from-a-2"), "DesiredBundle");
    expect(a.lost()).toBe(1);
    expect(text((await kv.get(KEY))?.value)).toBe("from-a-2");
  });

  it("two writers racing both finish, and the key holds one of their last values", async () => {
    const rounds = 8;
    const run = (h: typeof a, name: string) => (async () => {
      for (let i = 0; i < rounds; i++) {
        await retryUntil(() => h.store.write(value(`${name}-${i}`), "DesiredBundle"), { policy: { baseMs: 5, maxMs: 50 } });
      }
    })();
    await Promise.all([run(a, "a"), run(b, "b")]);
    expect([`a-${rounds - 1}`, `b-${rounds - 1}`]).toContain(text((await kv.get(KEY))?.value));
  });

  it("a timeout while the server is down is Retryable, not a conflict; the write goes through once it is back", async () => {
    await a.store.write(value("before-outage"), "DesiredBundle");
    const lostBefore = a.lost();
    await nats.stop();
    const err = await a.store.write(value("during-outage"), "DesiredBundle").then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(FlotillaError);
    expect((err as FlotillaError).code).toBe("Retryable");
    expect(a.lost()).toBe(lostBefore); // not taken for a lost compare-and-set: nothing was re-read
    await nats.start();
    await retryUntil(() => a.store.write(value("during-outage"), "DesiredBundle"), { policy: { baseMs: 100, maxMs: 1_000 }, maxAttempts: 60 });
    expect(a.lost()).toBe(lostBefore); // its view of the revision was still right
    expect(text((await kv.get(KEY))?.value)).toBe("during-outage");
  });
});
