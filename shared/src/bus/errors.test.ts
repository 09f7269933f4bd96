import { describe, expect, it } from "vitest";
import { JetStreamApiError } from "@nats-io/jetstream";
import { PermissionViolationError, TimeoutError } from "@nats-io/transport-node";
import { classifyBusError, isWrongLastSequence } from "./errors.js";

const api = (err_code: number, description: string) => new JetStreamApiError({ code: 400, err_code, description });

describe("classifyBusError", () => {
  it.each([
    ["wrong last sequence", api(10071, "wrong last sequence: 7"), "Conflict"],
    ["wrong last sequence unknown", api(10164, "wrong last sequence unknown"), "Conflict"],
    ["another API error", api(10059, "stream not found"), "Retryable"],
    ["a request timeout", new TimeoutError(), "Retryable"],
    ["a permission violation", new PermissionViolationError("Permissions Violation for Publish", "publish", "$KV.x.y"), "Forbidden"],
    ["anything else", new Error("connection closed"), "Retryable"],
  ])("%s", (_name, err, code) => {
    expect(classifyBusError(err).code).toBe(code);
    expect(isWrongLastSequence(err)).toBe(code === "Conflict");
  });
});
