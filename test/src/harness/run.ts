import { randomBytes } from "node:crypto";

/** Environment variable naming the harness run; every process the harness starts carries it. */
export const HARNESS_RUN_ENV = "FLOTILLA_HARNESS_RUN";

/** A new run id: short, lowercase, safe in file names and as a DNS label. */
export function newRunId(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
}

/**
 * The current run id: `FLOTILLA_HARNESS_RUN` from the environment, or a new one that is written back to
 * `process.env` so every later process, temp dir and worker of this process agrees on it.
 */
export function harnessRunId(env: NodeJS.ProcessEnv = process.env): string {
  const current = env[HARNESS_RUN_ENV];
  if (current !== undefined && current !== "") return current;
  const id = newRunId();
  env[HARNESS_RUN_ENV] = id;
  return id;
}
