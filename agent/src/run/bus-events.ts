import type { Gauge } from "prom-client";
import { DesiredReader } from "../bus/desired-reader.js";
import type { BundleOpener } from "../bus/decode-desired.js";
import type { BusSessionOptions, Buckets } from "../bus/session.js";
import { parseHint } from "../plan/hint.js";
import type { Parts } from "./parts.js";

type Handlers = Pick<BusSessionOptions, "onReady" | "onHint" | "onReconnect" | "onDisconnect">;

/**
 * What the bus session's events do. None of them decides anything about an addon: they open or
 * close the way to the bus and ask for a read (the index) or a look (one addon).
 */
export function busEvents(p: Pick<Parts, "codec" | "writer" | "sync" | "heartbeat" | "queue" | "state">, o: { cluster: string; connected: Gauge; setReader: (r: DesiredReader) => void; opener: () => BundleOpener | undefined }): Handlers {
  const up = () => {
    o.connected.set(1);
    p.writer.setConnected(true);
    // Unchanged reports are otherwise sent again only every re-apply period: a NATS server that
    // restarted without its data gets every addon's now.
    p.state.forgetSentReports();
    for (const addon of p.state.knownAddons()) p.queue.add(addon);
    p.sync.request();
    void p.heartbeat.beat();
  };
  return {
    onReady: (buckets: Buckets) => {
      o.setReader(new DesiredReader(buckets.desired, p.codec, o.cluster, o.opener()));
      p.writer.attach(buckets.status);
      up();
    },
    onHint: (subject: string) => {
      const h = parseHint(subject, o.cluster);
      if (h.kind === "index") p.sync.request(true);
      else if (h.kind === "bundle") p.queue.add(h.addon);
    },
    onReconnect: up,
    onDisconnect: () => {
      o.connected.set(0);
      p.writer.setConnected(false);
    },
  };
}
