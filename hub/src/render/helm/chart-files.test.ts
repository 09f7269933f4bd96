import { describe, expect, it } from "vitest";
import { templatesMention } from "./chart-files.js";

const enc = new TextEncoder();

describe("templatesMention", () => {
  const file = (path: string, body: string) => ({ path, data: enc.encode(body) });
  it.each([
    ["a top template using .Values.flotilla", [file("c/templates/cm.yaml", "name: {{ .Values.flotilla.cluster.name }}")], true],
    ["only values.yaml and README", [file("c/values.yaml", "flotilla: {}"), file("c/README.md", "flotilla")], false],
    ["only a subchart's templates", [file("c/charts/sub/templates/x.yaml", ".Values.flotilla")], false],
    ["no templates", [], false],
  ])("%s → %s", (_name, files, want) => {
    expect(templatesMention(files, "flotilla")).toBe(want);
  });
});
