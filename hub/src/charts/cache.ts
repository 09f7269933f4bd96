import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { normalizeDigest } from "./digest.js";

/**
 * Charts on disk by digest: `<dir>/sha256-<hex>.tgz`. Content-addressed, so an entry never changes and
 * concurrent writers of one digest write the same bytes; each writes a temp file and renames it into
 * place, so a reader never sees half a chart.
 */
export class ChartCache {
  constructor(readonly dir: string) {}

  pathOf(digest: string): string {
    const d = normalizeDigest(digest);
    if (d === undefined) throw new Error(`not a sha256 digest: ${digest}`);
    return join(this.dir, `${d.replace(":", "-")}.tgz`);
  }

  /** The cached bytes, or undefined when there are none. */
  async read(digest: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.pathOf(digest));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
  }

  /** Stores the bytes (whose digest the caller has checked) and returns their path. */
  async write(digest: string, bytes: Uint8Array): Promise<string> {
    const path = this.pathOf(digest);
    await mkdir(this.dir, { recursive: true });
    const tmp = `${path}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
    try {
      await writeFile(tmp, bytes);
      await rename(tmp, path);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    return path;
  }

  async remove(digest: string): Promise<void> {
    await rm(this.pathOf(digest), { force: true });
  }
}
