/** Pure readers for the observability tests: dashboard targets, a /metrics text, docs/metrics.md. */

export interface PanelTarget {
  panel: string;
  expr: string;
}

interface Panel {
  title?: string;
  targets?: { expr?: string }[];
  panels?: Panel[];
}

/** Every target expression of every panel (rows' nested panels too), with Grafana variables put in. */
export function dashboardTargets(dashboard: { panels?: Panel[] }, variables: Record<string, string>): PanelTarget[] {
  const put = (expr: string) => expr.replace(/\$\{?(\w+)\}?/g, (whole, name: string) => variables[name] ?? whole);
  const walk = (panels: Panel[]): PanelTarget[] =>
    panels.flatMap((p) => [
      ...(p.targets ?? []).filter((t) => t.expr).map((t) => ({ panel: p.title ?? "?", expr: put(t.expr!) })),
      ...walk(p.panels ?? []),
    ]);
  const targets = walk(dashboard.panels ?? []);
  const left = targets.filter((t) => /\$/.test(t.expr));
  if (left.length > 0) throw new Error(`variables without a value: ${left.map((t) => t.expr).join("; ")}`);
  return targets;
}

export interface ExposedFamily {
  name: string;
  type: string;
  /** The label names of each sample, sorted. */
  labelSets: string[][];
}

/** The metric families of a Prometheus text exposition: `# TYPE` lines, and the labels of their samples. */
export function exposedFamilies(text: string): ExposedFamily[] {
  const families = new Map<string, ExposedFamily>();
  const suffixes = ["_bucket", "_sum", "_count"];
  for (const line of text.split("\n")) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) {
      families.set(type[1]!, { name: type[1]!, type: type[2]!, labelSets: [] });
      continue;
    }
    if (line === "" || line.startsWith("#")) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s/.exec(line);
    if (!sample) continue;
    const name = sample[1]!;
    const family = families.get(name) ?? families.get(suffixes.reduce((n, s) => (n.endsWith(s) ? n.slice(0, -s.length) : n), name));
    if (!family) continue;
    const labels = [...(sample[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="(?:[^"\\]|\\.)*"/g)].map((m) => m[1]!).sort();
    if (!family.labelSets.some((s) => s.join(",") === labels.join(","))) family.labelSets.push(labels);
  }
  return [...families.values()];
}

export interface DocMetric {
  type: string;
  labels: string[];
  processes: string[];
}

/** The tables of docs/metrics.md: `| \`name\` | type | labels | processes | meaning |`. */
export function parseMetricsDoc(markdown: string): Map<string, DocMetric> {
  const out = new Map<string, DocMetric>();
  for (const line of markdown.split("\n")) {
    const m = /^\| `(flotilla_[a-z0-9_]+)` \| ([a-z]+) \|([^|]*)\|([^|]*)\|/.exec(line);
    if (!m) continue;
    const list = (s: string) => s.split(",").map((x) => x.trim()).filter((x) => x !== "");
    out.set(m[1]!, { type: m[2]!, labels: list(m[3]!), processes: list(m[4]!) });
  }
  return out;
}
