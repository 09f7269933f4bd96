import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import { ensurePrometheus } from "./binaries.js";
import { httpGet } from "./http.js";
import { silentLogger, type HarnessLogger } from "./logger.js";
import { freePort, isAddressInUse } from "./ports.js";
import { readTail, type ManagedProcess } from "./processes.js";
import { spawnUntilReady } from "./ready.js";
import { makeTempDir, removeDir } from "./tmp.js";

export interface PrometheusOptions {
  /** Scrape jobs: job name → `host:port` targets (each scraped at `/metrics`). */
  jobs: Record<string, string[]>;
  /** Rule files to load (absolute paths); evaluated at the scrape interval. */
  ruleFiles?: string[];
  /** Default 1 s. */
  scrapeIntervalSeconds?: number;
  /** Default: `ensurePrometheus()`. */
  binary?: string;
  log?: HarnessLogger;
}

/** One sample of an instant query's result vector. */
export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** A Prometheus server on loopback with its TSDB in a temp dir. */
export interface Prometheus {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly pid: number;
  /** An instant query through `/api/v1/query`; rejects on an error status (a bad expression says why). */
  query(expr: string): Promise<PromSample[]>;
  /** Stops the server and removes its config and TSDB. */
  dispose(): Promise<void>;
}

const START_ATTEMPTS = 5;

/** Starts Prometheus with a generated config; ready once `/-/ready` answers 200. */
export async function startPrometheus(options: PrometheusOptions): Promise<Prometheus> {
  const log = options.log ?? silentLogger;
  const binary = options.binary ?? (await ensurePrometheus({ log }));
  const dir = await makeTempDir("prometheus");
  try {
    const config = join(dir, "prometheus.yml");
    await writeFile(config, stringify(prometheusConfig(options)));
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const logFile = join(dir, "prometheus.log");
      const args = [
        `--config.file=${config}`, `--storage.tsdb.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`,
        "--log.level=warn",
      ];
      try {
        const proc = await spawnUntilReady(
          { name: "prometheus", command: binary, args, logFile },
          { what: "prometheus /-/ready", timeoutMs: 30_000, intervalMs: 100, check: async () => (await httpGet(`http://127.0.0.1:${port}/-/ready`)).status === 200 },
        );
        log.info({ port, pid: proc.pid }, "prometheus ready");
        return new LocalPrometheus(proc, port, dir);
      } catch (err) {
        if (attempt >= START_ATTEMPTS || !isAddressInUse(await readTail(logFile, 20))) throw err;
      }
    }
  } catch (err) {
    await removeDir(dir);
    throw err;
  }
}

export function prometheusConfig(options: Pick<PrometheusOptions, "jobs" | "ruleFiles" | "scrapeIntervalSeconds">): object {
  const interval = `${options.scrapeIntervalSeconds ?? 1}s`;
  return {
    global: { scrape_interval: interval, evaluation_interval: interval, scrape_timeout: interval },
    ...(options.ruleFiles?.length ? { rule_files: options.ruleFiles } : {}),
    scrape_configs: Object.entries(options.jobs).map(([job, targets]) => ({ job_name: job, static_configs: [{ targets }] })),
  };
}

class LocalPrometheus implements Prometheus {
  constructor(
    private readonly proc: ManagedProcess,
    private readonly port: number,
    private readonly dir: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.proc.pid;
  }

  async query(expr: string): Promise<PromSample[]> {
    const res = await fetch(`${this.url}/api/v1/query?${new URLSearchParams({ query: expr })}`);
    const body = (await res.json()) as { status: string; error?: string; data?: { resultType: string; result: PromSample[] } };
    if (body.status !== "success") throw new Error(`query ${expr}: ${body.error ?? res.status}`);
    if (body.data?.resultType !== "vector") throw new Error(`query ${expr}: a ${body.data?.resultType} result, not a vector`);
    return body.data.result;
  }

  async dispose(): Promise<void> {
    await this.proc.stop(5000);
    await removeDir(this.dir);
  }
}
