import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The real Helm charts kept beside the repository (`../shared/charts`, see its README; CI lays a copy
 * there too), used by path and never copied into the repository; `FLOTILLA_CHARTS_DIR` points elsewhere.
 * From src/harness/charts and dist/harness/charts alike.
 */
export function chartsDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.FLOTILLA_CHARTS_DIR || resolve(dirname(fileURLToPath(import.meta.url)), "../../../../../shared/charts");
  if (!existsSync(dir)) throw new Error(`the real test charts are not in ${dir}: clone the repository beside shared/, or set FLOTILLA_CHARTS_DIR`);
  return dir;
}

/** The path of one of them, e.g. `cert-manager-1.21.1.tgz`. */
export function realChart(file: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(chartsDir(env), file);
}
