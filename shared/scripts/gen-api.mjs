#!/usr/bin/env node
// Generates shared/src/api/{types,crds}.generated.ts from crds/*.yaml.
//   node shared/scripts/gen-api.mjs           write the files
//   node shared/scripts/gen-api.mjs --check   exit 1 if the committed files are stale
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { URL, fileURLToPath } from "node:url";
import { generate, readInputs } from "./gen-api-core.mjs";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const check = process.argv.includes("--check");
const unknown = process.argv.slice(2).filter((a) => a !== "--check");
if (unknown.length > 0) {
  process.stderr.write(`gen-api: unknown arguments: ${unknown.join(" ")}\nusage: gen-api.mjs [--check]\n`);
  process.exit(2);
}

let outputs;
try {
  outputs = generate(readInputs(repoRoot));
} catch (err) {
  process.stderr.write(`gen-api: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}

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
    writeFileSync(path, text);
    process.stdout.write(`gen-api: wrote ${file}\n`);
  }
}

if (stale.length > 0) {
  process.stderr.write(
    `gen-api: out of date with crds/*.yaml: ${stale.join(", ")}\n` + "run `npm run gen` (or node shared/scripts/gen-api.mjs) and commit the result\n",
  );
  process.exit(1);
}
if (check) process.stdout.write("gen-api: generated files are up to date\n");
