/**
 * The slice of a pino logger the harness uses, so callers pass their own (`pino()`, a child logger) and
 * tests can pass nothing at all.
 */
export interface HarnessLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const noop = (): void => {};

/** A logger that drops everything; the default when none is given. */
export const silentLogger: HarnessLogger = { debug: noop, info: noop, warn: noop, error: noop };

/** A logger writing one plain line per message to stderr, for command-line progress (build, start). */
export function stderrLogger(prefix = "flotilla"): HarnessLogger {
  const write =
    (level: string) =>
    (obj: object, msg?: string): void => {
      const fields = Object.keys(obj).length > 0 ? ` ${JSON.stringify(obj)}` : "";
      process.stderr.write(`[${prefix}] ${level === "info" ? "" : `${level}: `}${msg ?? ""}${fields}\n`);
    };
  return { debug: noop, info: write("info"), warn: write("warn"), error: write("error") };
}
