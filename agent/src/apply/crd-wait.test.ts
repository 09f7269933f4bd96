import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { KubeObject } from "@flotilla/shared";
import { CrdNotEstablishedError } from "../errors.js";
import { waitForCrd } from "./crd-wait.js";

const crd = (established: string | undefined, namesAccepted = "True"): KubeObject => ({
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "widgets.example.com" },
  status: { conditions: [{ type: "NamesAccepted", status: namesAccepted, reason: namesAccepted === "True" ? "NoConflicts" : "Conflict", message: "names" }, ...(established ? [{ type: "Established", status: established, reason: "r", message: "m" }] : [])] },
});

/** The CRD as the API server shows it on each get, in turn (the last one repeats). */
const api = (answers: (KubeObject | undefined)[]) => {
  const gets: number[] = [];
  return { gets, get: async () => (gets.push(Date.now()), answers[Math.min(gets.length - 1, answers.length - 1)]) };
};

const backoff = { baseMs: 50, maxMs: 400, jitter: 0 };

describe("waitForCrd", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("polls with the shared backoff until the CRD is Established", async () => {
    const a = api([undefined, crd("False"), crd("True")]);
    const t0 = Date.now();
    const done = waitForCrd(a, "widgets.example.com", { backoff });
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(done).resolves.toBeUndefined();
    expect(a.gets.map((t) => t - t0)).toEqual([50, 150, 350]);
  });

  it("does not poll when the applied object is already Established", async () => {
    const a = api([]);
    await waitForCrd(a, "widgets.example.com", { initial: crd("True"), backoff });
    expect(a.gets).toEqual([]);
  });

  it("gives up at the deadline, measured on the injected clock", async () => {
    const a = api([crd("False")]);
    const done = waitForCrd(a, "widgets.example.com", { backoff, timeoutMs: 2_000 }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(3_000);
    const err = await done;
    expect(err).toBeInstanceOf(CrdNotEstablishedError);
    expect(a.gets.length).toBeGreaterThan(3);
  });
});
