import { parseArgs } from "node:util";
import { DNS1123_LABEL } from "@flotilla/shared";

/**
 * The agent's flags, parsed without a CLI framework (the agent image carries only agent/ and shared/,
 * and every module it loads costs memory on the edge). `flotilla agent` hands its arguments to this
 * same parser, so the flags have one definition. Every flag also reads `FLOTILLA_<NAME>`.
 */
interface FlagSpec {
  name: string;
  value: string;
  help: string;
  required?: boolean;
  default?: string;
}

const FLAGS: readonly FlagSpec[] = [
  { name: "cluster", value: "name", help: "this cluster's name on the hub (DNS-1123 label, no dots)", required: true },
  { name: "kubeconfig", value: "file", help: "kubeconfig of the managed cluster (default: KUBECONFIG or in-cluster)" },
  { name: "nats", value: "url", help: "NATS server URL(s), comma-separated", required: true },
  { name: "nats-creds", value: "file", help: "NATS credentials file for this cluster" },
  { name: "bootstrap-creds", value: "file", help: "bootstrap credentials (a token's `creds`): register with the hub, keep the credentials it mints in --credentials-secret, renew them" },
  { name: "credentials-secret", value: "name", help: "the Secret in --namespace where the agent keeps its own bus credentials", default: "flotilla-agent-credentials" },
  { name: "metrics-addr", value: "addr", help: "listen address for /metrics, /healthz and /readyz", default: ":9091" },
  { name: "resync", value: "seconds", help: "re-read desired state at least this often (jittered)", default: "30" },
  { name: "reapply", value: "seconds", help: "re-apply an addon whose objects are all watched this often (drift is corrected by watch in between)", default: "600" },
  { name: "heartbeat", value: "seconds", help: "presence heartbeat interval", default: "10" },
  { name: "hook-timeout", value: "seconds", help: "deadline of a Helm hook without addon.flotilla.dev/hook-timeout", default: "300" },
  { name: "log-level", value: "level", help: "log level (trace, debug, info, warn, error)", default: "info" },
  { name: "addon-identity", value: "true|false", help: "apply each addon as its own ServiceAccount, allowed only its kinds and namespaces", default: "true" },
  { name: "namespace", value: "name", help: "the agent's namespace, where the addons' ServiceAccounts are made", default: "flotilla-system" },
];

export interface AgentArgs {
  cluster: string;
  kubeconfig: string | undefined;
  nats: string;
  natsCreds: string | undefined;
  bootstrapCreds: string | undefined;
  credentialsSecret: string;
  metricsAddr: string;
  resyncSeconds: number;
  reapplySeconds: number;
  heartbeatSeconds: number;
  hookTimeoutSeconds: number;
  logLevel: string;
  addonIdentity: boolean;
  namespace: string;
}

export type ParsedAgentArgs =
  | { kind: "run"; args: AgentArgs }
  | { kind: "help"; text: string }
  | { kind: "version" }
  | { kind: "error"; message: string };

export const envName = (flag: string): string => `FLOTILLA_${flag.replace(/-/g, "_").toUpperCase()}`;

/** `--help` text; `prog` is how the user called us (`flotilla agent` or `flotilla-agent`). */
export function agentHelp(prog: string): string {
  const left = (f: FlagSpec) => `  --${f.name} <${f.value}>`;
  const width = Math.max(...FLAGS.map((f) => left(f).length)) + 2;
  const lines = FLAGS.map((f) => {
    const notes = [f.required ? "required" : undefined, f.default !== undefined ? `default: ${f.default}` : undefined, `env: ${envName(f.name)}`].filter(Boolean).join("; ");
    return `${left(f).padEnd(width)}${f.help} (${notes})`;
  });
  return [
    `Usage: ${prog} --cluster <name> --nats <url> [options]`,
    "",
    "Run the agent in a managed cluster: apply what the hub desires, report status and presence.",
    "",
    "Options:",
    ...lines,
    `${"  -h, --help".padEnd(width)}show this help`,
    `${"  --version".padEnd(width)}print the version`,
    "",
  ].join("\n");
}

