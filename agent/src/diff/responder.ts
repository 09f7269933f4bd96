import type { Msg, NatsConnection, Subscription } from "@nats-io/transport-node";
import { unsealBundle, type BundleOpener } from "../bus/decode-desired.js";
import { classifyKubeError, DECODE_REASONS, diffSubject, errorMessage, PROTOCOL_VERSION, type BusCodec, type BusMetrics, type DiffRequest, type DiffResult, type Logger } from "@flotilla/shared";
import { boundObjects, countActions } from "./bound.js";
import type { DryRunOutcome } from "./dry-run.js";

/** Diffs run at once; more are answered `Busy` at once rather than queued behind slow dry runs. */
const MAX_IN_FLIGHT = 2;

export interface DiffResponderOptions {
  cluster: string;
  codec: BusCodec;
  metrics: BusMetrics;
  logger: Logger;
  /** Opens bundles sealed to this agent (the published one a diff may carry); undefined without a key. */
  open?: () => BundleOpener | undefined;
  /** Compares a bundle with the spoke (DryRunner.diff). */
  diff: (bundle: DiffRequest["bundle"]) => Promise<DryRunOutcome>;
}

/** Why a diff request is dropped: the labels it is counted under in `flotilla_bus_messages_invalid_total`. */
export const DIFF_DROP_REASONS = [...DECODE_REASONS, "Foreign", "NoReply"] as const;
type Checked = { ok: true; request: DiffRequest } | { ok: false; reason: (typeof DIFF_DROP_REASONS)[number]; error: string };

/**
 * Whether a decoded request is this cluster's: the request and its bundle name the same cluster and
 * addon. Pure.
 */
export function checkRequest(request: DiffRequest, cluster: string): Checked {
  const b = request.bundle;
  if (request.cluster !== cluster || b.cluster !== cluster) return { ok: false, reason: "Foreign", error: `request for cluster ${JSON.stringify(request.cluster)} (bundle ${JSON.stringify(b.cluster)})` };
  if (b.addon !== request.addon) return { ok: false, reason: "Foreign", error: `request for addon ${JSON.stringify(request.addon)} holds a bundle of ${JSON.stringify(b.addon)}` };
  return { ok: true, request };
}

/**
 * Answers `flotilla diff` on this cluster's own subject, `flotilla.diff.<cluster>`, replying on the
 * requester's inbox. A request that is malformed, oversized, foreign or has no reply subject is
 * dropped, counted (`flotilla_bus_messages_invalid_total{reason}`) and logged without its content.
 * Nothing here writes to the spoke: the diff is made of reads and dry runs.
 */
export class DiffResponder {
  private inFlight = 0;

  constructor(private readonly o: DiffResponderOptions) {}

  subscribe(nc: NatsConnection): Subscription {
    const subject = diffSubject(this.o.cluster);
    return nc.subscribe(subject, {
      callback: (err, msg) => {
        if (err) this.o.logger.warn({ err: String(err), subject }, "diff subscription error");
        else void this.handle(msg);
      },
    });
  }

  /** Handles one request; resolves once answered (or dropped). */
  async handle(msg: Pick<Msg, "data" | "reply" | "respond">): Promise<void> {
    const r = this.o.codec.decode(msg.data, "DiffRequest");
    const checked: Checked = !msg.reply ? { ok: false, reason: "NoReply", error: "request without a reply subject" } : r.ok ? checkRequest(r.value, this.o.cluster) : r;
    if (!checked.ok) {
      this.o.metrics.invalid.inc({ reason: checked.reason });
      this.o.logger.warn({ reason: checked.reason, error: checked.error, bytes: msg.data.byteLength }, "dropped a diff request");
      return;
    }
    this.o.metrics.received.inc({ kind: "DiffRequest" });
    // `flotilla diff` sends the bundle as published, sealed to this agent: only it can open it.
    const opened = unsealBundle(this.o.codec, checked.request.bundle, this.o.open?.());
    if (!opened.ok) {
      msg.respond(this.o.codec.encode(this.failed(checked.request, opened.reason, opened.error)));
      return;
    }
    const req = { ...checked.request, bundle: opened.value };
    const log = { addon: req.addon, revision: req.bundle.revision, objects: req.bundle.objects.length };
    let result: DiffResult;
    if (this.inFlight >= MAX_IN_FLIGHT) {
      result = this.failed(req, "Busy", `${this.inFlight} diffs are running on this agent; try again shortly`);
    } else {
      this.inFlight++;
      const t0 = Date.now();
      try {
        result = this.answer(req, await this.o.diff(req.bundle));
        this.o.logger.info({ ...log, counts: result.counts, ms: Date.now() - t0 }, "answered a diff request");
      } catch (err) {
        const e = classifyKubeError(err);
        this.o.logger.warn({ ...log, code: e.code, err: errorMessage(err) }, "diff failed");
        result = this.failed(req, e.code, errorMessage(err));
      } finally {
        this.inFlight--;
      }
    }
    msg.respond(this.o.codec.encode(result));
    this.o.metrics.sent.inc({ kind: "DiffResult" });
  }

  private answer(req: DiffRequest, outcome: DryRunOutcome): DiffResult {
    const { objects, omitted, counts } = boundObjects(outcome.objects);
    return {
      ...this.head(req),
      ...(outcome.appliedRevision ? { appliedRevision: outcome.appliedRevision } : {}),
      counts, objects, ...(omitted ? { omitted } : {}),
    };
  }

  private failed(req: DiffRequest, code: string, message: string): DiffResult {
    return { ...this.head(req), counts: countActions([]), objects: [], error: { code, message: message.length > 4096 ? `${message.slice(0, 4095)}…` : message } };
  }

  private head(req: DiffRequest) {
    return { version: PROTOCOL_VERSION, kind: "DiffResult" as const, cluster: this.o.cluster, addon: req.addon, revision: req.bundle.revision };
  }
}
