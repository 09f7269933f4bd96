#!/usr/bin/env node
// Writes the charts' copies of crds/*.yaml and deploy/rbac/*.yaml (sync-core.mjs says how); part of `npm run gen`.
//   node deploy/charts/sync.mjs           write the files
//   node deploy/charts/sync.mjs --check   exit 1 if a chart's copy differs from its source
import process from "node:process";
import { URL, fileURLToPath } from "node:url";
import { generateOrExit, parseCheckFlag, writeGenerated } from "../../shared/scripts/generated-files.mjs";
import { generate, readInputs } from "./sync-core.mjs";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const check = parseCheckFlag("charts-sync", process.argv.slice(2));
const outputs = generateOrExit("charts-sync", () => generate(readInputs(repoRoot)));
writeGenerated({ tool: "charts-sync", repoRoot, outputs, check, stale: "crds/ and deploy/rbac/" });