function positive(name: string, raw: string): number | string {
  const n = Number(raw);
  return Number.isFinite(n) && n > 0 ? n : `--${name} must be a positive number, got ${JSON.stringify(raw)}`;
}

/** Parses the agent's arguments and environment. Pure: never throws, never exits. */
export function parseAgentArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, prog = "flotilla agent"): ParsedAgentArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        ...Object.fromEntries(FLAGS.map((f) => [f.name, { type: "string" as const }])),
        help: { type: "boolean", short: "h" },
        version: { type: "boolean" },
      },
    });
  } catch (err) {
    return { kind: "error", message: `${err instanceof Error ? err.message : String(err)}\n(see ${prog} --help)` };
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  if (v.help) return { kind: "help", text: agentHelp(prog) };
  if (v.version) return { kind: "version" };
  const get = (f: FlagSpec): string | undefined => {
    const flag = v[f.name];
    if (typeof flag === "string") return flag;
    const fromEnv = env[envName(f.name)];
    return fromEnv !== undefined && fromEnv !== "" ? fromEnv : f.default;
  };
  const values = new Map(FLAGS.map((f) => [f.name, get(f)]));
  const missing = FLAGS.filter((f) => f.required && values.get(f.name) === undefined).map((f) => `--${f.name}`);
  if (missing.length) return { kind: "error", message: `missing required option${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (or ${missing.map((m) => envName(m.slice(2))).join(", ")})` };
  const cluster = values.get("cluster") ?? "";
  if (!DNS1123_LABEL.test(cluster)) {
    return { kind: "error", message: `--cluster ${JSON.stringify(cluster)} is not a DNS-1123 label (lowercase letters, digits and '-', at most 63, no dots)` };
  }
  if (values.get("bootstrap-creds") !== undefined && values.get("nats-creds") !== undefined) {
    return { kind: "error", message: "--nats-creds and --bootstrap-creds exclude each other: give the agent its credentials, or let it register for them" };
  }
  const credentialsSecret = values.get("credentials-secret") ?? "flotilla-agent-credentials";
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(credentialsSecret) || credentialsSecret.length > 253) return { kind: "error", message: `--credentials-secret ${JSON.stringify(credentialsSecret)} is not a Secret name` };
  const resync = positive("resync", values.get("resync") ?? "");
  if (typeof resync === "string") return { kind: "error", message: resync };
  const reapply = positive("reapply", values.get("reapply") ?? "");
  if (typeof reapply === "string") return { kind: "error", message: reapply };
  const heartbeat = positive("heartbeat", values.get("heartbeat") ?? "");
  if (typeof heartbeat === "string") return { kind: "error", message: heartbeat };
  const hookTimeout = positive("hook-timeout", values.get("hook-timeout") ?? "");
  if (typeof hookTimeout === "string") return { kind: "error", message: hookTimeout };
  const identity = values.get("addon-identity") ?? "true";
  if (identity !== "true" && identity !== "false") return { kind: "error", message: `--addon-identity must be true or false, got ${JSON.stringify(identity)}` };
  const namespace = values.get("namespace") ?? "flotilla-system";
  if (!DNS1123_LABEL.test(namespace)) return { kind: "error", message: `--namespace ${JSON.stringify(namespace)} is not a DNS-1123 label` };
  return {
    kind: "run",
    args: {
      cluster,
      kubeconfig: values.get("kubeconfig"),
      nats: values.get("nats") ?? "",
      natsCreds: values.get("nats-creds"),
      bootstrapCreds: values.get("bootstrap-creds"),
      credentialsSecret,
      metricsAddr: values.get("metrics-addr") ?? ":9091",
      resyncSeconds: resync,
      reapplySeconds: reapply,
      heartbeatSeconds: heartbeat,
      hookTimeoutSeconds: hookTimeout,
      logLevel: values.get("log-level") ?? "info",
      addonIdentity: identity === "true",
      namespace,
    },
  };
}
