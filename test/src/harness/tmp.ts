import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { harnessRunId } from "./run.js";

/** Prefix of every temp dir the harness makes for a run: `flotilla-<runId>-`. */
export function tempDirPrefix(runId: string = harnessRunId()): string {
  return `flotilla-${runId}-`;
}

/** Makes `<os.tmpdir()>/flotilla-<runId>-<label>-XXXXXX` and returns its absolute path. */
export async function makeTempDir(label: string): Promise<string> {
  const safe = label.replace(/[^A-Za-z0-9_.-]/g, "_");
  return mkdtemp(join(tmpdir(), `${tempDirPrefix()}${safe}-`));
}

/** Removes a directory tree; a missing directory is fine. */
export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
}
