#!/usr/bin/env node
// Generates shared/src/api/{types,crds}.generated.ts from crds/*.yaml.
//   node shared/scripts/gen-api.mjs           write the files
//   node shared/scripts/gen-api.mjs --check   exit 1 if the committed files are stale
import process from "node:process";
import { URL, fileURLToPath } from "node:url";
import { generate, readInputs } from "./gen-api-core.mjs";
import { generateOrExit, parseCheckFlag, writeGenerated } from "./generated-files.mjs";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const check = parseCheckFlag("gen-api", process.argv.slice(2));
const outputs = generateOrExit("gen-api", () => generate(readInputs(repoRoot)));
writeGenerated({ tool: "gen-api", repoRoot, outputs, check, stale: "crds/*.yaml" });
