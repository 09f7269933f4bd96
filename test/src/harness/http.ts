import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

export interface TlsClientOptions {
  ca?: string;
  cert?: string;
  key?: string;
}

export interface SimpleResponse {
  status: number;
  body: string;
}

/** A GET with a short timeout, for readiness probes; https URLs take CA and client cert. */
export function httpGet(url: string, tls: TlsClientOptions = {}, timeoutMs = 2000): Promise<SimpleResponse> {
  return new Promise((resolve, reject) => {
    const options = { method: "GET", timeout: timeoutMs, agent: false as const };
    const onResponse = (res: import("node:http").IncomingMessage): void => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      res.on("error", reject);
    };
    const req = url.startsWith("https:")
      ? httpsRequest(url, { ...options, ...tls }, onResponse)
      : httpRequest(url, options, onResponse);
    req.on("timeout", () => req.destroy(new Error(`GET ${url} timed out after ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end();
  });
}
