// Writes generated files, or with `check` only compares them: shared by the generators (`npm run gen`).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import process from "node:process";

/** Parses `[--check]`; exits 2 on anything else. */
export function parseCheckFlag(tool, argv) {
  const unknown = argv.filter((a) => a !== "--check");
  if (unknown.length > 0) {
    process.stderr.write(`${tool}: unknown arguments: ${unknown.join(" ")}\nusage: ${tool} [--check]\n`);
    process.exit(2);
  }
  return argv.includes("--check");
}

/**
 * Writes each output (path relative to `repoRoot` → text) that differs; with `check`, writes nothing and
 * exits 1 naming the stale files, with `hint` saying what to run.
 */
export function writeGenerated({ tool, repoRoot, outputs, check, stale: staleWhat }) {
  const stale = [];
  for (const [file, text] of Object.entries(outputs)) {
    const path = join(repoRoot, file);
    let current;
    try {
      current = readFileSync(path, "utf8");
    } catch {
      current = undefined;
    }
    if (current === text) continue;
    if (check) {
      stale.push(file);
    } else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      process.stdout.write(`${tool}: wrote ${file}\n`);
    }
  }
  if (stale.length > 0) {
    process.stderr.write(`${tool}: out of date with ${staleWhat}: ${stale.join(", ")}\nrun \`npm run gen\` and commit the result\n`);
    process.exit(1);
  }
  if (check) process.stdout.write(`${tool}: generated files are up to date\n`);
}

/** Runs `generate()`, printing its error and exiting 1 when it throws. */
export function generateOrExit(tool, generate) {
  try {
    return generate();
  } catch (err) {
    process.stderr.write(`${tool}: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
