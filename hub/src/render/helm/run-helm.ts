/**
 * One helm process: argv, stdin, a private environment, a deadline and output bounds. Helm is one Go
 * process without children, so killing it ends the run.
 */
import { spawn } from "node:child_process";

export interface HelmRunOptions {
  helm: string;
  argv: readonly string[];
  stdin: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Output beyond this is not kept; the run is killed and reported as `overflow`. */
  maxStdoutBytes: number;
  /** Only the start of stderr is kept (enough for a condition message). */
  maxStderrBytes: number;
  signal?: AbortSignal;
}

export interface HelmRun {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Killed at the deadline. */
  timedOut: boolean;
  /** Killed because stdout passed `maxStdoutBytes`. */
  overflow: boolean;
  /** Killed because the caller's signal aborted. */
  aborted: boolean;
}

/** Rejects only when the process cannot be started (e.g. no helm at that path). */
export function runHelm(o: HelmRunOptions): Promise<HelmRun> {
  return new Promise<HelmRun>((resolve, reject) => {
    const child = spawn(o.helm, o.argv, { env: o.env, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    const run = { timedOut: false, overflow: false, aborted: false };
    const kill = (why: keyof typeof run) => {
      run[why] = true;
      child.kill("SIGKILL");
    };
    const timer = setTimeout(() => kill("timedOut"), o.timeoutMs);
    const onAbort = () => kill("aborted");
    o.signal?.addEventListener("abort", onAbort, { once: true });
    if (o.signal?.aborted) onAbort();
    child.stdout.on("data", (b: Buffer) => {
      outBytes += b.length;
      if (outBytes > o.maxStdoutBytes) kill("overflow");
      else out.push(b);
    });
    child.stderr.on("data", (b: Buffer) => {
      if (errBytes < o.maxStderrBytes) err.push(b.subarray(0, o.maxStderrBytes - errBytes));
      errBytes += b.length;
    });
    // helm may exit (a bad flag) before reading stdin: the EPIPE is expected, not a failure
    child.stdin.on("error", () => undefined);
    child.stdin.end(o.stdin);
    const done = () => {
      clearTimeout(timer);
      o.signal?.removeEventListener("abort", onAbort);
    };
    child.on("error", (e) => {
      done();
      reject(e);
    });
    child.on("close", (exitCode, signal) => {
      done();
      resolve({ stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8"), exitCode, signal, ...run });
    });
  });
}
