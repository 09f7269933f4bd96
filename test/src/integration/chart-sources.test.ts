/**
 * Chart sources against real servers on loopback: our HTTP chart repository (basic auth) and the CNCF
 * distribution registry (htpasswd, and the token flow with our token issuer), charts published with the
 * real helm. Every failure must come back as a ChartSourceError with the condition reason.
 */
import { createHash } from "node:crypto";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { ChartFetcher, ChartSourceError, type ChartRef, type ChartSourceReason, type Credentials } from "@flotilla/hub";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startChartRepo, type ChartRepoServer } from "../harness/charts/chart-repo.js";
import { HelmCli } from "../harness/charts/helm.js";
import { pushRawArtifact } from "../harness/charts/oci-upload.js";
import { realChart } from "../harness/charts/real-charts.js";
import { startRegistry, type Registry } from "../harness/charts/registry.js";
import { freePort } from "../harness/ports.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";

const CERT_MANAGER = realChart("cert-manager-1.21.1.tgz");
const METRICS_SERVER = realChart("metrics-server-3.13.1.tgz");
const ALICE: Credentials = { username: "alice", password: "s3cret-alice" };
const WRONG: Credentials = { username: "alice", password: "not-her-password" };
const logger = pino({ level: "silent" });

const sha256 = async (path: string): Promise<string> => `sha256:${createHash("sha256").update(await readFile(path)).digest("hex")}`;

/** The reason a resolve failed with (and its message, to check it names the URL and no secret). */
async function failure(fetcher: ChartFetcher, ref: ChartRef, creds?: Credentials): Promise<{ reason: ChartSourceReason; message: string }> {
  const err = await fetcher.resolve(ref, creds).then(
    (ok) => new Error(`resolved unexpectedly: ${JSON.stringify(ok)}`),
    (e: unknown) => e,
  );
  if (!(err instanceof ChartSourceError)) throw err;
  for (const secret of [ALICE.password, WRONG.password]) expect(err.message).not.toContain(secret);
  return { reason: err.reason, message: err.message };
}

/** Node's fetch, recording each URL it is asked for (to show which downloads a cache hit skips). */
function countingFetch(seen: string[]): typeof fetch {
  return (input, init) => {
    seen.push(input instanceof URL ? input.href : typeof input === "string" ? input : input.url);
    return fetch(input, init);
  };
}

let helm: HelmCli;
let scratch: string;
let certManager1210: string;
let cacheDir: string;
let seen: string[];
let fetcher: ChartFetcher;

beforeAll(async () => {
  helm = await HelmCli.create();
  scratch = await makeTempDir("chart-sources");
  // A second cert-manager version, so a range has something to choose from.
  certManager1210 = await helm.repackage(CERT_MANAGER, "1.21.0", join(scratch, "packaged"));
});

afterAll(async () => {
  await helm?.dispose();
  if (scratch) await removeDir(scratch);
});

beforeEach(async () => {
  cacheDir = await makeTempDir("chart-cache");
  seen = [];
  fetcher = new ChartFetcher({ cacheDir, logger, fetch: countingFetch(seen), timeoutMs: 10_000, plainHTTP: "loopback" });
});

afterEach(async () => {
  await removeDir(cacheDir);
});

