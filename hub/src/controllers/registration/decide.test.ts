import { describe, expect, it } from "vitest";
import type { ManagedCluster } from "../../api/types.js";
import { decideRegistration, type RegistrationInput } from "./decide.js";
import type { BootstrapToken } from "./token.js";

const NOW = Date.parse("2026-12-01T10:00:00Z");
const K1 = "U" + "A".repeat(55);
const K2 = "U" + "B".repeat(55);
const token = (o: Partial<BootstrapToken> = {}): BootstrapToken => ({ name: "join", cluster: "c", expiresAt: NOW + 60_000, autoAccept: false, labels: { env: "prod" }, creds: "x", publicKey: "UTOKEN", ...o });
const mc = (accepted: boolean, credentials?: NonNullable<ManagedCluster["status"]>["credentials"], deleting = false): ManagedCluster => ({
  apiVersion: "cluster.flotilla.dev/v1alpha1",
  kind: "ManagedCluster",
  metadata: { name: "c", ...(deleting ? { deletionTimestamp: new Date("2026-12-01T09:00:00Z") } : {}) },
  spec: { hubAcceptsClient: accepted },
  ...(credentials ? { status: { credentials } } : {}),
});
const input = (o: Partial<RegistrationInput>): RegistrationInput => ({ cluster: "c", publicKey: K1, mc: undefined, tokens: [], canMint: true, now: NOW, ...o });

describe("decideRegistration", () => {
  it.each([
    ["no issuer", input({ canMint: false, tokens: [token()] }), { outcome: "Denied", reason: "NoIssuer" }],
    ["a cluster being deleted", input({ mc: mc(true, undefined, true), tokens: [token()] }), { outcome: "Denied", reason: "ClusterDeleting" }],
    ["no token", input({}), { outcome: "Denied", reason: "NoToken" }],
    ["a used token", input({ tokens: [token({ usedAt: NOW - 1 })] }), { outcome: "Denied", reason: "NoToken" }],
    ["an expired token", input({ tokens: [token({ expiresAt: NOW })] }), { outcome: "Denied", reason: "NoToken" }],
    ["a token not minted yet", input({ tokens: [token({ creds: undefined })] }), { outcome: "Denied", reason: "NoToken" }],
    ["another cluster's token", input({ tokens: [token({ cluster: "d" })] }), { outcome: "Denied", reason: "NoToken" }],
    ["a new cluster, manual token: created and pending", input({ tokens: [token()] }), { outcome: "Pending", token: "join", create: { labels: { env: "prod" } } }],
    ["a new cluster, auto-accept token: created and accepted", input({ tokens: [token({ autoAccept: true })] }), { outcome: "Accepted", renewal: false, token: "join", create: { labels: { env: "prod" } }, accept: true, revoke: [] }],
    ["a cluster the admin made and accepted", input({ mc: mc(true), tokens: [token()] }), { outcome: "Accepted", renewal: false, token: "join", accept: false, revoke: [] }],
    ["a cluster made but not accepted", input({ mc: mc(false), tokens: [token()] }), { outcome: "Pending", token: "join" }],
    ["renewal of the granted key", input({ mc: mc(true, { publicKey: K1 }) }), { outcome: "Accepted", renewal: true, accept: false, revoke: [] }],
    ["renewal of a revoked key", input({ mc: mc(true, { publicKey: K1, revokedTime: "2026-12-01T09:00:00Z" }) }), { outcome: "Denied", reason: "NoToken" }],
    ["renewal while not accepted", input({ mc: mc(false, { publicKey: K1 }) }), { outcome: "Denied", reason: "NoToken" }],
    ["a new key for a joined cluster without a token", input({ mc: mc(true, { publicKey: K2 }) }), { outcome: "Denied", reason: "NoToken" }],
    ["a new key for a joined cluster with a token: the old key goes", input({ mc: mc(true, { publicKey: K2 }), tokens: [token()] }), { outcome: "Accepted", renewal: false, token: "join", accept: false, revoke: [K2] }],
  ])("%s", (_what, i, expected) => {
    expect(decideRegistration(i)).toMatchObject(expected);
  });

  it("spends the token that lives longest when several are usable", () => {
    const d = decideRegistration(input({ mc: mc(true), tokens: [token({ name: "short" }), token({ name: "long", expiresAt: NOW + 120_000 })] }));
    expect(d).toMatchObject({ outcome: "Accepted", token: "long" });
  });
});
