import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { KubeConfig } from "@kubernetes/client-node";
import { FlotillaError, makeClients, type KubeClients, type Logger } from "@flotilla/shared";
import { handleApi } from "./api.js";
import { FleetCache } from "./cache.js";
import { guardRequest, servedAs, TOKEN_HEADER, type Served } from "./guard.js";
import { sendError, sendJson } from "./http.js";
import { EventStreams } from "./sse.js";
import { StaticFiles } from "./static.js";

export interface DashboardOptions {
  /** The user's kubeconfig (current context): every read and write is theirs. */
  kubeConfig: KubeConfig;
  /** A loopback address (the server holds the user's credentials). */
  address: string;
  /** 0: any free port. */
  port: number;
  logger: Logger;
  now?: () => Date;
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/;

/**
 * `flotilla dashboard`: the page, a JSON API, and live views over Server-Sent Events, on loopback,
 * acting with the user's own credentials. Requests are guarded (guard.ts) against other sites.
 */
export class Dashboard {
  private constructor(
    private readonly server: Server,
    private readonly cache: FleetCache,
    private readonly streams: EventStreams,
    readonly url: string,
  ) {}

  static async start(o: DashboardOptions): Promise<Dashboard> {
    if (!LOOPBACK.test(o.address)) throw new FlotillaError("Invalid", `--address must be a loopback address (127.0.0.1, ::1, localhost): the dashboard acts with your credentials; got ${o.address}`);
    const address = o.address === "localhost" ? "127.0.0.1" : o.address;
    const token = randomBytes(24).toString("base64url");
    const files = await StaticFiles.load(token);
    const clients: KubeClients = makeClients(o.kubeConfig);
    const cache = new FleetCache(clients, o.logger);
    const now = o.now ?? (() => new Date());
    const streams = new EventStreams(cache, now);
    // Known once listening (the port may be chosen by the system).
    const at: { served?: Served } = {};
    const deps = { custom: clients.custom, cache, now };
    const server = createServer((req, res) => void handle(req, res));
    const handle = async (req: IncomingMessage, res: ServerResponse) => {
      try {
        const verdict = guardRequest({ method: req.method ?? "", host: req.headers.host, origin: req.headers.origin, token: header(req, TOKEN_HEADER) }, at.served!);
        if (!verdict.ok) return sendJson(res, verdict.status, { code: "Forbidden", message: verdict.reason });
        const url = new URL(req.url ?? "/", "http://dashboard.invalid");
        if (url.pathname === "/api/v1/events" && req.method === "GET") return streams.open(req, res, url.searchParams.get("addon") ?? undefined);
        if (url.pathname.startsWith("/api/")) return await handleApi(req, res, url, deps);
        if ((req.method === "GET" || req.method === "HEAD") && files.serve(req, res, url.pathname)) return;
        sendJson(res, 404, { code: "NotFound", message: `not found: ${url.pathname}` });
      } catch (err) {
        if (!res.headersSent) sendError(res, err);
        else res.end();
      }
    };
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(o.port, address, () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    at.served = servedAs(address, port, token);
    await cache.start();
    const host = address.includes(":") ? `[${address}]` : address;
    return new Dashboard(server, cache, streams, `http://${host}:${port}/`);
  }

  /** Ends the streams and open connections at once, then the watches. */
  async stop(): Promise<void> {
    this.streams.close();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await Promise.all([closed, this.cache.stop()]);
  }
}

const header = (req: IncomingMessage, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};
