import { describe, expect, it } from "vitest";
import { classifyError, FlotillaError } from "./errors.js";

class CodedError extends Error {
  constructor(readonly code: string) {
    super(`coded ${code}`);
  }
}

describe("classifyError", () => {
  it.each([
    ["a FlotillaError as it is", new FlotillaError("Terminal", "no"), "Terminal"],
    ["an error naming one of our codes", new CodedError("Invalid"), "Invalid"],
    ["an error with a code of its own", new CodedError("NamespaceTerminating"), "Retryable"],
    ["a Node system error", Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }), "Retryable"],
    ["a 409 from the API server", { code: 409, body: { message: "conflict" } }, "Conflict"],
    ["a 422 from the API server", { statusCode: 422 }, "Invalid"],
    ["a 503 from the API server", { code: 503 }, "Retryable"],
    ["a thrown string", "boom", "Retryable"],
  ])("%s", (_name, err, code) => {
    const e = classifyError(err);
    expect(e.code).toBe(code);
    if (!(err instanceof FlotillaError)) expect(e.cause).toBe(err);
  });
});
