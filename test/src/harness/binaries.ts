import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { BinaryNotFoundError } from "./errors.js";
import { silentLogger, type HarnessLogger } from "./logger.js";

/** Absolute paths of the binaries the harness runs. */
export interface Binaries {
  kubeApiserver: string;
  /** Absent when the binaries come from elsewhere (envtest assets) without one. */
  kubeControllerManager?: string;
  /** For people and scripts using the dev fleet; built with kube-apiserver, optional elsewhere. */
  kubectl?: string;
  etcd: string;
  natsServer: string;
  /** Helm 4, for the hub's chart rendering (`--helm`) and the chart tests. */
  helm: string;
}

export interface EnsureBinariesOptions {
  log?: HarnessLogger;
  /** Defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Defaults to `test/harness/go/build-binaries.sh` of this package. */
  buildScript?: string;
}

/** The build script's `--print-dirs` output: where it puts (or has put) each binary. */
export interface CacheDirs {
  kube: string;
  etcd: string;
  nats: string;
  helm: string;
  registry: string;
  prometheus: string;
}

export type BuildTarget = "kube" | "etcd" | "nats" | "helm" | "registry" | "prometheus";

export interface BinaryPlan {
  binaries: Binaries;
  /** Build-script targets to run before the paths in `binaries` exist. */
  build: BuildTarget[];
}

/** This package's build script, found from this module (src/harness or dist/harness alike). */
export function defaultBuildScript(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "../../harness/go/build-binaries.sh");
}

/**
 * Decides where each binary comes from. Envtest conventions win: `TEST_ASSET_*` for one binary,
 * `KUBEBUILDER_ASSETS` for a directory of them; then the build cache, built when missing. Pure apart from
 * `isExecutable`.
 */
export function planBinaries(
  env: NodeJS.ProcessEnv,
  dirs: CacheDirs,
  isExecutable: (path: string) => boolean,
): BinaryPlan {
  const assets = nonEmpty(env.KUBEBUILDER_ASSETS);
  const build = new Set<BuildTarget>();
  const fromAssets = (file: string): string | undefined => {
    if (assets === undefined) return undefined;
    const path = join(assets, file);
    return isExecutable(path) ? path : undefined;
  };
  const cached = (target: BuildTarget, dir: string, file: string): string => {
    const path = join(dir, file);
    if (!isExecutable(path)) build.add(target);
    return path;
  };

  const explicitApiserver = nonEmpty(env.TEST_ASSET_KUBE_APISERVER) ?? fromAssets("kube-apiserver");
  const kubeApiserver = explicitApiserver ?? cached("kube", dirs.kube, "kube-apiserver");
  const etcd = nonEmpty(env.TEST_ASSET_ETCD) ?? fromAssets("etcd") ?? cached("etcd", dirs.etcd, "etcd");
  const natsServer = nonEmpty(env.TEST_ASSET_NATS_SERVER) ?? cached("nats", dirs.nats, "nats-server");
  const helm = nonEmpty(env.TEST_ASSET_HELM) ?? cached("helm", dirs.helm, "helm");

  // The controller manager is optional: take it from wherever the apiserver came from, or from the
  // cache when that exists or is being built anyway (one build makes both).
  const cachedKcm = join(dirs.kube, "kube-controller-manager");
  const kubeControllerManager =
    nonEmpty(env.TEST_ASSET_KUBE_CONTROLLER_MANAGER) ??
    fromAssets("kube-controller-manager") ??
    (explicitApiserver === undefined || isExecutable(cachedKcm) ? cachedKcm : undefined);

  const cachedKubectl = join(dirs.kube, "kubectl");
  const kubectl =
    nonEmpty(env.TEST_ASSET_KUBECTL) ??
    fromAssets("kubectl") ??
    (explicitApiserver === undefined || isExecutable(cachedKubectl) ? cachedKubectl : undefined);
  if (explicitApiserver === undefined && !isExecutable(cachedKubectl)) build.add("kube");

  const binaries: Binaries = { kubeApiserver, etcd, natsServer, helm };
  if (kubeControllerManager !== undefined) binaries.kubeControllerManager = kubeControllerManager;
  if (kubectl !== undefined) binaries.kubectl = kubectl;
  return { binaries, build: [...build] };
}

/** Parses `KUBE_DIR=…`, `ETCD_DIR=…`, `NATS_DIR=…`, `HELM_DIR=…`, `REGISTRY_DIR=…`, `PROMETHEUS_DIR=…` lines. */
export function parseCacheDirs(output: string): CacheDirs {
  const values = new Map<string, string>();
  for (const line of output.split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0) values.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  const get = (key: string): string => {
    const value = values.get(key);
    if (value === undefined || !isAbsolute(value)) throw new Error(`build script printed no absolute ${key}`);
    return value;
  };
  return {
    kube: get("KUBE_DIR"), etcd: get("ETCD_DIR"), nats: get("NATS_DIR"), helm: get("HELM_DIR"), registry: get("REGISTRY_DIR"),
    prometheus: get("PROMETHEUS_DIR"),
  };
}

