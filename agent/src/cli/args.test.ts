import { describe, expect, it } from "vitest";
import { agentHelp, parseAgentArgs } from "./args.js";

const base = ["--cluster", "eu-1", "--nats", "nats://127.0.0.1:4222"];

describe("parseAgentArgs", () => {
  it("takes flags, with defaults for the rest", () => {
    expect(parseAgentArgs(base, {})).toEqual({
      kind: "run",
      args: {
        cluster: "eu-1", kubeconfig: undefined, nats: "nats://127.0.0.1:4222", natsCreds: undefined, bootstrapCreds: undefined, credentialsSecret: "flotilla-agent-credentials",
        metricsAddr: ":9091", resyncSeconds: 30, reapplySeconds: 600, heartbeatSeconds: 10, hookTimeoutSeconds: 300, logLevel: "info", addonIdentity: true, namespace: "flotilla-system",
      },
    });
  });

  it("turns addon identities off with --addon-identity=false (or FLOTILLA_ADDON_IDENTITY=false)", () => {
    const off = (r: ReturnType<typeof parseAgentArgs>) => r.kind === "run" && r.args.addonIdentity === false;
    expect(off(parseAgentArgs([...base, "--addon-identity=false"], {}))).toBe(true);
    expect(off(parseAgentArgs(base, { FLOTILLA_ADDON_IDENTITY: "false" }))).toBe(true);
  });

  it("registers with --bootstrap-creds, keeping its credentials in the Secret named", () => {
    const r = parseAgentArgs([...base, "--bootstrap-creds", "/b.creds", "--credentials-secret", "bus-creds"], {});
    expect(r.kind === "run" && r.args).toMatchObject({ bootstrapCreds: "/b.creds", natsCreds: undefined, credentialsSecret: "bus-creds" });
  });

  it("reads FLOTILLA_* when a flag is absent; the flag wins when both are set", () => {
    const env = { FLOTILLA_CLUSTER: "from-env", FLOTILLA_NATS: "nats://env:4222", FLOTILLA_RESYNC: "5", FLOTILLA_NATS_CREDS: "/c.creds" };
    const r = parseAgentArgs(["--cluster", "from-flag"], env);
    expect(r.kind === "run" && r.args).toMatchObject({ cluster: "from-flag", nats: "nats://env:4222", resyncSeconds: 5, natsCreds: "/c.creds" });
  });

  it.each([
    [["--nats", "n"], "missing required option --cluster (or FLOTILLA_CLUSTER)"],
    [[], "missing required options --cluster, --nats (or FLOTILLA_CLUSTER, FLOTILLA_NATS)"],
    [["--cluster", "eu.1", "--nats", "n"], `--cluster "eu.1" is not a DNS-1123 label`],
    [[...base, "--resync", "0"], `--resync must be a positive number, got "0"`],
    [[...base, "--heartbeat", "soon"], `--heartbeat must be a positive number, got "soon"`],
    [[...base, "--bootstrap-creds", "/b", "--nats-creds", "/c"], "--nats-creds and --bootstrap-creds exclude each other"],
    [[...base, "--bootstrap-creds", "/b", "--credentials-secret", "Mine"], `--credentials-secret "Mine" is not a Secret name`],
    [[...base, "--colour"], "Unknown option '--colour'"],
    [[...base, "--addon-identity", "no"], `--addon-identity must be true or false, got "no"`],
    [[...base, "--namespace", "Flotilla"], `--namespace "Flotilla" is not a DNS-1123 label`],
    [[...base, "extra"], "Unexpected argument 'extra'"],
  ])("%j is refused: %s", (argv, message) => {
    const r = parseAgentArgs(argv, {});
    expect(r.kind).toBe("error");
    expect(r.kind === "error" && r.message).toContain(message);
  });

  it("answers --help and --version before checking anything else", () => {
    expect(parseAgentArgs(["--help"], {})).toEqual({ kind: "help", text: agentHelp("flotilla agent") });
    expect(parseAgentArgs(["-h"], {}, "flotilla-agent").kind).toBe("help");
    expect(parseAgentArgs(["--version"], {})).toEqual({ kind: "version" });
  });
});

describe("agentHelp", () => {
  it("names every flag with its environment variable and marks the required ones", () => {
    const text = agentHelp("flotilla-agent");
    expect(text).toContain("Usage: flotilla-agent --cluster <name> --nats <url> [options]");
    expect(text).toMatch(/--cluster <name> +this cluster's name on the hub .*\(required; env: FLOTILLA_CLUSTER\)/);
    expect(text).toMatch(/--resync <seconds> +.*\(default: 30; env: FLOTILLA_RESYNC\)/);
  });
});
