// Bundles the built agent (dist/main.js and what it imports, shared and node_modules included) into one
// file, dist/bundle/flotilla-agent.mjs, which bin/flotilla-agent.js runs when it exists. One file with
// unused exports dropped costs the idle agent far less memory than the thousands of modules of the
// Kubernetes client loaded one by one (agent/README.md, "Memory"; `npm run bench -- --only agent-idle`).
// Runs after `tsc -b` in `npm run build`; reads dist/, so the source maps chain back to src/*.ts.
import { build } from "esbuild";
import { rm, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const agentDir = fileURLToPath(new URL("..", import.meta.url));
const outdir = `${agentDir}dist/bundle`;
await rm(outdir, { recursive: true, force: true });
const t0 = performance.now();
const result = await build({
  absWorkingDir: agentDir,
  entryPoints: { "flotilla-agent": "dist/main.js" },
  outdir,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // CommonJS dependencies (node-fetch, ws, ...) call require() on Node built-ins; an ES module has none.
  banner: { js: 'import { createRequire as __flotillaCreateRequire } from "node:module"; const require = __flotillaCreateRequire(import.meta.url);' },
  // Whitespace and syntax only: identifiers stay, so a stack trace without the map still names functions;
  // half the source text V8 keeps in memory (agent/README.md, "Memory").
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: "linked",
  metafile: true,
  logLevel: "warning",
});
await writeFile(`${outdir}/meta.json`, JSON.stringify(result.metafile));
const out = Object.entries(result.metafile.outputs).find(([name]) => name.endsWith(".mjs"));
console.log(`agent bundle: ${out[0]} ${(out[1].bytes / 2 ** 20).toFixed(1)} MiB in ${Math.round(performance.now() - t0)} ms`);
