import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KubeClients, Logger, ValuesValidator } from "@flotilla/shared";
import { ChartFetcher } from "../charts/fetcher.js";
import { secretCredentials } from "../controllers/sources/credentials.js";
import type { ChartOptions } from "../options.js";
import { ChartBundles } from "../render/chart-bundle.js";
import { HelmRenderer } from "../render/helm/renderer.js";

/** What helm sources need, made once per hub process (its caches outlive leader sessions). */
export interface ChartTools {
  fetcher: ChartFetcher;
  renderer: HelmRenderer;
  bundles: ChartBundles;
  credentials: ReturnType<typeof secretCredentials>;
  close(): Promise<void>;
}

export function chartTools(o: ChartOptions, d: { clients: KubeClients; validator: ValuesValidator; logger: Logger }): ChartTools {
  const fetcher = new ChartFetcher({ cacheDir: o.cacheDir ?? join(tmpdir(), "flotilla-charts"), logger: d.logger, plainHTTP: o.plainHTTP ?? "never" });
  const renderer = new HelmRenderer({ helm: o.helm ?? "helm" });
  const credentials = secretCredentials(d.clients);
  return { fetcher, renderer, credentials, bundles: new ChartBundles({ fetcher, renderer, validator: d.validator, credentials }), close: () => renderer.close() };
}
