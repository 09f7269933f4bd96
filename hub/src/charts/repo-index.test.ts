import { describe, expect, it } from "vitest";
import { readIndex, type IndexRead } from "./repo-index.js";

const HEX = "a".repeat(64);
const INDEX = `apiVersion: v1
entries:
  cert-manager:
    - version: 1.21.1
      urls: [cert-manager-1.21.1.tgz]
      digest: ${HEX.toUpperCase()}
    - version: 1.21.0
      urls: ["https://cdn.example/cert-manager-1.21.0.tgz", "mirror/cert-manager-1.21.0.tgz"]
    - version: 1.20.0
      urls: []
    - urls: [no-version.tgz]
    - 7
  broken:
    - version: 1.0.0
      urls: [b.tgz]
      digest: md5:abc
  scalar: 3
  numeric:
    - version: 1.0.0
      urls: [n.tgz]
      digest: 0000000000000000000000000000000000000000000000000000000000000000
`;

describe("readIndex", () => {
  it.each<[string, string, string, IndexRead]>([
    [
      "a chart's usable entries, digests normalised",
      INDEX,
      "cert-manager",
      {
        ok: true,
        entries: [
          { version: "1.21.1", urls: ["cert-manager-1.21.1.tgz"], digest: `sha256:${HEX}` },
          { version: "1.21.0", urls: ["https://cdn.example/cert-manager-1.21.0.tgz", "mirror/cert-manager-1.21.0.tgz"] },
        ],
      },
    ],
    ["a chart the index lacks", INDEX, "nginx", { ok: false, reason: "ChartNotFound", message: "index.yaml has no chart named nginx" }],
    ["entries not a list", INDEX, "scalar", { ok: false, reason: "InvalidRepository", message: "index.yaml entries.scalar is not a list" }],
    ["a digest that is no sha256", INDEX, "broken", { ok: false, reason: "InvalidRepository", message: "index.yaml gives broken 1.0.0 a digest that is not sha256 hex: md5:abc" }],
    ["a digest YAML reads as a number", INDEX, "numeric", { ok: false, reason: "InvalidRepository", message: "index.yaml gives numeric 1.0.0 a digest that is not sha256 hex: 0" }],
    ["no entries map (an HTML page)", "<html><body>hello</body></html>", "x", { ok: false, reason: "InvalidRepository", message: "index.yaml has no entries map" }],
  ])("%s", (_name, text, chart, expected) => {
    expect(readIndex(text, chart)).toEqual(expected);
  });

  it("YAML that does not parse is an invalid repository", () => {
    const read = readIndex("entries: [\n  - :", "x");
    expect(read).toMatchObject({ ok: false, reason: "InvalidRepository" });
    expect(read.ok || read.message.startsWith("index.yaml is not YAML")).toBe(true);
  });
});
