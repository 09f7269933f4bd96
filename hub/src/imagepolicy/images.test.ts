import { describe, expect, it } from "vitest";
import { imagesOf } from "./images.js";

const pod = (c: Record<string, unknown>) => ({ containers: [{ name: "main", image: "main:1" }], ...c });
const obj = (apiVersion: string, kind: string, spec: unknown) => ({ apiVersion, kind, metadata: { name: "x", namespace: "ns" }, spec });
const template = (p: unknown) => ({ template: { spec: p } });

describe("imagesOf", () => {
  it.each<[string, unknown, string[]]>([
    ["Pod", obj("v1", "Pod", pod({})), ["Pod ns/x container main"]],
    ["Deployment", obj("apps/v1", "Deployment", template(pod({}))), ["Deployment ns/x container main"]],
    ["StatefulSet", obj("apps/v1", "StatefulSet", template(pod({}))), ["StatefulSet ns/x container main"]],
    ["DaemonSet", obj("apps/v1", "DaemonSet", template(pod({}))), ["DaemonSet ns/x container main"]],
    ["ReplicaSet", obj("apps/v1", "ReplicaSet", template(pod({}))), ["ReplicaSet ns/x container main"]],
    ["ReplicationController", obj("v1", "ReplicationController", template(pod({}))), ["ReplicationController ns/x container main"]],
    ["Job", obj("batch/v1", "Job", template(pod({}))), ["Job ns/x container main"]],
    ["CronJob", obj("batch/v1", "CronJob", { jobTemplate: { spec: template(pod({})) } }), ["CronJob ns/x container main"]],
    ["a custom kind named Deployment", obj("example.com/v1", "Deployment", template(pod({}))), []],
    ["a ConfigMap", obj("v1", "ConfigMap", undefined), []],
    ["a Deployment without a template", obj("apps/v1", "Deployment", {}), []],
    [
      "every container list, init first",
      obj("v1", "Pod", { initContainers: [{ name: "init", image: "i:1" }], containers: [{ name: "a", image: "a:1" }, { name: "b" }], ephemeralContainers: [{ name: "debug", image: "busybox" }] }),
      ["Pod ns/x init container init", "Pod ns/x container a", "Pod ns/x ephemeral container debug"],
    ],
  ])("%s", (_name, o, where) => {
    expect(imagesOf([o]).map((u) => u.where)).toEqual(where);
  });

  it("keeps a non-string image as it is, and skips what is not an object", () => {
    expect(imagesOf([null, "x", obj("v1", "Pod", { containers: [{ name: "n", image: 42 }] })])).toEqual([{ image: 42, where: "Pod ns/x container n" }]);
  });
});
