// Per-cluster isolation on a real nats-server in the dev fleet's own mode (decentralized JWT, users
// minted with the account's scoped signing keys). Agent A, holding its own credentials, tries every way
// into cluster B's data we know of; each is refused by the server and leaves B's data as it was, while
// A's own operations keep working on the same connection.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, credsAuthenticator, type NatsConnection } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import type { KV } from "@nats-io/kv";
import { readFile } from "node:fs/promises";
import {
  DESIRED_BUCKET,
  STATUS_BUCKET,
  bootstrapInboxPrefix,
  diffSubject,
  ensureBuckets,
  inboxPrefix,
  openBuckets,
  registerSubject,
} from "@flotilla/shared";
import { startNats, type NatsServer } from "../harness/nats.js";
import { waitFor } from "../e2e/support.js";

let nats: NatsServer;
let hub: NatsConnection;
let hubKv: { desired: KV; status: KV };
const opened: NatsConnection[] = [];

/** A client with the creds file at `path`, and every permission error the server sent it. */
async function client(path: string, prefix: string) {
  const nc = await connect({ servers: nats.url, authenticator: credsAuthenticator(await readFile(path)), inboxPrefix: prefix, maxReconnectAttempts: 0 });
  opened.push(nc);
  const violations: string[] = [];
  void (async () => {
    for await (const s of nc.status()) if (s.type === "error") violations.push(String(s.error.message));
  })();
  return { nc, violations };
}

type Client = Awaited<ReturnType<typeof client>>;

/** The server refused `op` on `subject`: it said so to the client (or the call itself failed with it). */
async function expectRefused(c: Client, subject: string, op: "Publish" | "Subscription", attempt: () => Promise<unknown>, o: { prefix?: boolean } = {}): Promise<void> {
  const thrown = await attempt().then(() => undefined, (err: unknown) => String((err as Error).message ?? err));
  const wanted = `Permissions Violation for ${op} to "${subject}${o.prefix ? "" : '"'}`;
  if (thrown?.includes(wanted)) return;
  await waitFor(`the server to refuse ${op} to ${subject}`, () => Promise.resolve(c.violations.some((v) => v.includes(wanted)) || undefined), 5_000);
}

const put = async (kv: KV, key: string, value: string) => kv.put(key, new TextEncoder().encode(value));

beforeAll(async () => {
  nats = await startNats();
  hub = await connect(nats.clientOptions());
  hubKv = await ensureBuckets(hub);
  for (const c of ["a", "b"]) {
    await put(hubKv.desired, c, `index of ${c}`);
    await put(hubKv.desired, `${c}.addon`, `bundle of ${c}`);
    await put(hubKv.status, `${c}.addon`, `status of ${c}`);
    await put(hubKv.status, c, `presence of ${c}`);
  }
});

afterAll(async () => {
  for (const nc of opened) await nc.close().catch(() => undefined);
  await hub?.close();
  await nats?.dispose();
});

