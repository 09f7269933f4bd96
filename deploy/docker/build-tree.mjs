#!/usr/bin/env node
// Lays out the production file tree of one Flotilla image: what `deploy/docker/<kind>.Dockerfile` copies
// into its final stage, nothing else. The Dockerfiles run this script in their build stage and
// test/src/e2e/images.test.ts runs it too (then starts hub and agent from the trees), so what the test
// proves is what the image holds. deploy/docker/README.md says what each tree holds and why.
//
//   node deploy/docker/build-tree.mjs hub|agent --out DIR [--skip-build]
//
// hub:   hub/ and shared/ (package.json, bin, dist without declarations) and node_modules with the
//        production dependencies of those two only, installed by `npm ci --omit=dev` from the lockfile.
// agent: agent/package.json (trimmed), agent/bin and the esbuild bundle with its map: the bundle already
//        holds shared and every dependency it uses, so the tree has no node_modules at all.
import { execFileSync } from "node:child_process";
import { cp, lstat, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const WORKSPACES = ["shared", "agent", "hub", "test"];
/** Types, declaration maps, build info and any stale test output never reach an image. */
const DIST_SKIP = [/\.d\.ts$/, /\.d\.ts\.map$/, /\.tsbuildinfo$/, /\.test\.js(\.map)?$/];
/** In node_modules: TypeScript sources and declarations, source maps and tests, never loaded at run time. */
const MODULES_SKIP = [/\.[mc]?ts$/, /\.map$/, /\.(test|spec)\.[mc]?js$/];
/** A package's own test folders (pino and thread-stream ship theirs, fixtures and all). */
const PACKAGE_TEST_DIRS = ["test", "tests", "__tests__"];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { out: { type: "string" }, "skip-build": { type: "boolean", default: false } },
});
const kind = positionals[0];
if ((kind !== "hub" && kind !== "agent") || !values.out || positionals.length !== 1) {
  process.stderr.write("usage: node deploy/docker/build-tree.mjs hub|agent --out DIR [--skip-build]\n");
  process.exit(2);
}
const out = resolve(values.out);

const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });

/** Refuses a directory with anything in it: the tree is laid out from nothing, and nothing else is deleted. */
async function emptyOut(dir) {
  const entries = await readdir(dir).catch((err) => (err.code === "ENOENT" ? [] : Promise.reject(err)));
  if (entries.length > 0) throw new Error(`--out ${dir} is not empty`);
  await mkdir(dir, { recursive: true });
}

async function copyFiltered(from, to, skip) {
  await cp(from, to, { recursive: true, filter: (src) => !skip.some((re) => re.test(src)) });
}

async function requireFile(path, hint) {
  await lstat(path).catch(() => {
    throw new Error(`${relative(ROOT, path)} is missing: ${hint}`);
  });
}

async function agentTree() {
  const bundle = join(ROOT, "agent/dist/bundle/flotilla-agent.mjs");
  await requireFile(bundle, "build the agent first (npm run build, or drop --skip-build)");
  const pkg = JSON.parse(await readFile(join(ROOT, "agent/package.json"), "utf8"));
  // The bundle needs no package: only what makes bin/*.js an ES module and names the program.
  const trimmed = { name: pkg.name, version: pkg.version, private: true, type: pkg.type, bin: pkg.bin };
  await mkdir(join(out, "agent/dist/bundle"), { recursive: true });
  await writeFile(join(out, "agent/package.json"), JSON.stringify(trimmed, null, 2) + "\n");
  await cp(join(ROOT, "agent/bin"), join(out, "agent/bin"), { recursive: true });
  for (const f of ["flotilla-agent.mjs", "flotilla-agent.mjs.map"]) await cp(join(ROOT, "agent/dist/bundle", f), join(out, "agent/dist/bundle", f));
}

