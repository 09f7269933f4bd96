/**
 * Whether a chart's own templates use the built-in `flotilla` values. Charts that do not (every public
 * chart) get none: their output then does not depend on the cluster's name, so one render serves every
 * cluster with the same values, and a chart whose values.schema.json forbids unknown keys (cert-manager's
 * does) is not refused for a key it never asked for.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { tarFiles, type TarFile } from "./tar.js";

export const BUILTIN_VALUES_KEY = "flotilla";

/** A chart unpacks to a few MiB; more is refused rather than held in memory. */
const MAX_UNPACKED_BYTES = 64 * 1024 * 1024;
const gunzipAsync = promisify(gunzip);

/** A file of the top chart's `templates/` (archive paths start with the chart's folder name). */
const isTopTemplate = (path: string): boolean => /^[^/]+\/templates\//.test(path);

/** Pure: does any template of the top chart mention the key (`.Values.flotilla`, `index .Values "flotilla"`)? */
export function templatesMention(files: readonly TarFile[], word: string): boolean {
  const contains = (data: Uint8Array): boolean => Buffer.from(data.buffer, data.byteOffset, data.byteLength).includes(word);
  return files.some((f) => isTopTemplate(f.path) && contains(f.data));
}

async function walk(root: string, dir: string, out: TarFile[]): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await walk(root, full, out);
    else if (entry.isFile()) out.push({ path: `chart/${relative(root, full)}`, data: await readFile(full) });
  }
}

/** The chart's files: a packaged chart (.tgz) or an unpacked chart directory. */
export async function readChartFiles(chartPath: string): Promise<TarFile[]> {
  if ((await stat(chartPath)).isDirectory()) {
    const out: TarFile[] = [];
    await walk(chartPath, chartPath, out);
    return out;
  }
  return tarFiles(await gunzipAsync(await readFile(chartPath), { maxOutputLength: MAX_UNPACKED_BYTES }));
}
