import type { Logger } from "@flotilla/shared";

/**
 * Resolves on the first SIGINT or SIGTERM; a second signal exits at once. Long-running commands await
 * this, then stop their parts in order.
 */
export function untilSignal(logger: Logger): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let seen = false;
    const onSignal = (sig: NodeJS.Signals) => {
      if (seen) {
        logger.warn({ signal: sig }, "second signal: exiting now");
        process.exit(130);
      }
      seen = true;
      logger.info({ signal: sig }, "shutting down");
      resolve(sig);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}
