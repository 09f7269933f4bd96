/**
 * The real Helm charts kept beside the repository (`../shared/charts/*.tgz`, see its README), used by path
 * and never copied in; `FLOTILLA_CHARTS_DIR` points elsewhere.
 */
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { sha256Hex } from "@flotilla/shared";

/** The charts folder: from src/harness and dist/harness alike, `<repo>/../shared/charts`. */
export function chartsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.FLOTILLA_CHARTS_DIR || resolve(dirname(fileURLToPath(import.meta.url)), "../../../../shared/charts");
}

export const REAL_CHARTS = {
  certManager: "cert-manager-1.21.1.tgz",
  externalDns: "external-dns-1.21.1.tgz",
  gatekeeper: "gatekeeper-3.24.0-beta.0.tgz",
  ingressNginx: "ingress-nginx-4.15.1.tgz",
} as const;

export interface ChartFile {
  path: string;
  /** `sha256:<hex>` of the archive, what a chart fetcher would record. */
  digest: string;
}

export async function realChart(file: string): Promise<ChartFile> {
  const path = join(chartsDir(), file);
  return { path, digest: `sha256:${sha256Hex(await readFile(path))}` };
}
