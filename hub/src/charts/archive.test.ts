import { gzipSync } from "node:zlib";
import { pack } from "tar-stream";
import { describe, expect, it } from "vitest";
import { readChartFiles } from "./archive.js";
import { checkChartYaml } from "./chart-yaml.js";
import { ChartSourceError } from "./errors.js";

/** A gzipped tar of the given files, made in memory the way `helm package` lays a chart out. */
async function tgz(files: Record<string, string | Buffer>): Promise<Buffer> {
  const p = pack();
  for (const [name, body] of Object.entries(files)) p.entry({ name }, body);
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  return gzipSync(Buffer.concat(chunks));
}

const CHART = { "demo/Chart.yaml": "apiVersion: v2\nname: demo\nversion: 1.2.3\n", "demo/values.yaml": "a: 1\n", "demo/charts/sub/Chart.yaml": "name: sub\nversion: 0.1.0\n" };

describe("readChartFiles", () => {
  it("reads the requested files below the top directory, and only the top chart's", async () => {
    const read = await readChartFiles(await tgz(CHART), ["Chart.yaml", "values.yaml", "values.schema.json"]);
    expect(read.topDir).toBe("demo");
    expect([...read.files.keys()].sort()).toEqual(["Chart.yaml", "values.yaml"]);
    expect(read.files.get("values.yaml")?.toString()).toBe("a: 1\n");
  });

  it("accepts ./-prefixed entry names", async () => {
    const read = await readChartFiles(await tgz({ "./demo/Chart.yaml": "name: demo\nversion: 1.0.0\n" }), ["Chart.yaml"]);
    expect(read.files.has("Chart.yaml")).toBe(true);
  });

  it.each<[string, () => Promise<Buffer>, string, RegExp]>([
    ["plain text", async () => Buffer.from("hello, not a chart"), "NotAChart", /not a gzipped tar archive/],
    ["gzip of text", async () => gzipSync("hello, not a tar"), "NotAChart", /not a gzipped tar archive|empty archive/],
    ["truncated", async () => (await tgz(CHART)).subarray(0, 60), "NotAChart", /not a gzipped tar archive/],
    ["empty tar", async () => tgz({}), "NotAChart", /empty archive/],
    ["over the decompressed bound", async () => tgz({ "demo/big.bin": Buffer.alloc(2 * 1024 * 1024) }), "TooLarge", /decompresses to over 1048576 bytes/],
    ["a wanted file over its bound", async () => tgz({ "demo/values.yaml": Buffer.alloc(2048) }), "TooLarge", /values.yaml is over 1024 bytes/],
  ])("%s → %s", async (_name, make, reason, message) => {
    const err = await readChartFiles(await make(), ["values.yaml"], { source: "http://repo/x.tgz", maxDecompressedBytes: 1024 * 1024, maxFileBytes: 1024 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChartSourceError);
    expect(err).toMatchObject({ reason, url: "http://repo/x.tgz" });
    expect((err as Error).message).toMatch(message);
  });
});

describe("checkChartYaml", () => {
  it.each<[string, string | undefined, string, string, object]>([
    ["matches", "name: demo\nversion: 1.2.3\n", "demo", "1.2.3", { ok: true }],
    ["v-prefixed version equals", "name: demo\nversion: v1.2.3\n", "demo", "1.2.3", { ok: true }],
    ["other chart", "name: other\nversion: 1.2.3\n", "demo", "1.2.3", { ok: false, message: "holds chart other 1.2.3; expected demo 1.2.3" }],
    ["other version", "name: demo\nversion: 1.2.4\n", "demo", "1.2.3", { ok: false, message: "holds chart demo 1.2.4; expected demo 1.2.3" }],
    ["no Chart.yaml", undefined, "demo", "1.2.3", { ok: false, message: "has no Chart.yaml below its top directory" }],
    ["not YAML", "a: [", "demo", "1.2.3", { ok: false, message: "has a Chart.yaml that is not YAML" }],
    ["no version", "name: demo\n", "demo", "1.2.3", { ok: false, message: "has a Chart.yaml without name and version" }],
  ])("%s", (_name, text, chart, version, expected) => {
    expect(checkChartYaml(text, chart, version)).toEqual(expected);
  });
});
