/** Pure reading of deploy/docker/*.Dockerfile, for the e2e test that runs what the image would run. */

/** The exec-form ENTRYPOINT of the final stage (the last ENTRYPOINT in the file). */
export function entrypointOf(dockerfile: string): string[] {
  const all = [...dockerfile.matchAll(/^ENTRYPOINT\s+(\[.*\])\s*$/gm)];
  const last = all.at(-1);
  if (!last) throw new Error("no exec-form ENTRYPOINT in the Dockerfile");
  const parsed: unknown = JSON.parse(last[1]!);
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === "string")) throw new Error(`ENTRYPOINT is not a list of strings: ${last[1]}`);
  return parsed;
}

/**
 * The Node arguments of an ENTRYPOINT that runs `node`, with its paths under the image's `appDir`
 * moved to where the same tree lies on this machine (`treeDir`): the command the image would run.
 */
export function nodeArgsOnTree(entrypoint: readonly string[], appDir: string, treeDir: string): string[] {
  const [node, ...args] = entrypoint;
  if (!node || !/\/node$/.test(node)) throw new Error(`ENTRYPOINT does not run node: ${JSON.stringify(entrypoint)}`);
  return args.map((a) => (a.startsWith(`${appDir}/`) ? `${treeDir}${a.slice(appDir.length)}` : a));
}