describe("HTTP chart repository with basic auth", () => {
  let repo: ChartRepoServer;
  let bad: ChartRepoServer;
  let ref: (extra?: Partial<ChartRef>) => ChartRef;

  beforeAll(async () => {
    repo = await startChartRepo({ basicAuth: ALICE });
    for (const tgz of [CERT_MANAGER, certManager1210, METRICS_SERVER]) await helm.addToRepo(repo.dir, tgz);
    ref = (extra = {}) => ({ repoURL: `${repo.url}/`, chart: "cert-manager", ...extra });

    // A repository helm would not index: entries that lie, by hand.
    bad = await startChartRepo();
    await writeFile(join(bad.dir, "not-a-chart-1.0.0.tgz"), "this is not a chart\n");
    await helm.addToRepo(join(bad.dir, "real"), METRICS_SERVER);
    await writeFile(
      join(bad.dir, "index.yaml"),
      [
        "apiVersion: v1",
        "entries:",
        "  broken:",
        "    - {name: broken, version: 1.0.0, urls: [not-a-chart-1.0.0.tgz]}",
        "  impostor:",
        "    - {name: impostor, version: 3.13.1, urls: [real/metrics-server-3.13.1.tgz]}",
        "  lying:",
        `    - {name: lying, version: 3.13.1, urls: [real/metrics-server-3.13.1.tgz], digest: "${"0".repeat(64)}"}`,
        "  elsewhere:",
        `    - {name: metrics-server, version: 3.13.1, urls: ["${repo.url}/metrics-server-3.13.1.tgz"]}`,
        "",
      ].join("\n"),
    );
  });

  afterAll(async () => {
    await repo?.dispose();
    await bad?.dispose();
  });

  it("resolves an exact version with good credentials; the digest is the archive's sha256", async () => {
    const got = await fetcher.resolve(ref({ version: "1.21.0" }), ALICE);
    expect(got).toMatchObject({ version: "1.21.0", digest: await sha256(certManager1210), url: `${repo.url}/cert-manager-1.21.0.tgz`, fromCache: false });
    expect(got.path).toBe(join(cacheDir, `${got.digest.replace(":", "-")}.tgz`));
    expect(await sha256(got.path)).toBe(got.digest);
  });

  it("a range picks the highest match; no version picks the latest", async () => {
    expect((await fetcher.resolve(ref({ version: "~1.21.0" }), ALICE)).version).toBe("1.21.1");
    expect((await fetcher.resolve({ repoURL: repo.url, chart: "metrics-server" }, ALICE)).version).toBe("3.13.1");
  });

  it("no credentials, or wrong ones: Unauthorized", async () => {
    expect(await failure(fetcher, ref())).toMatchObject({ reason: "Unauthorized", message: expect.stringContaining(`${repo.url}/index.yaml`) });
    expect((await failure(fetcher, ref(), WRONG)).reason).toBe("Unauthorized");
  });

  it("a version or chart the index lacks: VersionNotFound, ChartNotFound", async () => {
    const missing = await failure(fetcher, ref({ version: "~1.22.0" }), ALICE);
    expect(missing).toMatchObject({ reason: "VersionNotFound", message: expect.stringContaining("offered: 1.21.1, 1.21.0") });
    expect((await failure(fetcher, ref({ chart: "nginx" }), ALICE)).reason).toBe("ChartNotFound");
  });

  it("a pinned digest the chart does not have: DigestMismatch, without downloading it", async () => {
    const got = await failure(fetcher, ref({ version: "1.21.1", digest: `sha256:${"1".repeat(64)}` }), ALICE);
    expect(got).toMatchObject({ reason: "DigestMismatch", message: expect.stringContaining(`pins sha256:${"1".repeat(64)}`) });
    expect(seen.filter((u) => u.endsWith(".tgz"))).toEqual([]);
  });

  it("a pinned digest that matches resolves", async () => {
    const digest = await sha256(CERT_MANAGER);
    expect(await fetcher.resolve(ref({ version: "1.21.1", digest }), ALICE)).toMatchObject({ version: "1.21.1", digest });
  });

  it("a second resolve is served from the cache: the index is read, the chart not downloaded", async () => {
    repo.requests.length = 0;
    const first = await fetcher.resolve(ref({ version: "1.21.1" }), ALICE);
    const second = await fetcher.resolve(ref({ version: "1.21.1" }), ALICE);
    expect(second).toEqual({ ...first, fromCache: true });
    const paths = repo.requests.map((r) => `${r.path} ${r.status}`);
    expect(paths).toEqual(["/index.yaml 200", "/cert-manager-1.21.1.tgz 200", "/index.yaml 200"]);
  });

  it("entries that lie: NotAChart, another chart inside, a wrong index digest", async () => {
    expect(await failure(fetcher, { repoURL: bad.url, chart: "broken" })).toMatchObject({ reason: "NotAChart", message: expect.stringContaining("not-a-chart-1.0.0.tgz is not a gzipped tar archive") });
    expect(await failure(fetcher, { repoURL: bad.url, chart: "impostor" })).toMatchObject({ reason: "NotAChart", message: expect.stringContaining("holds chart metrics-server 3.13.1; expected impostor 3.13.1") });
    expect(await failure(fetcher, { repoURL: bad.url, chart: "lying" })).toMatchObject({ reason: "DigestMismatch", message: expect.stringContaining(`says sha256:${"0".repeat(64)}`) });
  });

  it("credentials go only to the repository's own origin", async () => {
    repo.requests.length = 0;
    bad.requests.length = 0;
    // The index of `bad` sends the download to `repo`: the request goes out without bad's credentials.
    expect((await failure(fetcher, { repoURL: bad.url, chart: "elsewhere" }, ALICE)).reason).toBe("Unauthorized");
    expect(bad.requests.map((r) => r.authorization)).toEqual([true]);
    expect(repo.requests.map((r) => [r.path, r.authorization])).toEqual([["/metrics-server-3.13.1.tgz", false]]);
  });

  it("a redirect to another origin drops the credentials; one within the origin keeps them", async () => {
    await helm.addToRepo(join(repo.dir, "moved"), METRICS_SERVER);
    repo.redirects.set("/metrics-server-3.13.1.tgz", "/moved/metrics-server-3.13.1.tgz");
    bad.redirects.set("/real/metrics-server-3.13.1.tgz", `${repo.url}/moved/metrics-server-3.13.1.tgz`);
    try {
      repo.requests.length = 0;
      expect((await fetcher.resolve({ repoURL: repo.url, chart: "metrics-server" }, ALICE)).version).toBe("3.13.1");
      expect(repo.requests.map((r) => [r.path, r.status, r.authorization])).toEqual([
        ["/index.yaml", 200, true],
        ["/metrics-server-3.13.1.tgz", 302, true],
        ["/moved/metrics-server-3.13.1.tgz", 200, true],
      ]);
      repo.requests.length = 0;
      expect((await failure(fetcher, { repoURL: bad.url, chart: "impostor" }, ALICE)).reason).toBe("Unauthorized");
      expect(repo.requests.map((r) => [r.path, r.authorization])).toEqual([["/moved/metrics-server-3.13.1.tgz", false]]);
    } finally {
      repo.redirects.clear();
      bad.redirects.clear();
    }
  });

  it("a chart over the size bound: TooLarge", async () => {
    const small = new ChartFetcher({ cacheDir, logger, limits: { maxChartBytes: 10_000 } });
    expect((await failure(small, ref({ version: "1.21.1" }), ALICE)).reason).toBe("TooLarge");
  });

  it("a server that is down: Unreachable", async () => {
    await repo.stop();
    try {
      // ECONNREFUSED, or "other side closed" when a kept-alive connection was cut by the stop
      expect(await failure(fetcher, ref(), ALICE)).toMatchObject({ reason: "Unreachable", message: expect.stringContaining(`GET ${repo.url}/index.yaml`) });
    } finally {
      await repo.start();
    }
    expect((await fetcher.resolve(ref(), ALICE)).version).toBe("1.21.1");
  });
});

