// @flotilla/hub: the hub process, started by `flotilla hub`.
export { runHub } from "./hub.js";
export type { HubHandle, HubOptions, LeaderElectionOptions } from "./options.js";
// The rollout planner (pure): for the benchmarks and the CLI.
export { planRollout, type PlanDecision, type PlanInput, type RolloutCounts } from "./rollout/plan.js";
export { planFleetRollout, type FleetRolloutInput } from "./controllers/placement/rollout.js";
export type { ClusterView } from "./rollout/cluster-state.js";
// Chart sources (HTTP repositories, OCI registries): for the revisions controller and the chart tests.
export { ChartFetcher, type ChartFetcherOptions } from "./charts/fetcher.js";
export { CHART_SOURCE_REASONS, ChartSourceError, isChartSourceError, type ChartSourceReason } from "./charts/errors.js";
export { readChartFiles, type ChartFiles, type ReadChartOptions } from "./charts/archive.js";
export type { ChartLimits, ChartRef, Credentials, ResolvedChart } from "./charts/types.js";
// Helm charts rendered per cluster (the clusters controller's helm sources; the chart tests and benchmark).
export { BOOTSTRAP_TOKEN_TYPE } from "./controllers/registration/token.js";
export { CredentialIssuer, createBusAuthority, credsFromSeed, parseIssuerFile, serverAuthConfig, type BusAuthority, type IssuerFile, type MintedUser } from "./credentials/index.js";
export { HelmRenderer, type HelmRendererOptions, type HelmRenderInput, type HelmRenderOutput, type HelmRenderStats } from "./render/helm/renderer.js";
export { HelmRenderError, HELM_RENDER_REASONS, type HelmRenderReason } from "./render/helm/errors.js";
export type { HelmCapabilities } from "./render/helm/argv.js";
export type { ClusterIdentity } from "./render/helm/key.js";
export { parseTemplateOutput } from "./render/helm/parse.js";
