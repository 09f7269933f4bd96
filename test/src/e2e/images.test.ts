import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FLOTILLA_VERSION } from "@flotilla/shared/version";
import { agentNodeFlags, repoRoot } from "../fleet/cli-path.js";
import { Fleet } from "../fleet/fleet.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";
import { entrypointOf, nodeArgsOnTree } from "../images/dockerfile.js";
import { buildTree, diskKiB, listTree } from "../images/listing.js";
import { treeViolations, type TreeKind } from "../images/tree-rules.js";
import { demoAddon, Hub, metric, Spoke, waitFor } from "./support.js";

/** Where both Dockerfiles copy their tree (`COPY --from=build /out /app`). */
const APP_DIR = "/app";
const KINDS: readonly TreeKind[] = ["hub", "agent"];

const dockerfile = (kind: TreeKind) => readFile(repoRoot(`deploy/docker/${kind}.Dockerfile`), "utf8");

/**
 * The images' production trees (deploy/docker/build-tree.mjs, the script both Dockerfiles run in their
 * build stage): built here the same way, checked for what they hold, then a hub and an agent started
 * from them exactly as each image's ENTRYPOINT starts them, against a real fleet.
 */
describe("images: the production trees of deploy/docker/*.Dockerfile", () => {
  let dir: string;
  let fleet: Fleet | undefined;
  const tree = (kind: TreeKind) => join(dir, `${kind}-tree`);

  beforeAll(async () => {
    dir = await makeTempDir("e2e-images");
    for (const kind of KINDS) {
      const built = await buildTree(kind, tree(kind));
      // the figures for the docs (deploy/docker/README.md): files, bytes, and disk use as du counts it
      process.stdout.write(`${kind} tree: ${built.files} files, ${(built.bytes / 2 ** 20).toFixed(1)} MiB, du ${((await diskKiB(tree(kind))) / 1024).toFixed(1)} MiB, laid out in ${built.ms} ms\n`);
    }
  });
  afterAll(async () => {
    await fleet?.stop();
    await removeDir(dir);
  });

  it.each(KINDS)("the %s tree holds its image's code and production dependencies, nothing more", async (kind) => {
    expect(treeViolations(kind, await listTree(tree(kind)))).toEqual([]);
  });

  it("both Dockerfiles agree with the code: tree where ENTRYPOINT looks, version, numeric user", async () => {
    for (const kind of KINDS) {
      const text = await dockerfile(kind);
      expect(text).toMatch(new RegExp(`^COPY --from=build /out ${APP_DIR}$`, "m"));
      // the hub installs `ghcr.io/flotilla/agent:<its version>` by default (docs/agent-install.md)
      expect(text).toMatch(new RegExp(`^ARG VERSION=${FLOTILLA_VERSION.replaceAll(".", "\\.")}$`, "m"));
      // the agent-install Deployment runs as 65532 with runAsNonRoot, which needs a numeric USER to check
      expect(text).toMatch(/^USER 65532:65532$/m);
    }
  });

  it("the agent image starts Node with the flags of the agent's entry (its first line)", async () => {
    const args = nodeArgsOnTree(entrypointOf(await dockerfile("agent")), APP_DIR, tree("agent"));
    const entry = args.at(-1)!;
    expect(entry).toBe(join(tree("agent"), "agent/bin/flotilla-agent.js"));
    expect(args.slice(0, -1)).toEqual(agentNodeFlags(entry));
  });

  it("a hub and an agent run from the trees deliver an addon that turns Available", async () => {
    const hubCommand = nodeArgsOnTree(entrypointOf(await dockerfile("hub")), APP_DIR, tree("hub"));
    expect(hubCommand.at(-1)).toBe("hub"); // the fleet adds the subcommand itself
    fleet = await Fleet.start({ clusters: 1, dir: join(dir, "fleet"), hubEntry: hubCommand.slice(0, -1), startAgents: false });
    const agent = await fleet.startAgent("cluster-1", { node: nodeArgsOnTree(entrypointOf(await dockerfile("agent")), APP_DIR, tree("agent")) });
    const hub = new Hub(fleet.hubKubeConfig);
    await hub.createCma(demoAddon("from-images", { greeting: "hi" }));
    await hub.waitAvailable("cluster-1", "from-images", 90_000);
    const spoke = new Spoke(fleet.spoke("cluster-1").kubeConfig);
    const cm = await waitFor("the addon's ConfigMap on the spoke", () => spoke.configMap("from-images-ns", "settings"));
    expect(cm.data?.greeting).toBe("hi from cluster-1");
    const rss = await metric(agent.metricsUrl, "flotilla_process_resident_memory_bytes");
    process.stdout.write(`agent from its tree, one addon Available: ${(rss / 2 ** 20).toFixed(1)} MiB RSS\n`);
  });
});
