import { describe, expect, it } from "vitest";
import { ApiException } from "@kubernetes/client-node";
import type { KubeObject } from "@flotilla/shared";
import { refusalMessage, unverifiedCreate } from "./dry-run.js";

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

describe("refusalMessage", () => {
  const forbidden = new ApiException(403, "Forbidden", { message: 'secrets "s" is forbidden: User "system:serviceaccount:flotilla-system:flotilla-addon-a" cannot get resource "secrets"' }, {});
  const secret = { kind: "Secret", namespace: "ns", name: "s" };
  it.each([
    { name: "refused, and the revision grants it", err: forbidden, granted: true, want: /^Secret ns\/s: not checked: the addon is granted it only when this revision is applied/ },
    { name: "refused, and the revision does not grant it", err: forbidden, granted: false, want: /^Secret ns\/s: .*cannot get resource "secrets" \(outside what the addon may touch: applying this revision would be refused too\)$/ },
    { name: "refused, without identities", err: forbidden, granted: undefined, want: undefined },
    { name: "another error", err: invalid, granted: true, want: undefined },
  ])("$name", ({ err, granted, want }) => {
    const r = refusalMessage(secret, err, granted);
    if (want) expect(r).toMatch(want);
    else expect(r).toBeUndefined();
  });
});
