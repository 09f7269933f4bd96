// Registration, acceptance, renewal and revocation end to end, on the dev fleet's own bus (JWT auth):
// a cluster joins with a bootstrap token (pending until accepted), gets credentials of its own and
// its addons; a used or expired token is worth nothing; credentials are renewed before they expire
// without the agent dropping; hubAcceptsClient=false or deleting the cluster cuts its agent off
// within seconds, for good.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CoreV1Api } from "@kubernetes/client-node";
import { connect, credsAuthenticator, type NatsConnection } from "@nats-io/transport-node";
import { readFile } from "node:fs/promises";
import { Fleet, HUB_NAMESPACE } from "../fleet/fleet.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";
import { demoAddon, Hub, metric, waitFor } from "./support.js";

/** Short enough that renewals happen during the file (at two thirds: every 8 s). */
const TTL_SECONDS = 12;

describe("registration and revocation", () => {
  let fleet: Fleet;
  let dir: string;
  let hub: Hub;
  const opened: NatsConnection[] = [];

  beforeAll(async () => {
    dir = await makeTempDir("e2e-registration");
    fleet = await Fleet.start({ clusters: 3, dir, startAgents: false, credentialsTtlSeconds: TTL_SECONDS });
    hub = new Hub(fleet.hubKubeConfig);
    await fleet.startAgent("cluster-1");
  });
  afterAll(async () => {
    for (const nc of opened) await nc.close().catch(() => undefined);
    await fleet?.stop();
    if (!process.env.KEEP) await removeDir(dir);
  });

  const core = () => fleet.hubKubeConfig.makeApiClient(CoreV1Api);
  const clusterObject = (name: string) => hub.getCluster(name) as Promise<{ metadata?: { labels?: Record<string, string>; finalizers?: string[] }; spec?: { hubAcceptsClient?: boolean }; status?: { credentials?: { publicKey: string; issuedTime?: string; revokedTime?: string }; registration?: object } } | undefined>;
  const conn = async (creds: string, o: { reconnect?: boolean } = {}) => {
    const nc = await connect({ servers: fleet.nats.url, authenticator: credsAuthenticator(new TextEncoder().encode(creds)), maxReconnectAttempts: o.reconnect ? -1 : 0, timeout: 3_000 });
    opened.push(nc);
    return nc;
  };
  const refused = (creds: string) => connect({ servers: fleet.nats.url, authenticator: credsAuthenticator(new TextEncoder().encode(creds)), maxReconnectAttempts: 0, timeout: 3_000 }).then(
    async (nc) => (await nc.close(), "connected"),
    (err: unknown) => String((err as Error).message),
  );
  /** Resolves when the server drops `nc` (the client may still try to reconnect). */
  const disconnected = async (nc: NatsConnection) => {
    for await (const s of nc.status()) if (s.type === "disconnect") return;
  };
  const accept = (name: string, value: boolean) => hub.patchCluster(name, { spec: { hubAcceptsClient: value } });
  /** The agent of `cluster` running and joined (its ManagedCluster is accepted and has a token from the fleet). */
  const joinedAgent = async (cluster: string) => {
    if (!fleet.agents.has(cluster)) await fleet.startAgent(cluster);
    await waitFor(`${cluster} joined`, async () => (await hub.clusterCondition(cluster, "Joined"))?.status === "True");
    return fleet.registeredCreds(cluster);
  };

  it("a new cluster joins: bootstrap → pending → accepted → its own credentials → its addons", async () => {
    // cluster-2 as a cluster owner brings it: no ManagedCluster yet, a token bound to labels
    await hub.deleteCluster("cluster-2");
    await core().deleteNamespacedSecret({ namespace: HUB_NAMESPACE, name: "join-cluster-2" });
    await fleet.createBootstrapToken("cluster-2", { labels: "env=dev,region=us,fleet.flotilla.dev/name=dev" });
    await fleet.startAgent("cluster-2");

    const pending = await waitFor("cluster-2 registered and waiting", async () => {
      const c = await hub.clusterCondition("cluster-2", "Accepted");
      return c?.reason === "AwaitingAcceptance" ? c : undefined;
    });
    expect(pending.message).toContain("bootstrap token join-cluster-2");
    const made = await clusterObject("cluster-2");
    expect(made?.metadata?.labels).toMatchObject({ env: "dev", region: "us" });
    expect(made?.spec?.hubAcceptsClient).toBe(false);
    expect(made?.status?.credentials).toBeUndefined();

    await accept("cluster-2", true);
    const joined = await waitFor("cluster-2 joined", async () => ((await hub.clusterCondition("cluster-2", "Joined"))?.status === "True" ? clusterObject("cluster-2") : undefined));
    expect(joined?.status?.credentials?.publicKey).toMatch(/^U[A-Z2-7]{55}$/);
    expect(joined?.status?.registration).toBeUndefined();
    expect(joined?.metadata?.finalizers).toContain("cluster.flotilla.dev/credentials");
    // the agent's own creds (on its spoke) are for the key the hub recorded
    const own = await fleet.registeredCreds("cluster-2");
    expect(own).toContain("NATS USER JWT");

    await hub.createCma(demoAddon("joined", { selector: { env: "dev" } }));
    await hub.waitAvailable("cluster-2", "joined");
    await hub.waitAvailable("cluster-1", "joined");
  });

  it("a used bootstrap token is worth nothing, and neither is an expired one", async () => {
    await joinedAgent("cluster-1");
    const used = await readFile(`${dir}/creds/cluster-1.bootstrap.creds`, "utf8");
    expect(await refused(used)).toMatch(/Authorization Violation/);
    const secret = await core().readNamespacedSecret({ namespace: HUB_NAMESPACE, name: "join-cluster-1" });
    expect(Buffer.from(secret.data?.["used-at"] ?? "", "base64").toString()).toMatch(/^\d{4}-/);

    const expiration = new Date(Date.now() + 4_000).toISOString();
    const token = await fleet.createBootstrapToken("cluster-3", { name: "join-cluster-3-short", autoAccept: true, expiration });
    const creds = await fleet.bootstrapCreds(token);
    await waitFor("the short token to expire", async () => Date.now() > Date.parse(expiration) + 1_000);
    expect(await refused(creds)).toMatch(/Authorization Violation|expired/i);
  });

  it("renews credentials before they expire without the agent dropping", async () => {
    await joinedAgent("cluster-1");
    const agent = fleet.agents.get("cluster-1")!;
    const first = (await clusterObject("cluster-1"))?.status?.credentials;
    // two renewals: the agent has outlived the JWT it joined with
    await waitFor("two renewals of cluster-1's credentials", async () => {
      const now = (await clusterObject("cluster-1"))?.status?.credentials;
      return now?.issuedTime && first?.issuedTime && Date.parse(now.issuedTime) - Date.parse(first.issuedTime) >= ((TTL_SECONDS * 1000 * 2) / 3) * 2 - 1_000 ? now : undefined;
    }, 60_000);
    // connected (a renewal reconnects on purpose, for a few milliseconds: look again rather than once)
    await waitFor("the agent connected", async () => (await metric(agent.metricsUrl, "flotilla_agent_bus_connected")) === 1, 5_000);
    expect((await hub.clusterCondition("cluster-1", "Available"))?.status).toBe("True");
    // and it still hears the hub: a change reaches it now
    await hub.createCma(demoAddon("after-renewal", { selector: { env: "dev" } }));
    await hub.waitAvailable("cluster-1", "after-renewal");
  });

  it("hubAcceptsClient=false cuts the agent off within 5 s, and its credentials never connect again", async () => {
    const creds = await joinedAgent("cluster-3");
    await hub.createCma(demoAddon("cut-off", { selector: { "fleet.flotilla.dev/name": "dev" } }));
    await hub.waitAvailable("cluster-3", "cut-off");
    const nc = await conn(creds, { reconnect: true });
    const dropped = disconnected(nc);
    const t0 = Date.now();
    await accept("cluster-3", false);
    await dropped;
    const ms = Date.now() - t0;
    process.stderr.write(`[registration figures] revocation: the server dropped the agent credentials' connection ${ms} ms after hubAcceptsClient=false\n`);
    await nc.closed(); // and the client gave up: every reconnect was refused
    expect(ms).toBeLessThan(5_000);
    expect(await refused(creds)).toMatch(/Authorization Violation/);
    const status = await waitFor("revocation recorded", async () => (await clusterObject("cluster-3"))?.status?.credentials?.revokedTime ? clusterObject("cluster-3") : undefined);
    expect(status?.status?.credentials?.revokedTime).toBeDefined();
    await waitFor("Joined=False/CredentialsRevoked", async () => (await hub.clusterCondition("cluster-3", "Joined"))?.reason === "CredentialsRevoked");
    await waitFor("cluster-3's MCAs withdrawn", async () => (await hub.getMca("cluster-3", "cut-off")) === undefined);
  });

  it("deleting a ManagedCluster revokes its credentials first, then it goes", async () => {
    const creds = await joinedAgent("cluster-2");
    const nc = await conn(creds, { reconnect: true });
    const dropped = disconnected(nc);
    await hub.deleteCluster("cluster-2");
    await dropped;
    await nc.closed();
    expect(await refused(creds)).toMatch(/Authorization Violation/);
    await waitFor("cluster-2 gone", async () => (await clusterObject("cluster-2")) === undefined);
  });
});
