import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { Registry } from "prom-client";

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/** Parses `:9090`, `127.0.0.1:9090` or `9090` into host and port (`0` picks a free port). */
export function parseListenAddr(addr: string): { host: string | undefined; port: number } {
  const i = addr.lastIndexOf(":");
  const host = i > 0 ? addr.slice(0, i) : undefined;
  const port = Number(i >= 0 ? addr.slice(i + 1) : addr);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid listen address ${JSON.stringify(addr)}: port must be 0-65535`);
  return { host: host?.replace(/^\[|\]$/g, ""), port };
}

/** Serves `/metrics`, `/healthz` (alive) and `/readyz` (ready() is true). */
export async function startHealthServer(opts: { addr: string; registry: Registry; ready: () => boolean; logger: Logger }): Promise<HealthServer> {
  const { host, port } = parseListenAddr(opts.addr);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/metrics") {
      opts.registry.metrics().then(
        (body) => {
          res.writeHead(200, { "content-type": opts.registry.contentType });
          res.end(body);
        },
        (err: unknown) => {
          res.writeHead(500);
          res.end(String(err));
        },
      );
    } else if (path === "/healthz") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("ok\n");
    } else if (path === "/readyz") {
      const ok = opts.ready();
      res.writeHead(ok ? 200 : 503, { "content-type": "text/plain" });
      res.end(ok ? "ok\n" : "not ready\n");
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  opts.logger.info({ port: actual }, "serving /metrics, /healthz, /readyz");
  return {
    port: actual,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
