/**
 * The alerting rules under the real promtool: `check rules` accepts deploy/prometheus/flotilla.rules.yaml,
 * `test rules` passes every file in deploy/prometheus/tests, and those tests cover every alert both
 * firing and not firing.
 */
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ensurePromtool } from "../harness/binaries.js";
import { stderrLogger } from "../harness/logger.js";

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const dir = join(repoRoot, "deploy/prometheus");
const RULES = join(dir, "flotilla.rules.yaml");
const TESTS = readdirSync(join(dir, "tests")).filter((f) => f.endsWith(".yaml")).map((f) => join(dir, "tests", f));

interface RuleTestFile {
  tests: { alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[];
}

/** Runs promtool; resolves its output, or fails with it (promtool says which test and what it got). */
async function promtool(binary: string, args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run(binary, args, { cwd: dir, timeout: 60_000 });
    return stdout + stderr;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`promtool ${args.join(" ")} failed:\n${e.stdout ?? ""}${e.stderr ?? e.message}`);
  }
}

describe("alerting rules under promtool", () => {
  let binary: string;
  beforeAll(async () => {
    binary = await ensurePromtool({ log: stderrLogger("flotilla harness") });
  });

  it("promtool check rules accepts the rules file", async () => {
    expect(await promtool(binary, ["check", "rules", RULES])).toMatch(/SUCCESS: \d+ rules found/);
  });

  it("promtool test rules passes every test file", async () => {
    expect(TESTS.length).toBeGreaterThan(0);
    const out = await promtool(binary, ["test", "rules", ...TESTS]);
    expect(out).not.toMatch(/FAILED/);
  });

  it("every alert is tested both firing and not firing", () => {
    const alerts = (parse(readFileSync(RULES, "utf8")) as { groups: { rules: { alert?: string }[] }[] }).groups
      .flatMap((g) => g.rules.map((r) => r.alert))
      .filter((a): a is string => a !== undefined);
    const cases = TESTS.flatMap((f) => (parse(readFileSync(f, "utf8")) as RuleTestFile).tests.flatMap((t) => t.alert_rule_test ?? []));
    const missing = alerts.flatMap((a) => {
      const mine = cases.filter((c) => c.alertname === a);
      return [
        ...(mine.some((c) => (c.exp_alerts ?? []).length > 0) ? [] : [`${a} firing`]),
        ...(mine.some((c) => (c.exp_alerts ?? []).length === 0) ? [] : [`${a} not firing`]),
      ];
    });
    expect(missing).toEqual([]);
  });
});
