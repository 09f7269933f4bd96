import { basename } from "node:path";

/**
 * The name the CLI goes by, from the path it was started as (`process.argv[1]`, symlinks kept): run as
 * the kubectl plugin `kubectl-flotilla` it is `kubectl flotilla` (kubectl's plugin naming: each `-`
 * after `kubectl-` separates words, `_` stands for a `-`), so help and usage show what the user typed.
 */
export function programName(entry: string | undefined): string {
  const base = basename(entry ?? "").replace(/\.(c|m)?js$/, "");
  if (!base.startsWith("kubectl-")) return "flotilla";
  return ["kubectl", ...base.slice("kubectl-".length).split("-").map((w) => w.replace(/_/g, "-"))].join(" ");
}
