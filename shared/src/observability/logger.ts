import { pino, type DestinationStream, type Logger, type LoggerOptions } from "pino";

/** Paths that may hold credentials; pino replaces their values before anything is written. */
export const REDACT_PATHS = [
  "token", "password", "creds", "credentials", "seed", "privateKey", "authorization",
  "*.token", "*.password", "*.creds", "*.credentials", "*.seed", "*.privateKey", "*.authorization",
  "*.headers.authorization", "kubeconfig.users",
];

/** The one root logger of a process (JSON on stderr); components take `logger.child({component})`. */
export function createLogger(opts: { level?: string; name?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const options: LoggerOptions = {
    level: opts.level ?? "info",
    base: opts.name ? { name: opts.name } : {},
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return pino(options, (opts.destination ?? process.stderr) as DestinationStream);
}

export type { Logger };
