import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { pidAlive } from "../harness/processes.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";

const testRoot = fileURLToPath(new URL("../..", import.meta.url));

describe("harness hygiene", () => {
  it("fails a test run that leaves a process or a temp dir behind, and removes them", async () => {
    const scratch = await makeTempDir("hygiene");
    const report = join(scratch, "leak.json");
    try {
      const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
        const env: NodeJS.ProcessEnv = { ...process.env, LEAK_REPORT: report };
        delete env.FLOTILLA_HARNESS_RUN; // the nested run gets its own run id from its global setup
        execFile(process.execPath, [join(testRoot, "..", "node_modules", "vitest", "vitest.mjs"), "run", "--config", "fixtures/leak/vitest.config.ts"],
          { cwd: testRoot, env, timeout: 120_000 },
          (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, output: stdout + stderr }));
      });
      const leak = JSON.parse(await readFile(report, "utf8")) as { pid: number; dir: string };
      expect(code).not.toBe(0);
      expect(output).toMatch(/left 1 process\(es\) and 1 temp dir\(s\) behind/);
      expect(output).toContain(`process ${leak.pid}`);
      expect(pidAlive(leak.pid)).toBe(false);
      expect(existsSync(leak.dir)).toBe(false);
    } finally {
      await removeDir(scratch);
    }
  });
});