/**
 * Absolute paths of kube-apiserver, kube-controller-manager (when available), etcd and nats-server.
 * Builds what is missing with the build script (a no-op when cached; its progress goes to stderr; a lock
 * makes concurrent callers wait for one build).
 */
export async function ensureBinaries(options: EnsureBinariesOptions = {}): Promise<Binaries> {
  const log = options.log ?? silentLogger;
  const env = options.env ?? process.env;
  const script = options.buildScript ?? defaultBuildScript();
  const dirs = parseCacheDirs(await runScript(script, ["--print-dirs"], env, "pipe"));
  const plan = planBinaries(env, dirs, isExecutable);
  for (const target of plan.build) {
    log.info({ target, script }, "building control-plane binaries (progress on stderr)");
    await runScript(script, [target], env, "inherit");
  }
  const { binaries } = plan;
  for (const [name, path] of Object.entries(binaries)) {
    if (path !== undefined && !isExecutable(path)) throw new BinaryNotFoundError(`${name}: ${path} is not an executable file`);
  }
  log.debug({ binaries }, "control-plane binaries");
  return binaries;
}

/** A binary only some tests need: not built up front, but on first use. */
interface OnDemandTool {
  /** The build-script target, which is also its key in `CacheDirs`. */
  target: "registry" | "prometheus";
  file: string;
  /** The variable that names a binary to use instead (envtest's `TEST_ASSET_*` convention). */
  envVar: string;
  what: string;
}

/** `envVar` when set, else the build cache, built on first use like the control-plane binaries. */
async function ensureOnDemand(tool: OnDemandTool, options: EnsureBinariesOptions): Promise<string> {
  const log = options.log ?? silentLogger;
  const env = options.env ?? process.env;
  const explicit = nonEmpty(env[tool.envVar]);
  if (explicit !== undefined) {
    if (!isExecutable(explicit)) throw new BinaryNotFoundError(`${tool.file}: ${tool.envVar}=${explicit} is not an executable file`);
    return explicit;
  }
  const script = options.buildScript ?? defaultBuildScript();
  const path = join(parseCacheDirs(await runScript(script, ["--print-dirs"], env, "pipe"))[tool.target], tool.file);
  if (!isExecutable(path)) {
    log.info({ target: tool.target, script }, `building ${tool.what} (progress on stderr)`);
    await runScript(script, [tool.target], env, "inherit");
  }
  if (!isExecutable(path)) throw new BinaryNotFoundError(`${tool.file}: ${path} is not an executable file`);
  return path;
}

/** The CNCF distribution registry (OCI chart tests only): `TEST_ASSET_REGISTRY`, else the build cache. */
export function ensureRegistry(options: EnsureBinariesOptions = {}): Promise<string> {
  return ensureOnDemand({ target: "registry", file: "registry", envVar: "TEST_ASSET_REGISTRY", what: "the distribution registry" }, options);
}

/** promtool (the alert-rule tests): `TEST_ASSET_PROMTOOL`, else the build cache (built with prometheus). */
export function ensurePromtool(options: EnsureBinariesOptions = {}): Promise<string> {
  return ensureOnDemand({ target: "prometheus", file: "promtool", envVar: "TEST_ASSET_PROMTOOL", what: "prometheus and promtool" }, options);
}

/** The Prometheus server (the dashboard test): `TEST_ASSET_PROMETHEUS`, else the build cache. */
export function ensurePrometheus(options: EnsureBinariesOptions = {}): Promise<string> {
  return ensureOnDemand({ target: "prometheus", file: "prometheus", envVar: "TEST_ASSET_PROMETHEUS", what: "prometheus and promtool" }, options);
}

/** Whether `path` is a file this process may run. */
export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/** Runs the script; "pipe" returns its stdout, "inherit" sends stdout and stderr to our stderr. */
function runScript(script: string, args: string[], env: NodeJS.ProcessEnv, output: "pipe" | "inherit"): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn("bash", [script, ...args], {
      env,
      stdio: output === "pipe" ? ["ignore", "pipe", "inherit"] : ["ignore", 2, 2],
    });
    let stdout = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.once("error", (err) => reject(new BinaryNotFoundError(`cannot run ${script}: ${err.message}`, { cause: err })));
    child.once("close", (code, signal) => {
      if (code === 0) resolvePromise(stdout);
      else reject(new BinaryNotFoundError(`${script} ${args.join(" ")} failed (code ${code}, signal ${signal})`));
    });
  });
}