async function hubTree() {
  const keep = ["shared", "hub"];
  for (const w of keep) await requireFile(join(ROOT, w, "dist"), "build first (npm run build, or drop --skip-build)");
  // npm ci checks the lockfile against every workspace's package.json, so all of them are laid down for
  // the install; the ones the hub does not need are removed after it, with what only they brought.
  await cp(join(ROOT, "package.json"), join(out, "package.json"));
  await cp(join(ROOT, "package-lock.json"), join(out, "package-lock.json"));
  for (const w of WORKSPACES) {
    await mkdir(join(out, w), { recursive: true });
    await cp(join(ROOT, w, "package.json"), join(out, w, "package.json"));
  }
  const npmArgs = ["--omit=dev", "--omit=peer", "--workspace=@flotilla/hub", "--include-workspace-root=false"];
  // --prefer-offline: packages already in the npm cache are not fetched again (the test's trees, a warm CI)
  run("npm", ["ci", ...npmArgs, "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], out);
  // The hub's optional peer @flotilla/agent is linked by npm ci all the same; npm ls with the same
  // filters names exactly what the hub and shared need, so everything else goes.
  const needed = new Set(run("npm", ["ls", ...npmArgs, "--all", "--parseable"], out).split("\n").filter(Boolean).map((p) => resolve(p)));
  await pruneModules(out, needed);
  for (const f of ["package.json", "package-lock.json"]) await rm(join(out, f));
  for (const w of WORKSPACES.filter((x) => !keep.includes(x))) await rm(join(out, w), { recursive: true });
  for (const w of keep) await copyFiltered(join(ROOT, w, "dist"), join(out, w, "dist"), DIST_SKIP);
  await cp(join(ROOT, "hub/bin"), join(out, "hub/bin"), { recursive: true });
}

/** Every package folder under `dir`'s node_modules (scoped and nested), whether a folder or a link. */
async function packageDirs(dir) {
  const found = [];
  const nm = join(dir, "node_modules");
  for (const e of await readdir(nm, { withFileTypes: true }).catch(() => [])) {
    if (e.name.startsWith(".")) continue;
    const names = e.name.startsWith("@") ? (await readdir(join(nm, e.name))).map((n) => join(e.name, n)) : [e.name];
    for (const n of names) {
      const p = join(nm, n);
      found.push(p);
      if (!(await lstat(p)).isSymbolicLink()) found.push(...(await packageDirs(p)));
    }
  }
  return found;
}

/**
 * Removes packages npm ls did not name, type-only packages (@types/*, needed by npm's graph, never
 * loaded), the packages' own tests, npm's own bookkeeping (.bin links, the hidden lockfile), files never
 * loaded, and the folders that leaves empty.
 */
async function pruneModules(dir, needed) {
  const all = await packageDirs(dir);
  for (const w of WORKSPACES) all.push(...(await packageDirs(join(dir, w))));
  for (const p of all) {
    if (!needed.has(p) || /[/\\]@types[/\\]/.test(p)) await rm(p, { recursive: true, force: true });
    else for (const t of PACKAGE_TEST_DIRS) await rm(join(p, t), { recursive: true, force: true });
  }
  for (const nm of [join(dir, "node_modules"), ...WORKSPACES.map((w) => join(dir, w, "node_modules"))]) {
    await rm(join(nm, ".bin"), { recursive: true, force: true });
    await rm(join(nm, ".package-lock.json"), { force: true });
    await stripFiles(nm, MODULES_SKIP);
  }
}

/** Deletes the files `skip` matches under `dir`, then `dir` itself if that left it empty; true when it did. */
async function stripFiles(dir, skip) {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  let left = entries.length;
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (await stripFiles(p, skip)) left -= 1;
    } else if (e.isFile() && skip.some((re) => re.test(e.name))) {
      await rm(p);
      left -= 1;
    }
  }
  if (left === 0) await rm(dir, { recursive: true, force: true });
  return left === 0;
}

async function measure(dir) {
  let files = 0;
  let bytes = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    files += 1;
    bytes += (await lstat(join(e.parentPath, e.name))).size;
  }
  return { files, bytes };
}

const t0 = performance.now();
await emptyOut(out);
// The workspace's own build: `tsc -b` follows its project references (shared), the agent's adds the bundle.
// Turbo is not needed for one workspace and its references (and a Docker build context has no .git for its hashes).
if (!values["skip-build"]) run("npm", ["run", "build", `--workspace=@flotilla/${kind}`, "--silent"], ROOT);
await (kind === "hub" ? hubTree() : agentTree());
const { files, bytes } = await measure(out);
const ms = Math.round(performance.now() - t0);
process.stdout.write(`${JSON.stringify({ tree: kind, out, files, bytes, ms })}\n`);
