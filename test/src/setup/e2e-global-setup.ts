/**
 * Vitest global setup for the integration and end-to-end tiers. Gives the run a fresh harness run id
 * (inherited by the test workers and every process they start), builds or finds the binaries once up
 * front so a first build's progress shows once, and at the end fails the run if any process or temp dir
 * of the run is still there, after killing and removing it.
 */
import { ensureBinaries } from "../harness/binaries.js";
import { assertRunClean } from "../harness/hygiene.js";
import { stderrLogger } from "../harness/logger.js";
import { HARNESS_RUN_ENV, newRunId } from "../harness/run.js";

export async function setup(): Promise<void> {
  const runId = newRunId();
  process.env[HARNESS_RUN_ENV] = runId;
  const started = Date.now();
  const binaries = await ensureBinaries({ log: stderrLogger("flotilla harness") });
  const ms = Date.now() - started;
  if (ms > 2000) process.stderr.write(`[flotilla harness] binaries ready in ${ms} ms: ${JSON.stringify(binaries)}\n`);
}

export async function teardown(): Promise<void> {
  const runId = process.env[HARNESS_RUN_ENV];
  if (runId !== undefined) await assertRunClean(runId);
}
