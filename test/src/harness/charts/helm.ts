import { spawn } from "node:child_process";
import { copyFile, mkdir } from "node:fs/promises";
import { basename, join } from "node:path";
import { ensureBinaries } from "../binaries.js";
import { HARNESS_RUN_ENV, harnessRunId } from "../run.js";
import { makeTempDir, removeDir } from "../tmp.js";

/**
 * The real helm, run with its config, cache and data homes in a temp dir of its own, so a test never
 * reads or writes the user's helm setup (registry logins, repositories).
 */
export class HelmCli {
  private constructor(
    readonly binary: string,
    readonly home: string,
  ) {}

  static async create(binary?: string): Promise<HelmCli> {
    return new HelmCli(binary ?? (await ensureBinaries()).helm, await makeTempDir("helm-home"));
  }

  /** Runs helm; resolves with its output (stdout and stderr), rejects with it when helm fails. */
  async run(args: string[]): Promise<string> {
    return (await runTool(this.binary, args, this.env())).all;
  }

  /** Runs helm; resolves with its stdout alone (e.g. the manifests of `helm template`, without warnings). */
  async stdout(args: string[]): Promise<string> {
    return (await runTool(this.binary, args, this.env())).stdout;
  }

  private env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      HELM_CONFIG_HOME: join(this.home, "config"),
      HELM_CACHE_HOME: join(this.home, "cache"),
      HELM_DATA_HOME: join(this.home, "data"),
      [HARNESS_RUN_ENV]: harnessRunId(),
    };
  }

  /** `helm push <tgz> <ociURL> --plain-http`, with credentials when given. */
  async push(tgz: string, ociURL: string, creds?: { username: string; password: string }): Promise<string> {
    const login = creds === undefined ? [] : ["--username", creds.username, "--password", creds.password];
    return this.run(["push", tgz, ociURL, "--plain-http", ...login]);
  }

  /** Copies the archive into a repository directory and rewrites its index with relative URLs. */
  async addToRepo(repoDir: string, tgz: string): Promise<string> {
    await mkdir(repoDir, { recursive: true });
    const dest = join(repoDir, basename(tgz));
    await copyFile(tgz, dest);
    await this.run(["repo", "index", repoDir]);
    return dest;
  }

  /**
   * A new version of a real chart: unpacks `tgz` into a temp dir and `helm package`s it as `version`
   * into `outDir`; returns the new archive's path.
   */
  async repackage(tgz: string, version: string, outDir: string): Promise<string> {
    const work = await makeTempDir("helm-repackage");
    try {
      await runTool("tar", ["-xzf", tgz, "-C", work], process.env);
      const chart = basename(tgz).replace(/-\d+\.\d+\.\d+.*\.tgz$/, "");
      await mkdir(outDir, { recursive: true });
      await this.run(["package", join(work, chart), "--version", version, "--destination", outDir]);
      return join(outDir, `${chart}-${version}.tgz`);
    } finally {
      await removeDir(work);
    }
  }

  async dispose(): Promise<void> {
    await removeDir(this.home);
  }
}

function runTool(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string; all: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let all = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => ((stdout += c), (all += c)));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (all += c));
    child.once("error", reject);
    child.once("close", (code) => (code === 0 ? resolve({ stdout, all }) : reject(new Error(`${basename(command)} ${args[0] ?? ""} failed (code ${code}): ${all.trim().slice(-2000)}`))));
  });
}
