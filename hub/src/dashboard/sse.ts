import type { IncomingMessage, ServerResponse } from "node:http";
import type { FleetCache } from "./cache.js";
import { SECURITY_HEADERS } from "./http.js";
import { addonFrom, fleetFrom } from "./views.js";
import type { StreamEvent } from "./view/types.js";

interface Client {
  res: ServerResponse;
  addon: string | undefined;
  sent: Map<StreamEvent, string>;
}

/** A burst of watch events (a list, a wave of MCA updates) makes one push. */
const COALESCE_MS = 50;
/** A comment now and then keeps proxies and idle timers from closing a quiet stream. */
const KEEPALIVE_MS = 20_000;

/**
 * Server-Sent Events: every page holds one stream (`/api/v1/events[?addon=NAME]`) and gets its view
 * (the fleet's, or the addon's) whenever a watch event changes what it would show. Views are made once
 * per push (and per addon), and a client gets only what differs from what it was last sent.
 */
export class EventStreams {
  private readonly clients = new Set<Client>();
  private timer: NodeJS.Timeout | undefined;
  private readonly keepalive: NodeJS.Timeout;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly cache: FleetCache,
    private readonly now: () => Date,
  ) {
    this.unsubscribe = cache.onChange(() => this.schedule());
    this.keepalive = setInterval(() => {
      for (const c of this.clients) c.res.write(": keepalive\n\n");
    }, KEEPALIVE_MS);
  }

  open(req: IncomingMessage, res: ServerResponse, addon: string | undefined): void {
    res.writeHead(200, { ...SECURITY_HEADERS, "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", connection: "keep-alive" });
    res.write("retry: 2000\n\n");
    const client: Client = { res, addon, sent: new Map() };
    this.clients.add(client);
    req.on("close", () => this.clients.delete(client));
    this.push([client]);
  }

  /** Ends every stream (the server is stopping). */
  close(): void {
    this.unsubscribe();
    clearInterval(this.keepalive);
    if (this.timer) clearTimeout(this.timer);
    for (const c of this.clients) c.res.end();
    this.clients.clear();
  }

  private schedule(): void {
    if (this.timer || this.clients.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.push([...this.clients]);
    }, COALESCE_MS);
  }

  private push(clients: readonly Client[]): void {
    const now = this.now();
    let fleet: string | undefined;
    const addons = new Map<string, string>();
    for (const c of clients) {
      if (c.addon === undefined) {
        fleet ??= JSON.stringify(fleetFrom(this.cache));
        this.send(c, "fleet", fleet);
        continue;
      }
      const text = addons.get(c.addon) ?? JSON.stringify(addonFrom(this.cache, c.addon, now));
      addons.set(c.addon, text);
      this.send(c, "addon", text);
    }
  }

  private send(c: Client, event: StreamEvent, data: string): void {
    if (c.sent.get(event) === data) return;
    c.sent.set(event, data);
    c.res.write(`event: ${event}\ndata: ${data}\n\n`);
  }
}
