import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * A real chart archive from the project's shared test data (`../shared/charts` beside the repository,
 * or `FLOTILLA_CHARTS_DIR`), used by path and never copied into the repository.
 */
export function realChart(file: string, env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.FLOTILLA_CHARTS_DIR ?? resolve(dirname(fileURLToPath(import.meta.url)), "../../../../../shared/charts");
  return join(dir, file);
}
