import { describe, expect, it } from "vitest";
import { dashboardTargets, exposedFamilies, parseMetricsDoc } from "./readers.js";

describe("dashboardTargets", () => {
  const dashboard = {
    panels: [
      { title: "A", targets: [{ expr: 'rate(x{cluster=~"$cluster"}[$__rate_interval])' }, { expr: "y" }] },
      { title: "row", type: "row", panels: [{ title: "B", targets: [{ expr: "z{addon=~\"${addon}\"}" }] }] },
      { title: "text panel" },
    ],
  };
  it("lists every target, nested ones too, with the variables put in", () => {
    expect(dashboardTargets(dashboard, { cluster: ".*", addon: "web", __rate_interval: "15s" })).toEqual([
      { panel: "A", expr: 'rate(x{cluster=~".*"}[15s])' },
      { panel: "A", expr: "y" },
      { panel: "B", expr: 'z{addon=~"web"}' },
    ]);
  });
  it("fails on a variable it has no value for", () => {
    expect(() => dashboardTargets(dashboard, { cluster: ".*" })).toThrow(/variables without a value/);
  });
});

describe("exposedFamilies", () => {
  const text = [
    "# HELP a_total a", "# TYPE a_total counter", 'a_total{component="hub",kind="X"} 1', 'a_total{component="hub",kind="Y"} 2',
    "# HELP h h", "# TYPE h histogram", 'h_bucket{le="0.1",queue="q"} 1', 'h_sum{queue="q"} 0.5', 'h_count{queue="q"} 1',
    "# TYPE g gauge", "g 3", 'g{v="a \\" b"} 1',
    "# TYPE empty counter",
  ].join("\n");
  it("reads each family's type and the label names of its samples", () => {
    expect(exposedFamilies(text)).toEqual([
      { name: "a_total", type: "counter", labelSets: [["component", "kind"]] },
      { name: "h", type: "histogram", labelSets: [["le", "queue"], ["queue"]] },
      { name: "g", type: "gauge", labelSets: [[], ["v"]] },
      { name: "empty", type: "counter", labelSets: [] },
    ]);
  });
});

describe("parseMetricsDoc", () => {
  it.each([
    ["| `flotilla_x_total` | counter | queue, code | hub, agent | meaning |", { type: "counter", labels: ["queue", "code"], processes: ["hub", "agent"] }],
    ["| `flotilla_up` | gauge | | hub | meaning |", { type: "gauge", labels: [], processes: ["hub"] }],
  ])("reads %s", (line, want) => {
    expect([...parseMetricsDoc(`# Metrics\n\n| Metric | Type |\n|---|---|\n${line}\n`).values()]).toEqual([want]);
  });
  it("skips lines that are not metric rows", () => {
    expect(parseMetricsDoc("| Metric | Type | Labels | Process | Meaning |\n| `other_metric` | gauge | | hub | x |").size).toBe(0);
  });
});
