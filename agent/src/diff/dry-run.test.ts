import { describe, expect, it } from "vitest";
import { ApiException } from "@kubernetes/client-node";
import type { KubeObject } from "@flotilla/shared";
import { unverifiedCreate } from "./dry-run.js";

const cm: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "new-ns" } };
const widget: KubeObject = { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w", namespace: "ns" } };
const notFound = new ApiException(404, "Not Found", { message: 'namespaces "new-ns" not found' }, {});
const unknownKind = new Error("Unrecognized API version and kind: example.com/v1 Widget");
const invalid = new ApiException(422, "Invalid", { message: "bad" }, {});
const made = { namespaces: new Set(["new-ns"]), kinds: new Set(["example.com/Widget"]) };
const none = { namespaces: new Set<string>(), kinds: new Set<string>() };

describe("unverifiedCreate", () => {
  it.each([
    { name: "in a namespace the revision creates", obj: cm, err: notFound, made, why: /namespace new-ns is created by this revision/ },
    { name: "in a namespace that is just missing", obj: cm, err: notFound, made: none, why: undefined },
    { name: "refused for another reason in a new namespace", obj: cm, err: invalid, made, why: undefined },
    { name: "of a kind whose CRD the revision creates", obj: widget, err: unknownKind, made, why: /CustomResourceDefinition is created by this revision/ },
    { name: "of a kind nobody serves", obj: widget, err: unknownKind, made: none, why: undefined },
  ])("$name", ({ obj, err, made, why }) => {
    const r = unverifiedCreate(obj, err, made);
    if (why) expect(r).toMatch(why);
    else expect(r).toBeUndefined();
  });
});