const BOB: Credentials = { username: "bob", password: "s3cret-bob" };
const HELM_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
const basicHeader = (c: Credentials): string => `Basic ${Buffer.from(`${c.username}:${c.password}`).toString("base64")}`;

/** What the registry was asked for, from the counting fetch: blob downloads and token requests. */
const blobGets = (): string[] => seen.filter((u) => u.includes("/blobs/"));

describe.each([
  { mode: "htpasswd" as const, start: () => startRegistry({ auth: { mode: "htpasswd", users: { [ALICE.username]: ALICE.password, [BOB.username]: BOB.password } } }) },
  {
    mode: "token" as const,
    start: () =>
      startRegistry({
        auth: {
          mode: "token",
          users: {
            [ALICE.username]: { password: ALICE.password, grants: [{ prefix: "charts/", actions: ["pull", "push"] }] },
            [BOB.username]: { password: BOB.password, grants: [{ prefix: "elsewhere/", actions: ["pull"] }] },
          },
        },
      }),
  },
])("OCI registry ($mode)", ({ mode, start }) => {
  let registry: Registry;
  let ref: (extra?: Partial<ChartRef>) => ChartRef;

  beforeAll(async () => {
    registry = await start();
    for (const tgz of [CERT_MANAGER, certManager1210, METRICS_SERVER]) await helm.push(tgz, `${registry.ociURL}/charts`, ALICE);
    ref = (extra = {}) => ({ repoURL: `${registry.ociURL}/charts`, chart: "cert-manager", ...extra });
  });

  afterAll(async () => {
    await registry?.dispose();
  });

  it("resolves an exact version, a range and the latest; the digest is the pushed archive's sha256", async () => {
    const exact = await fetcher.resolve(ref({ version: "1.21.0" }), ALICE);
    expect(exact).toMatchObject({ version: "1.21.0", digest: await sha256(certManager1210), url: `oci://${registry.host}/charts/cert-manager:1.21.0`, fromCache: false });
    expect(await sha256(exact.path)).toBe(exact.digest);
    expect((await fetcher.resolve(ref({ version: "~1.21.0" }), ALICE)).digest).toBe(await sha256(CERT_MANAGER));
    expect((await fetcher.resolve(ref({ chart: "metrics-server" }), ALICE)).version).toBe("3.13.1");
  });

  it("no credentials, or wrong ones: Unauthorized", async () => {
    expect((await failure(fetcher, ref())).reason).toBe("Unauthorized");
    expect((await failure(fetcher, ref(), WRONG)).reason).toBe("Unauthorized");
  });

  it("a version or chart the registry lacks: VersionNotFound, ChartNotFound", async () => {
    expect(await failure(fetcher, ref({ version: "2.x" }), ALICE)).toMatchObject({ reason: "VersionNotFound", message: expect.stringContaining(`oci://${registry.host}/charts/cert-manager`) });
    expect((await failure(fetcher, ref({ chart: "nginx" }), ALICE)).reason).toBe("ChartNotFound");
  });

  it("a pinned digest the chart layer does not have: DigestMismatch, without downloading the blob", async () => {
    expect((await failure(fetcher, ref({ version: "1.21.1", digest: `sha256:${"2".repeat(64)}` }), ALICE)).reason).toBe("DigestMismatch");
    expect(blobGets()).toEqual([]);
  });

  it("a second resolve finds the layer digest in the cache and downloads no blob", async () => {
    const first = await fetcher.resolve(ref({ version: "1.21.1" }), ALICE);
    expect(blobGets()).toHaveLength(1);
    const second = await fetcher.resolve(ref({ version: "1.21.1" }), ALICE);
    expect(second).toEqual({ ...first, fromCache: true });
    expect(blobGets()).toHaveLength(1);
  });

  if (mode === "htpasswd") {
    it("an artifact whose chart layer is no chart, or an image without one: NotAChart", async () => {
      const auth = basicHeader(ALICE);
      await pushRawArtifact(registry.host, "charts/fake", "1.0.0", { layer: Buffer.from("not a chart"), layerMediaType: HELM_LAYER }, auth);
      await pushRawArtifact(registry.host, "charts/image", "1.0.0", { layer: Buffer.from("layer"), layerMediaType: "application/vnd.oci.image.layer.v1.tar+gzip", configMediaType: "application/vnd.oci.image.config.v1+json" }, auth);
      expect(await failure(fetcher, ref({ chart: "fake" }), ALICE)).toMatchObject({ reason: "NotAChart", message: expect.stringContaining("not a gzipped tar archive") });
      expect(await failure(fetcher, ref({ chart: "image" }), ALICE)).toMatchObject({ reason: "NotAChart", message: expect.stringContaining(`has no ${HELM_LAYER} layer`) });
    });
  }

  if (mode === "token") {
    it("a user the issuer grants no pull of the repository: Forbidden (a narrowed token, or the issuer's 403)", async () => {
      const issuer = registry.issuer;
      if (issuer === undefined) throw new Error("token mode without an issuer");
      expect(await failure(fetcher, ref(), BOB)).toMatchObject({ reason: "Forbidden", message: expect.stringContaining("granted no pull access") });
      issuer.denyWith = "forbid";
      try {
        expect((await failure(fetcher, ref(), BOB)).reason).toBe("Forbidden");
        expect(issuer.requests.at(-1)).toMatchObject({ status: 403, user: "bob", scope: "repository:charts/cert-manager:pull" });
      } finally {
        issuer.denyWith = "narrow";
      }
    });
  }

  it("a registry that is not there: Unreachable", async () => {
    const port = await freePort();
    expect((await failure(fetcher, { repoURL: `oci://127.0.0.1:${port}/charts`, chart: "cert-manager" }, ALICE)).reason).toBe("Unreachable");
  });

  it("https unless plain HTTP is allowed: the default fetcher fails the TLS handshake with the plain-HTTP registry", async () => {
    const strict = new ChartFetcher({ cacheDir, logger, timeoutMs: 10_000 });
    expect(await failure(strict, ref(), ALICE)).toMatchObject({ reason: "Unreachable", message: expect.stringContaining(`GET https://${registry.host}/v2/charts/cert-manager/tags/list`) });
  });
});

describe("the cache file", () => {
  it("is written whole under its digest, with no temp files left, and re-fetched when damaged", async () => {
    const repo = await startChartRepo();
    try {
      await helm.addToRepo(repo.dir, METRICS_SERVER);
      const got = await fetcher.resolve({ repoURL: repo.url, chart: "metrics-server", version: "3.13.1" });
      expect((await stat(got.path)).size).toBe((await stat(METRICS_SERVER)).size);
      expect(fetcher.cachePath(got.digest)).toBe(got.path);
      expect(await readdir(cacheDir)).toEqual([basename(got.path)]);
      // A damaged cache file (it no longer hashes to its name) is dropped and the chart fetched again.
      await writeFile(got.path, "damaged");
      repo.requests.length = 0;
      const again = await fetcher.resolve({ repoURL: repo.url, chart: "metrics-server", version: "3.13.1", digest: got.digest });
      expect(again).toEqual({ ...got, fromCache: false });
      expect(repo.requests.map((r) => r.path)).toEqual(["/index.yaml", "/metrics-server-3.13.1.tgz"]);
      expect(await sha256(again.path)).toBe(got.digest);
    } finally {
      await repo.dispose();
    }
  });
});
