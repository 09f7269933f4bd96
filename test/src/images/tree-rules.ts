/**
 * What an image's production tree (deploy/docker/build-tree.mjs) may hold, as a pure check over its
 * listing: the e2e test (src/e2e/images.test.ts) lists a real tree and asserts no violation.
 */
export type TreeKind = "hub" | "agent";

/** A package-lock.json `packages` entry, as far as these rules read it. */
export interface LockEntry {
  dev?: boolean;
  link?: boolean;
}

export interface TreeListing {
  /** Every regular file, relative to the tree, `/`-separated. */
  files: readonly string[];
  /** Every package folder or link under any `node_modules` (`node_modules/ws`, `shared/node_modules/ajv`). */
  packages: readonly string[];
  /** The repository lockfile's `packages`, keyed by install path as npm writes it. */
  lock: Readonly<Record<string, LockEntry>>;
}

/** The folders at the top of each tree: the workspaces its image runs, and the hub's dependencies. */
const TOP: Record<TreeKind, readonly string[]> = { hub: ["hub", "shared", "node_modules"], agent: ["agent"] };

/** Files without which the image's entry point cannot start. */
const REQUIRED: Record<TreeKind, readonly string[]> = {
  hub: ["hub/package.json", "hub/bin/flotilla.js", "hub/dist/cli/main.js", "shared/package.json", "shared/dist/index.js"],
  agent: ["agent/package.json", "agent/bin/flotilla-agent.js", "agent/dist/bundle/flotilla-agent.mjs"],
};

/** Development tools named outright (the lockfile's `dev` flag catches the rest, transitive ones too). */
const DEV_TOOLS = ["typescript", "vitest", "eslint", "esbuild", "turbo", "fast-check", "json-schema-to-typescript"];
/** Workspaces neither image carries (the hub image runs no agent: `flotilla agent` says to use the agent's). */
const FOREIGN_WORKSPACES = ["@flotilla/agent", "@flotilla/test"];

const isTs = (f: string) => /\.[cm]?ts$/.test(f);
/** Compiled tests, snapshots, and a package's own test folder (`node_modules/pino/test/...`). */
const isTestOutput = (f: string) =>
  /\.(test|spec)\.[cm]?js(\.map)?$/.test(f) || /(^|\/)__snapshots__\//.test(f) || /(^|\/)node_modules\/(@[^/]+\/)?[^/]+\/(test|tests|__tests__)\//.test(f);
/** The package name of an install path: the part after its last `node_modules/`. */
const packageName = (p: string) => p.slice(p.lastIndexOf("node_modules/") + "node_modules/".length);

/** Every way the listing breaks the rules of its kind; empty when it holds exactly what it should. */
export function treeViolations(kind: TreeKind, t: TreeListing): string[] {
  const out: string[] = [];
  const files = new Set(t.files);
  const tops = new Set([...t.files, ...t.packages].map((f) => f.split("/")[0]!));
  for (const top of tops) if (!TOP[kind].includes(top)) out.push(`${top}/: not part of the ${kind} image`);
  for (const f of REQUIRED[kind]) if (!files.has(f)) out.push(`${f}: missing`);
  for (const f of t.files) {
    if (isTs(f)) out.push(`${f}: TypeScript source or declaration`);
    if (isTestOutput(f)) out.push(`${f}: test output`);
    if (f.endsWith(".map") && !files.has(f.slice(0, -".map".length))) out.push(`${f}: a source map without the file it maps`);
  }
  if (kind === "agent") {
    // the bundle holds shared and every dependency: a node_modules would be dead weight or a bundling hole
    for (const p of t.packages) out.push(`${p}: the agent image runs its bundle, it has no node_modules`);
    for (const f of t.files) if (f.startsWith("agent/") && !/^agent\/(package\.json|bin\/[^/]+|dist\/bundle\/[^/]+)$/.test(f)) out.push(`${f}: not the agent's entry or bundle`);
    return out;
  }
  for (const p of t.packages) {
    const name = packageName(p);
    const entry = t.lock[p];
    if (FOREIGN_WORKSPACES.includes(name)) out.push(`${p}: a workspace the hub image does not carry`);
    else if (DEV_TOOLS.includes(name)) out.push(`${p}: a development tool`);
    else if (name.startsWith("@types/")) out.push(`${p}: types only`);
    else if (!entry) out.push(`${p}: not in package-lock.json`);
    else if (entry.dev) out.push(`${p}: a development dependency`);
  }
  return out;
}
