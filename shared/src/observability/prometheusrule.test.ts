import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

interface GenRule {
  RULES_FILE: string;
  PROMETHEUSRULE_FILE: string;
  prometheusRule(rulesText: string): string;
}
interface AlertRule {
  alert?: string;
  record?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
// The generator is a plain .mjs script outside src/; import it by path so tsc does not follow it.
const gen = (await import(/* @vite-ignore */ pathToFileURL(join(repoRoot, "shared/scripts/gen-prometheusrule.mjs")).href)) as GenRule;
const read = (file: string) => readFileSync(join(repoRoot, file), "utf8");
const rulesText = read(gen.RULES_FILE);
const alerts = (parse(rulesText) as { groups: { rules: AlertRule[] }[] }).groups.flatMap((g) => g.rules).filter((r) => r.alert !== undefined);

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
const anchor = (heading: string) => heading.trim().toLowerCase().replace(/[^a-z0-9 -]/g, "").replace(/ /g, "-");

describe("deploy/prometheus", () => {
  it("prometheusrule.yaml is generated from the current rules file (run `npm run gen`)", () => {
    expect(read(gen.PROMETHEUSRULE_FILE)).toBe(gen.prometheusRule(rulesText));
  });

  it("the CR carries the rules file's groups unchanged", () => {
    const cr = parse(gen.prometheusRule(rulesText)) as { kind: string; spec: unknown };
    expect(cr.kind).toBe("PrometheusRule");
    expect(cr.spec).toEqual(parse(rulesText));
  });

  it("every alert has a severity, a summary, a description and a runbook section in docs/alerts.md", () => {
    const anchors = new Set([...read("docs/alerts.md").matchAll(/^#{2,3} (.+)$/gm)].map((m) => anchor(m[1]!)));
    expect(alerts.length).toBeGreaterThan(10);
    for (const a of alerts) {
      expect(["critical", "warning", "info"], a.alert).toContain(a.labels?.severity);
      expect(a.annotations?.summary, a.alert).toBeTruthy();
      expect(a.annotations?.description, a.alert).toBeTruthy();
      const url = a.annotations?.runbook_url ?? "";
      expect(url, a.alert).toMatch(/\/docs\/alerts\.md#[a-z0-9-]+$/);
      expect(anchors, `${a.alert}: ${url}`).toContain(url.slice(url.indexOf("#") + 1));
    }
  });

  it("generation fails on a file without groups", () => {
    expect(() => gen.prometheusRule("rules: []\n")).toThrow(/no groups/);
  });
});
