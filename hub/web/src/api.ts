/** Talking to the dashboard's server: JSON reads, and writes carrying the page's token. */

const token = document.querySelector<HTMLMetaElement>('meta[name="flotilla-token"]')?.content ?? "";

/** A refusal or failure as the server (or the API server behind it) said it: 403 stays 403. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

async function answer<T>(res: Response): Promise<T> {
  const body = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
  if (!res.ok) throw new ApiError(res.status, body.code ?? "Error", body.message ?? res.statusText);
  return body as T;
}

export async function getJson<T>(path: string): Promise<T> {
  return answer<T>(await fetch(path, { headers: { accept: "application/json" } }));
}

export async function post(path: string, body: object = {}): Promise<{ message: string }> {
  return answer(await fetch(path, { method: "POST", headers: { "content-type": "application/json", "x-flotilla-token": token }, body: JSON.stringify(body) }));
}

/** How a failure reads on the page: `Forbidden (HTTP 403): …`. */
export const describeError = (err: unknown): string => (err instanceof ApiError ? `${err.code} (HTTP ${err.status}): ${err.message}` : err instanceof Error ? err.message : String(err));
