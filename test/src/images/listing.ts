import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "../fleet/cli-path.js";
import type { LockEntry, TreeKind, TreeListing } from "./tree-rules.js";

const run = promisify(execFile);

/** Lays out the production tree of `kind` with the script its Dockerfile runs; returns the script's summary. */
export async function buildTree(kind: TreeKind, out: string): Promise<{ files: number; bytes: number; ms: number }> {
  const { stdout } = await run(process.execPath, [repoRoot("deploy/docker/build-tree.mjs"), kind, "--out", out], { cwd: repoRoot(), maxBuffer: 16 << 20 });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as { files: number; bytes: number; ms: number };
}

/** Every file and every package under any node_modules of `dir`, and the repository's lockfile entries. */
export async function listTree(dir: string): Promise<TreeListing> {
  const files: string[] = [];
  const packages: string[] = [];
  const walk = async (at: string): Promise<void> => {
    for (const e of await readdir(at, { withFileTypes: true })) {
      const p = join(at, e.name);
      const rel = relative(dir, p).split(sep).join("/");
      if (e.isFile()) files.push(rel);
      else if (/(^|\/)node_modules\/(@[^/]+\/)?[^@./][^/]*$/.test(rel)) packages.push(rel); // a package: its folder or workspace link
      if (e.isDirectory()) await walk(p);
    }
  };
  await walk(dir);
  const lock = JSON.parse(await readFile(repoRoot("package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> };
  return { files, packages, lock: lock.packages };
}

/** Disk use of `dir` as `du -sk` reports it (blocks, so small files count more than their bytes), in KiB. */
export async function diskKiB(dir: string): Promise<number> {
  const { stdout } = await run("du", ["-sk", dir]);
  return Number(stdout.split(/\s/)[0]);
}
