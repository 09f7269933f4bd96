#!/usr/bin/env node
import { buildProgram } from "./program.js";

// The one entry point: `flotilla` (also installed as the kubectl plugin `kubectl-flotilla`).
buildProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    process.stderr.write(`flotilla: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
