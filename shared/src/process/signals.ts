import type { Logger } from "pino";
import { systemClock, type Clock } from "../time/clock.js";

/**
 * How long a repeated signal counts as the same request. A terminal's Ctrl-C reaches every process
 * in the foreground group, and `npm run` forwards the one it gets to its child too, so a process
 * started through npm sees one Ctrl-C as two SIGINTs a few milliseconds apart.
 */
export const REPEAT_WINDOW_MS = 1_000;

export type SignalAction = "stop" | "ignore" | "force";

/** What a SIGINT/SIGTERM means, given when the first one came (undefined: none yet). Pure. */
export function signalAction(firstAt: number | undefined, now: number, windowMs = REPEAT_WINDOW_MS): SignalAction {
  if (firstAt === undefined) return "stop";
  return now - firstAt < windowMs ? "ignore" : "force";
}

export interface UntilSignalOptions {
  logger: Logger;
  clock?: Clock;
  /** Called on a second, deliberate signal (default: exit 130 at once). */
  force?: () => void;
}

/**
 * Resolves on the first SIGINT or SIGTERM; long-running commands await it and then stop their parts
 * in order. A second signal more than a second later exits at once.
 */
export function untilSignal(o: UntilSignalOptions): Promise<NodeJS.Signals> {
  const clock = o.clock ?? systemClock;
  return new Promise((resolve) => {
    let firstAt: number | undefined;
    const onSignal = (sig: NodeJS.Signals) => {
      const action = signalAction(firstAt, clock.now());
      if (action === "ignore") return;
      if (action === "force") {
        o.logger.warn({ signal: sig }, "second signal: exiting now");
        (o.force ?? (() => process.exit(130)))();
        return;
      }
      firstAt = clock.now();
      o.logger.info({ signal: sig }, "shutting down");
      resolve(sig);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}

/**
 * Runs `stop` but never waits longer than `deadlineMs`: a process told to stop must go even when the
 * API server or NATS it would say goodbye to is already gone. Resolves true if `stop` finished in time.
 */
export async function stopWithin(stop: () => Promise<void>, deadlineMs: number, logger: Logger, clock: Clock = systemClock): Promise<boolean> {
  let timer: { cancel(): void } | undefined;
  const late = new Promise<"late">((resolve) => (timer = clock.setTimer(() => resolve("late"), deadlineMs)));
  try {
    const outcome = await Promise.race([
      stop().then(
        () => "done" as const,
        (err: unknown) => {
          logger.warn({ err: err instanceof Error ? err.message : String(err) }, "error while stopping");
          return "done" as const;
        },
      ),
      late,
    ]);
    if (outcome === "late") logger.warn({ deadlineMs }, "did not stop in time; exiting anyway");
    return outcome === "done";
  } finally {
    timer?.cancel();
  }
}

/**
 * The life of a long-running process (hub, agent): listen for SIGINT/SIGTERM first (so one during
 * start-up is not lost), start, run until the signal, then stop within `deadlineMs`. Rejects only if
 * `start` does.
 */
export async function runUntilSignal(
  start: () => Promise<{ stop(): Promise<void> }>,
  o: UntilSignalOptions & { deadlineMs: number },
): Promise<void> {
  const signal = untilSignal(o);
  const running = await start();
  await signal;
  await stopWithin(() => running.stop(), o.deadlineMs, o.logger, o.clock);
}
