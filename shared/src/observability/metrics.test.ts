import { Counter } from "prom-client";
import { describe, expect, it } from "vitest";
import { createRegistry } from "./metrics.js";

describe("createRegistry", () => {
  it.each<{ labels: Record<string, string> | undefined; want: string }>([
    { labels: undefined, want: 'flotilla_test_total{component="agent"} 1' },
    { labels: { cluster: "east-1" }, want: 'flotilla_test_total{cluster="east-1",component="agent"} 1' },
    // the component is the registry's own: a caller's label of that name does not replace it
    { labels: { component: "other" }, want: 'flotilla_test_total{component="agent"} 1' },
  ])("puts component and $labels on every series", async ({ labels, want }) => {
    const registry = createRegistry("agent", labels);
    new Counter({ name: "flotilla_test_total", help: "test", registers: [registry] }).inc();
    const text = await registry.metrics();
    expect(text).toContain(want);
    expect(text).toMatch(/^flotilla_process_cpu_seconds_total\{.*component="agent".*\} /m);
  });
});
