/**
 * Renders a spec's source for one cluster, whichever kind it is: inline manifests by the pure renderer,
 * a helm chart by `helm template` (which needs the cluster's capabilities). The clusters controller
 * renders what it publishes through it, and the image gate what it checks, so both see the same objects.
 */
import type { ValuesValidator } from "@flotilla/shared";
import { renderBundle, type RenderInput } from "./bundle.js";
import type { ChartBundles, ChartBundleInput, ChartRenderResult } from "./chart-bundle.js";

export interface SourceRenderers {
  charts: Pick<ChartBundles, "render">;
  validator: ValuesValidator;
}

export type SourceRenderInput = Omit<RenderInput, "validateValues"> & { capabilities?: ChartBundleInput["capabilities"] | undefined };

export async function renderSource(r: SourceRenderers, input: SourceRenderInput): Promise<ChartRenderResult> {
  const { capabilities, ...rest } = input;
  if (input.spec.source?.helm && capabilities) return r.charts.render({ ...rest, capabilities });
  return renderBundle({ ...rest, validateValues: (schema, values) => r.validator.validate(schema, values) });
}
