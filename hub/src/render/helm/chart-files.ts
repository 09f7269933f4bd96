/**
 * Whether a chart's own templates use the built-in `flotilla` values. Charts that do not (every public
 * chart) get none: their output then does not depend on the cluster's name, so one render serves every
 * cluster with the same values, and a chart whose values.schema.json forbids unknown keys (cert-manager's
 * does) is not refused for a key it never asked for.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { readChartFiles } from "../../charts/archive.js";

/** One file of a chart, its path starting with the chart's folder (`cert-manager/templates/x.yaml`). */
export interface TarFile {
  path: string;
  data: Uint8Array;
}

export const BUILTIN_VALUES_KEY = "flotilla";

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

/** The top chart's templates: of a packaged chart (.tgz) or an unpacked chart directory. */
export async function readChartTemplates(chartPath: string): Promise<TarFile[]> {
  if ((await stat(chartPath)).isDirectory()) {
    const out: TarFile[] = [];
    await walk(chartPath, chartPath, out);
    return out;
  }
  const { topDir, files } = await readChartFiles(await readFile(chartPath), (p) => p.startsWith("templates/"), { source: chartPath });
  return [...files].map(([path, data]) => ({ path: `${topDir ?? "chart"}/${path}`, data }));
}
