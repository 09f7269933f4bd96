import { Writable } from "node:stream";
import { createLogger } from "@flotilla/shared";

/** Watch failures as one plain line on stderr each (the informers log JSON; a terminal wants words). */
export function stderrLogger(level = "warn") {
  const destination = new Writable({
    write(chunk, _enc, done) {
      try {
        const l = JSON.parse(String(chunk)) as { msg?: string; error?: string; resource?: string; retryInMs?: number };
        process.stderr.write(`flotilla: ${l.resource ? `${l.resource}: ` : ""}${l.msg ?? ""}${l.error ? `: ${l.error}` : ""}${l.retryInMs !== undefined ? ` (retry in ${l.retryInMs} ms)` : ""}\n`);
      } catch {
        process.stderr.write(chunk);
      }
      done();
    },
  });
  return createLogger({ level, destination });
}
