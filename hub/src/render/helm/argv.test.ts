import { describe, expect, it } from "vitest";
import { normalizedApiVersions, templateArgv } from "./argv.js";

const base = { chartPath: "/charts/cm.tgz", releaseName: "cert-manager", namespace: "cert-manager", capabilities: { kubeVersion: "v1.35.4", apiVersions: [] } };

describe("templateArgv", () => {
  it.each([
    ["the plain case", base, ["template", "--namespace=cert-manager", "--kube-version=v1.35.4", "--include-crds", "--skip-tests", "--values=-", "--", "cert-manager", "/charts/cm.tgz"]],
    [
      "one --api-versions per served version, sorted, without repeats",
      { ...base, capabilities: { kubeVersion: "v1.30.0", apiVersions: ["v1", "apps/v1", "monitoring.coreos.com/v1/ServiceMonitor", "apps/v1", " "] } },
      ["template", "--namespace=cert-manager", "--kube-version=v1.30.0", "--api-versions=apps/v1", "--api-versions=monitoring.coreos.com/v1/ServiceMonitor", "--api-versions=v1", "--include-crds", "--skip-tests", "--values=-", "--", "cert-manager", "/charts/cm.tgz"],
    ],
    ["no install namespace: helm's default", { ...base, namespace: "" }, ["template", "--kube-version=v1.35.4", "--include-crds", "--skip-tests", "--values=-", "--", "cert-manager", "/charts/cm.tgz"]],
    [
      "values that look like flags stay values",
      { ...base, releaseName: "--set=x", namespace: "-n", capabilities: { kubeVersion: "--debug", apiVersions: ["--post-renderer=/bin/sh"] } },
      ["template", "--namespace=-n", "--kube-version=--debug", "--api-versions=--post-renderer=/bin/sh", "--include-crds", "--skip-tests", "--values=-", "--", "--set=x", "/charts/cm.tgz"],
    ],
  ])("%s", (_name, args, want) => {
    expect(templateArgv(args)).toEqual(want);
  });

  it("never builds --set strings", () => {
    expect(templateArgv(base).some((a) => a.startsWith("--set"))).toBe(false);
  });
});

describe("normalizedApiVersions", () => {
  it("is independent of order and repeats", () => {
    expect(normalizedApiVersions(["b/v1", "a/v1", "b/v1"])).toEqual(normalizedApiVersions(["a/v1", "b/v1"]));
  });
});