describe("agent A's credentials confine it to cluster A", () => {
  let a: Client;
  let kv: { desired: KV; status: KV };

  beforeAll(async () => {
    a = await client(await nats.mintCreds("a"), inboxPrefix("a"));
    kv = await openBuckets(a.nc);
  });

  it("reads its own desired keys by direct get, and puts its own status and presence", async () => {
    expect((await kv.desired.get("a"))?.string()).toBe("index of a");
    expect((await kv.desired.get("a.addon"))?.string()).toBe("bundle of a");
    await put(kv.status, "a.addon", "a reports");
    await put(kv.status, "a", "a is here");
    expect((await hubKv.status.get("a.addon"))?.string()).toBe("a reports");
    expect((await hubKv.status.get("a"))?.string()).toBe("a is here");
  });

  it("cannot read B's desired keys by direct get", async () => {
    for (const key of ["b", "b.addon"]) {
      await expectRefused(a, `$JS.API.DIRECT.GET.KV_${DESIRED_BUCKET}.$KV.${DESIRED_BUCKET}.${key}`, "Publish", () => kv.desired.get(key));
    }
  });

  it("cannot read B's keys through the stream message-get API (which takes the subject in its body)", async () => {
    const subject = `$JS.API.STREAM.MSG.GET.KV_${DESIRED_BUCKET}`;
    await expectRefused(a, subject, "Publish", () => a.nc.request(subject, JSON.stringify({ last_by_subj: `$KV.${DESIRED_BUCKET}.b` }), { timeout: 1_000 }));
  });

  it("cannot watch all keys, create consumers or create streams", async () => {
    const jsm = await jetstreamManager(a.nc, { checkAPI: false });
    await expectRefused(a, `$JS.API.CONSUMER.CREATE.KV_${DESIRED_BUCKET}`, "Publish", () =>
      jsm.consumers.add(`KV_${DESIRED_BUCKET}`, { name: "spy", filter_subject: `$KV.${DESIRED_BUCKET}.>` }),
    { prefix: true });
    await expectRefused(a, "$JS.API.STREAM.CREATE.SPY", "Publish", () => jsm.streams.add({ name: "SPY", subjects: [`$KV.${DESIRED_BUCKET}.>`] }));
    await expectRefused(a, "$JS.API.STREAM.NAMES", "Publish", () => jsm.streams.names().next());
    // a KV watch is an ordered consumer: refused the same way, whatever its filter
    await expectRefused(a, `$JS.API.CONSUMER.CREATE.KV_${DESIRED_BUCKET}.`, "Publish", async () => {
      const w = await kv.desired.watch({ key: ">" });
      w.stop();
    }, { prefix: true });
  });

  it("cannot publish B's status or presence", async () => {
    await expectRefused(a, `$KV.${STATUS_BUCKET}.b.addon`, "Publish", () => put(kv.status, "b.addon", "forged by a"));
    await expectRefused(a, `$KV.${STATUS_BUCKET}.b`, "Publish", () => put(kv.status, "b", "forged by a"));
    expect((await hubKv.status.get("b.addon"))?.string()).toBe("status of b");
    expect((await hubKv.status.get("b"))?.string()).toBe("presence of b");
  });

  it("cannot answer B's requests, take B's hints, register as B, or listen on B's inbox", async () => {
    for (const subject of [diffSubject("b"), `$KV.${DESIRED_BUCKET}.b`, `$KV.${DESIRED_BUCKET}.b.>`, `${inboxPrefix("b")}.>`, `${bootstrapInboxPrefix("b")}.>`, ">"]) {
      await expectRefused(a, subject, "Subscription", async () => {
        a.nc.subscribe(subject);
        await a.nc.flush();
      });
    }
    await expectRefused(a, registerSubject("b"), "Publish", async () => {
      a.nc.publish(registerSubject("b"), "{}");
      await a.nc.flush();
    });
  });

  it("still works after all that: its own hints arrive and its own diff subject is its own", async () => {
    const hints = a.nc.subscribe(`$KV.${DESIRED_BUCKET}.a.>`, { max: 1 });
    const diff = a.nc.subscribe(diffSubject("a"), { max: 1 });
    await a.nc.flush();
    await put(hubKv.desired, "a.addon", "bundle of a, v2");
    for await (const m of hints) expect(m.subject).toBe(`$KV.${DESIRED_BUCKET}.a.addon`);
    const answered = (async () => {
      for await (const m of diff) m.respond("pong");
    })();
    expect((await hub.request(diffSubject("a"), "ping", { timeout: 2_000 })).string()).toBe("pong");
    await answered;
    expect((await kv.desired.get("a.addon"))?.string()).toBe("bundle of a, v2");
    expect(a.nc.isClosed()).toBe(false);
  });
});

describe("bootstrap credentials", () => {
  it("may send the cluster's registration request and nothing else", async () => {
    const boot = await client(await nats.mintCreds("a", "bootstrap"), bootstrapInboxPrefix("a"));
    const registrar = hub.subscribe(registerSubject("a"), { max: 1, callback: (_e, m) => void m.respond("welcome") });
    await hub.flush();
    expect((await boot.nc.request(registerSubject("a"), "join", { timeout: 2_000 })).string()).toBe("welcome");
    registrar.unsubscribe();
    const kv = await openBuckets(boot.nc);
    await expectRefused(boot, `$JS.API.DIRECT.GET.KV_${DESIRED_BUCKET}.$KV.${DESIRED_BUCKET}.a`, "Publish", () => kv.desired.get("a"));
    await expectRefused(boot, `$KV.${STATUS_BUCKET}.a`, "Publish", () => put(kv.status, "a", "not yet"));
    await expectRefused(boot, registerSubject("b"), "Publish", async () => {
      boot.nc.publish(registerSubject("b"), "{}");
      await boot.nc.flush();
    });
  });

  it("without credentials nobody connects", async () => {
    await expect(connect({ servers: nats.url, maxReconnectAttempts: 0, timeout: 2_000 })).rejects.toThrow(/Authorization Violation/i);
  });
});
