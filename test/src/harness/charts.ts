/**
 * The real Helm charts kept beside the repository (`../shared/charts/*.tgz`, see its README), used by path
 * and never copied in; `FLOTILLA_CHARTS_DIR` points elsewhere.
 */
import { readFile } from "node:fs/promises";
import { sha256Hex } from "@flotilla/shared";
import { chartsDir, realChart as realChartPath } from "./charts/real-charts.js";

export { chartsDir };

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
  const path = realChartPath(file);
  return { path, digest: `sha256:${sha256Hex(await readFile(path))}` };
}
