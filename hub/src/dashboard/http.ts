import type { IncomingMessage, ServerResponse } from "node:http";
import { classifyError, FlotillaError, type ErrorCode } from "@flotilla/shared";

/** HTTP status for each error code; what the API server said (a 403 from RBAC) reaches the page as it was. */
const STATUS: Record<ErrorCode, number> = { NotFound: 404, Conflict: 409, Gone: 410, Invalid: 422, Forbidden: 403, Retryable: 502, Terminal: 500 };

/** Headers on every answer: nothing from elsewhere runs in the page, and no other site frames it. */
export const SECURITY_HEADERS = {
  "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(text);
}

/** An error as `{code, message}` with its status. */
export function sendError(res: ServerResponse, err: unknown): void {
  const e = classifyError(err);
  sendJson(res, STATUS[e.code], { code: e.code, message: e.message });
}

/** A small JSON object body (the actions take a step or a revision number at most). */
export async function readJson(req: IncomingMessage, limit = 4096): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new FlotillaError("Invalid", `request body over ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (!text) return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new FlotillaError("Invalid", "request body is not JSON", { cause: err });
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new FlotillaError("Invalid", "request body must be a JSON object");
  return body as Record<string, unknown>;
}

/** An optional positive integer field of a body (`step`, `toRevision`). */
export function optionalPositiveInt(body: Record<string, unknown>, field: string): number | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) throw new FlotillaError("Invalid", `${field} must be a positive integer, got ${JSON.stringify(v)}`);
  return v;
}
