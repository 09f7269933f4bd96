// A secret value set on the hub (a labelled Secret read through valuesFrom) reaches the spoke's Secret
// and nothing else: not the hub's or the agent's logs, not an Event, not a status or a revision, not
// the bus (the bundle is sealed to the cluster's agent), not even NATS's files on disk.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CoreV1Api, CustomObjectsApi, EventsV1Api, type KubeConfig } from "@kubernetes/client-node";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { Kvm } from "@nats-io/kv";
import { randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { DESIRED_BUCKET, STATUS_BUCKET, resources } from "@flotilla/shared";
import { Fleet, HUB_NAMESPACE } from "../fleet/fleet.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";
import { Hub, waitFor } from "./support.js";

const CLUSTER = "cluster-1";
const ADDON = "db-client";

/** Every file under `dir` (logs, NATS's store) whose bytes contain `needle`. */
async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if ((await readFile(path)).includes(needle)) found.push(path);
  }
  return found;
}

describe("secret values", () => {
  let fleet: Fleet;
  let dir: string;
  let hub: Hub;
  let nc: NatsConnection | undefined;
  // made up per run, so nothing could contain it by chance
  const secret = `s3cret-${randomBytes(12).toString("hex")}`;

  beforeAll(async () => {
    dir = await makeTempDir("e2e-secret-values");
    fleet = await Fleet.start({ clusters: 1, dir });
    hub = new Hub(fleet.hubKubeConfig);
  });
  afterAll(async () => {
    await nc?.close();
    await fleet?.stop();
    await removeDir(dir);
  });

  it("reach the spoke's Secret and appear nowhere else", async () => {
    const core = fleet.hubKubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespacedSecret({
      namespace: HUB_NAMESPACE,
      body: { metadata: { name: "db-password", labels: { "addon.flotilla.dev/values": "true" } }, stringData: { "values.yaml": `db:\n  password: ${secret}\n` } },
    });
    await hub.createCma({
      apiVersion: "addon.flotilla.dev/v1alpha1",
      kind: "ClusterManagementAddOn",
      metadata: { name: ADDON },
      spec: {
        installNamespace: "db",
        source: { manifests: [
          { apiVersion: "v1", kind: "Namespace", metadata: { name: "db" } },
          { apiVersion: "v1", kind: "Secret", metadata: { name: "db-credentials" }, stringData: { password: "{{ .Values.db.password }}" } },
        ] },
        valuesFrom: [{ kind: "Secret", namespace: HUB_NAMESPACE, name: "db-password" }],
        installStrategy: { type: "Placements", placements: [{ name: "all", clusterSelector: { matchLabels: { env: "dev" } }, rolloutStrategy: { type: "All" } }] },
      },
    } as never);
    await hub.waitAvailable(CLUSTER, ADDON);

    // it arrived
    const spoke = fleet.spoke(CLUSTER).kubeConfig.makeApiClient(CoreV1Api);
    const applied = await spoke.readNamespacedSecret({ namespace: "db", name: "db-credentials" });
    expect(Buffer.from(applied.data?.password ?? "", "base64").toString()).toBe(secret);

    // nowhere in the hub's API objects but the Secret it came from, nor in the spoke's but the one it went to
    const everywhere = async (kc: KubeConfig, except: { namespace: string; name: string }) => {
      const custom = kc.makeApiClient(CustomObjectsApi);
      const texts: [string, unknown][] = [];
      for (const r of [resources.clusterManagementAddOns, resources.managedClusterAddOns, resources.managedClusters, resources.addOnRevisions]) {
        // a spoke serves none of the hub's kinds
        texts.push([r.plural, await custom.listClusterCustomObject({ group: r.group, version: r.version, plural: r.plural }).catch(() => [])]);
      }
      texts.push(["events", await kc.makeApiClient(EventsV1Api).listEventForAllNamespaces()]);
      texts.push(["core events", await kc.makeApiClient(CoreV1Api).listEventForAllNamespaces()]);
      texts.push(["configmaps", await kc.makeApiClient(CoreV1Api).listConfigMapForAllNamespaces()]);
      const secrets = await kc.makeApiClient(CoreV1Api).listSecretForAllNamespaces();
      texts.push(["other secrets", secrets.items.filter((s) => !(s.metadata?.namespace === except.namespace && s.metadata?.name === except.name))]);
      const b64 = Buffer.from(secret).toString("base64").slice(0, 20);
      return texts.filter(([, v]) => JSON.stringify(v).includes(secret) || JSON.stringify(v).includes(b64)).map(([k]) => k);
    };
    expect(await everywhere(fleet.hubKubeConfig, { namespace: HUB_NAMESPACE, name: "db-password" })).toEqual([]);
    const spokeHits = await everywhere(fleet.spoke(CLUSTER).kubeConfig, { namespace: "db", name: "db-credentials" });
    // the AppliedAddOn holds an inventory only (group, kind, namespace, name, uid)
    const applied2 = await fleet.spoke(CLUSTER).kubeConfig.makeApiClient(CustomObjectsApi).listClusterCustomObject({ group: "agent.flotilla.dev", version: "v1alpha1", plural: "appliedaddons" });
    expect(JSON.stringify(applied2)).not.toContain(secret);
    expect(spokeHits).toEqual([]);

    // nowhere on the bus: every key of both buckets, read as the hub
    nc = await connect(fleet.nats.clientOptions());
    const kvm = new Kvm(nc);
    for (const bucket of [DESIRED_BUCKET, STATUS_BUCKET]) {
      const kv = await kvm.open(bucket);
      const keys: string[] = [];
      for await (const k of await kv.keys()) keys.push(k);
      expect(keys.length).toBeGreaterThan(0);
      for (const k of keys) expect(new TextDecoder().decode((await kv.get(k))?.value ?? new Uint8Array()), `${bucket} ${k}`).not.toContain(secret);
    }
    const bundle = JSON.parse(new TextDecoder().decode((await (await kvm.open(DESIRED_BUCKET)).get(`${CLUSTER}.${ADDON}`))!.value)) as { objects: unknown[]; sealed?: { sender: string } };
    expect(bundle.objects).toEqual([]);
    expect(bundle.sealed?.sender).toMatch(/^X/);

    // nor in any log, nor in NATS's own files (its JetStream store included)
    await waitFor("the logs flushed", async () => (await filesContaining(join(dir, "logs"), `"${ADDON}"`)).length > 0);
    expect(await filesContaining(join(dir, "logs"), secret)).toEqual([]);
    expect(await filesContaining(fleet.nats.dir, secret)).toEqual([]);
  });
});
