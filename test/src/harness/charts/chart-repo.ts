import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join, normalize, sep } from "node:path";
import { makeTempDir, removeDir } from "../tmp.js";

export interface ChartRepoOptions {
  /** Directory served at `/`; a fresh temp dir (removed on dispose) when absent. */
  dir?: string;
  /** Basic auth every request must carry; none when absent. */
  basicAuth?: { username: string; password: string };
}

/** One request the server answered, for tests that count downloads. */
export interface RepoRequest {
  method: string;
  path: string;
  status: number;
  /** Whether it carried an Authorization header (credentials must not reach another host). */
  authorization: boolean;
}

/**
 * A Helm HTTP chart repository on loopback: a small node:http file server (GET and HEAD only) over a
 * directory holding `index.yaml` and chart archives, with optional basic auth. Our own server rather than
 * nginx so it runs wherever Node does and can count what it served.
 */
export interface ChartRepoServer {
  /** `http://127.0.0.1:<port>`; stable across stop/start. */
  readonly url: string;
  readonly dir: string;
  /** Everything answered since start (or since `requests.length = 0`). */
  readonly requests: RepoRequest[];
  /** Path → URL answered with a 302 (before auth is checked), as a repository moving files to a CDN does. */
  readonly redirects: Map<string, string>;
  /** Stops listening (the port stays ours to start on again). */
  stop(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startChartRepo(options: ChartRepoOptions = {}): Promise<ChartRepoServer> {
  const dir = options.dir ?? (await makeTempDir("chart-repo"));
  const repo = new LocalChartRepo(dir, options.dir === undefined, options.basicAuth);
  try {
    await repo.start();
  } catch (err) {
    await repo.dispose();
    throw err;
  }
  return repo;
}

class LocalChartRepo implements ChartRepoServer {
  readonly requests: RepoRequest[] = [];
  readonly redirects = new Map<string, string>();
  private server: Server | undefined;
  private port = 0;

  constructor(
    readonly dir: string,
    private readonly ownsDir: boolean,
    private readonly auth: { username: string; password: string } | undefined,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => void this.serve(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async dispose(): Promise<void> {
    await this.stop();
    if (this.ownsDir) await removeDir(this.dir);
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const authorization = req.headers.authorization !== undefined;
    const answer = (status: number, headers: Record<string, string> = {}, body = ""): void => {
      this.requests.push({ method: req.method ?? "", path, status, authorization });
      res.writeHead(status, { "content-type": "text/plain", ...headers }).end(body);
    };
    if (req.method !== "GET" && req.method !== "HEAD") return answer(405);
    const moved = this.redirects.get(path);
    if (moved !== undefined) return answer(302, { location: moved });
    if (this.auth && req.headers.authorization !== basic(this.auth)) {
      return answer(401, { "www-authenticate": 'Basic realm="chart repository"' }, "unauthorized\n");
    }
    const file = normalize(join(this.dir, decodeURIComponent(path)));
    if (!file.startsWith(this.dir + sep)) return answer(404);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return answer(404, {}, "not found\n");
    this.requests.push({ method: req.method, path, status: 200, authorization });
    const type = file.endsWith(".yaml") ? "application/x-yaml" : "application/gzip";
    res.writeHead(200, { "content-type": type, "content-length": String(info.size) });
    if (req.method === "HEAD") return void res.end();
    createReadStream(file).pipe(res);
  }
}

function basic(auth: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`;
}
