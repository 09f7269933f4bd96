import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { FlotillaError } from "@flotilla/shared";
import { SECURITY_HEADERS } from "./http.js";

/** Where the hub's build puts the page (vite: hub/web → hub/dist/web). */
export const WEB_DIR = fileURLToPath(new URL("../web/", import.meta.url));
/** The page's placeholder for the per-run token (hub/web/index.html). */
export const TOKEN_PLACEHOLDER = "__FLOTILLA_TOKEN__";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
};

interface Asset {
  type: string;
  body: Buffer;
  gzip: Buffer;
  immutable: boolean;
}

/**
 * The built page, read into memory once (it is small) with gzip copies; `index.html` gets the run's
 * token. Hashed files under `assets/` are cached forever by the browser, the page itself never.
 */
export class StaticFiles {
  private constructor(private readonly files: Map<string, Asset>) {}

  static async load(token: string, dir = WEB_DIR): Promise<StaticFiles> {
    if (!existsSync(join(dir, "index.html"))) throw new FlotillaError("Terminal", `the dashboard's page is not built (${dir} has no index.html): run npm run build`);
    const files = new Map<string, Asset>();
    for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      const url = "/" + relative(dir, path).split("\\").join("/");
      let body = await readFile(path);
      if (url === "/index.html") body = Buffer.from(body.toString("utf8").replaceAll(TOKEN_PLACEHOLDER, token));
      files.set(url, { type: TYPES[extname(path)] ?? "application/octet-stream", body, gzip: gzipSync(body), immutable: url.startsWith("/assets/") });
    }
    return new StaticFiles(files);
  }

  /** Answers GET/HEAD of a file of the page (`/` is the page itself); false when there is no such file. */
  serve(req: IncomingMessage, res: ServerResponse, pathname: string): boolean {
    const file = this.files.get(pathname === "/" ? "/index.html" : pathname);
    if (!file) return false;
    const gzip = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
    const body = gzip ? file.gzip : file.body;
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      "content-type": file.type,
      "content-length": String(body.length),
      "cache-control": file.immutable ? "public, max-age=31536000, immutable" : "no-store",
      vary: "accept-encoding",
      ...(gzip ? { "content-encoding": "gzip" } : {}),
    });
    res.end(req.method === "HEAD" ? undefined : body);
    return true;
  }
}
