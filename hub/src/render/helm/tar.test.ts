import { describe, expect, it } from "vitest";
import { tarFiles } from "./tar.js";

const enc = new TextEncoder();

/** A tar entry as Go's archive/tar writes one (name, octal size, type flag, optional ustar prefix). */
function entry(name: string, body: string, type = "0", prefix = ""): Uint8Array {
  const data = enc.encode(body);
  const header = new Uint8Array(512);
  header.set(enc.encode(name.slice(0, 100)), 0);
  header.set(enc.encode(data.length.toString(8).padStart(11, "0")), 124);
  header.set(enc.encode(type), 156);
  header.set(enc.encode("ustar\u000000"), 257);
  header.set(enc.encode(prefix), 345);
  const padded = new Uint8Array(Math.ceil(data.length / 512) * 512);
  padded.set(data);
  return Uint8Array.from([...header, ...padded]);
}
const archive = (...entries: Uint8Array[]) => Uint8Array.from([...entries.flatMap((e) => [...e]), ...new Uint8Array(1024)]);
const paths = (a: Uint8Array) => tarFiles(a).map((f) => [f.path, new TextDecoder().decode(f.data)]);

describe("tarFiles", () => {
  it.each([
    ["plain files", archive(entry("c/Chart.yaml", "name: c\n"), entry("c/templates/a.yaml", "kind: A\n")), [["c/Chart.yaml", "name: c\n"], ["c/templates/a.yaml", "kind: A\n"]]],
    ["directories are skipped", archive(entry("c/", "", "5"), entry("c/values.yaml", "a: 1\n")), [["c/values.yaml", "a: 1\n"]]],
    ["a ustar prefix", archive(entry("a.yaml", "x", "0", "c/templates")), [["c/templates/a.yaml", "x"]]],
    ["a GNU long name", archive(entry("././@LongLink", `c/templates/${"l".repeat(120)}.yaml`, "L"), entry("short", "y")), [[`c/templates/${"l".repeat(120)}.yaml`, "y"]]],
    ["a pax path", archive(entry("PaxHeaders/x", `${30} path=c/templates/p.yaml\n`, "x"), entry("trunc", "z")), [["c/templates/p.yaml", "z"]]],
    ["a body over one block", archive(entry("c/big", "b".repeat(700)), entry("c/next", "n")), [["c/big", "b".repeat(700)], ["c/next", "n"]]],
    ["an empty archive", archive(), []],
  ])("%s", (_name, a, want) => {
    expect(paths(a)).toEqual(want);
  });
});
