import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

/**
 * The package and layer boundaries of ARCHITECTURE.md are lint rules (architecture.eslint.js). This
 * table proves that each rule fires on the import it forbids and stays quiet on the ones it allows, so
 * a rule that silently stopped matching (a renamed folder, a bad glob) fails here.
 */
const root = fileURLToPath(new URL("../../../", import.meta.url));
const eslint = new ESLint({ cwd: root });

async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${file}` });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === "no-restricted-imports" || m.ruleId === "@typescript-eslint/no-restricted-imports" || m.ruleId === "no-restricted-syntax")
    .map((m) => m.message);
}

const use = "\nexport const used = [x];\n";

describe("package boundaries", () => {
  // Loading the config and the TypeScript parser takes seconds on a busy machine; do it once.
  beforeAll(() => boundaryErrors("shared/src/warm-up.ts", "export {};"), 60_000);

  it.each([
    // rule: shared imports neither hub nor agent (nor the harness)
    ["shared/src/bus/x.ts", `import { runHub as x } from "@flotilla/hub";`, "@flotilla/hub is outside"],
    ["shared/src/bus/x.ts", `import { runAgent as x } from "@flotilla/agent";`, "@flotilla/agent is outside"],
    ["shared/src/bus/x.ts", `import { main as x } from "@flotilla/agent/main";`, "@flotilla/agent is outside"],
    ["shared/src/bus/x.ts", `import { x } from "../../../hub/src/hub.js";`, "reaching into hub/src"],
    ["shared/src/bus/x.ts", `const x = await import("@flotilla/agent");`, `import("@flotilla/agent")`],
    // rule: the agent never imports the hub (nor the harness, nor a CLI framework)
    ["agent/src/apply/x.ts", `import { runHub as x } from "@flotilla/hub";`, "@flotilla/hub is outside"],
    ["agent/src/apply/x.ts", `export { x } from "@flotilla/hub";`, "@flotilla/hub is outside"],
    ["agent/src/main.ts", `import { Command as x } from "commander";`, "no CLI framework"],
    ["agent/src/apply/x.ts", `const x = await import("@flotilla/hub");`, `import("@flotilla/hub")`],
    ["agent/src/apply/x.ts", `import { x } from "../../../hub/src/render/bundle.js";`, "reaching into hub/src"],
    // rule: nothing outside test imports the harness statically
    ["shared/src/k8s/x.ts", `import { Fleet as x } from "@flotilla/test";`, "@flotilla/test is outside"],
    ["agent/src/x.ts", `import { Fleet as x } from "@flotilla/test";`, "@flotilla/test is outside"],
    ["hub/src/hub.ts", `import { Fleet as x } from "@flotilla/test";`, "@flotilla/test is outside"],
    ["hub/src/cli/commands/dev.ts", `import { devUp as x } from "@flotilla/test/dev";`, "@flotilla/test is outside"],
    ["hub/src/controllers/x.ts", `const x = await import("@flotilla/test");`, `import("@flotilla/test")`],
    ["hub/src/session/x.ts", `import { runAgent as x } from "@flotilla/agent";`, "@flotilla/agent is outside"],
    // rule: inside the hub, lower layers never import controllers or session
    ["hub/src/render/x.ts", `import { x } from "../controllers/placement/controller.js";`, "hub/src/controllers is a higher layer"],
    ["hub/src/revision/x.ts", `import { x } from "../session/session.js";`, "hub/src/session is a higher layer"],
    ["hub/src/rollout/x.ts", `import { x } from "../controllers/placement/facts.js";`, "hub/src/controllers is a higher layer"],
    ["hub/src/kube/x.ts", `import type { x } from "../session/context.js";`, "hub/src/session is a higher layer"],
    ["hub/src/charts/x.ts", `import { x } from "../controllers/revisions/x.js";`, "hub/src/controllers is a higher layer"],
    ["hub/src/api/x.ts", `import { x } from "../controllers/status/watcher.js";`, "hub/src/controllers is a higher layer"],
    ["hub/src/configcrd/x.ts", `import { x } from "../controllers/config/controller.js";`, "hub/src/controllers is a higher layer"],
    ["hub/src/imagepolicy/x.ts", `import { x } from "../controllers/placement/image-gate.js";`, "hub/src/controllers is a higher layer"],
    // rule: the dashboard's page takes only types from the hub and shared
    ["hub/web/src/x.tsx", `import { barSegments as x } from "../../src/dashboard/view/bar.js";`, "only types from hub/src"],
    ["hub/web/src/x.ts", `import { findCondition as x } from "@flotilla/shared";`, "only types from @flotilla packages"],
  ])("%s: %s is refused", async (file, code, message) => {
    const errors = await boundaryErrors(file, code + use);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(message);
  });

  it.each([
    ["shared/src/bus/x.ts", `import { x } from "../k8s/informer.js";`],
    ["agent/src/apply/x.ts", `import { BusCodec as x } from "@flotilla/shared";`],
    ["agent/src/main.ts", `import { parseArgs as x } from "node:util";`],
    // the one CLI loads the agent and the harness only when their commands run
    ["hub/src/cli/commands/agent.ts", `const x = await import("@flotilla/agent/main");`],
    ["hub/src/cli/commands/dev.ts", `const x = await import("@flotilla/test/dev");`],
    ["hub/src/controllers/placement/x.ts", `import { x } from "../../render/bundle.js";`],
    ["hub/src/session/x.ts", `import { x } from "../controllers/status/controller.js";`],
    ["hub/src/render/x.ts", `import { x } from "../revision/hash.js";`],
    ["test/src/e2e/x.ts", `import { runHub as x } from "@flotilla/hub";`],
    ["hub/web/src/x.tsx", `import type { AddonView as x } from "../../src/dashboard/view/types.js";`],
    ["hub/web/src/x.tsx", `import { useState as x } from "preact/hooks";`],
  ])("%s: %s is allowed", async (file, code) => {
    expect(await boundaryErrors(file, code + use)).toEqual([]);
  });
});
