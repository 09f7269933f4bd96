import { describe, expect, it } from "vitest";
import { createLogger } from "@flotilla/shared";
import { resolveOptions } from "./options.js";

const base = { cluster: "c1", natsUrl: "nats://x", logger: createLogger({ level: "silent" }) };

describe("resolveOptions", () => {
  it("defaults", () => {
    expect(resolveOptions(base)).toEqual({ metricsAddr: ":0", resyncMs: 30_000, reapplyMs: 600_000, heartbeatMs: 10_000, healthPollMs: 2_000, hookTimeoutMs: 300_000, version: "dev", addonIdentity: true, namespace: "flotilla-system" });
  });
  it("takes seconds", () => {
    expect(resolveOptions({ ...base, resyncSeconds: 5, heartbeatSeconds: 0.5, healthPollSeconds: 1, hookTimeoutSeconds: 5 })).toMatchObject({ resyncMs: 5000, heartbeatMs: 500, healthPollMs: 1000, hookTimeoutMs: 5000 });
  });
  it.each([0, -1, Number.NaN])("rejects %d", (v) => {
    expect(() => resolveOptions({ ...base, resyncSeconds: v })).toThrow(RangeError);
  });
});
