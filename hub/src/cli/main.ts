import { programName } from "./program-name.js";
import { buildProgram } from "./program.js";

/**
 * The one CLI, `flotilla` (also installed as the kubectl plugin `kubectl-flotilla`): runs the command
 * in `argv` (process.argv shape) and returns the exit code. Long-running commands return after an
 * orderly, bounded stop; the caller exits with the code so nothing left open keeps the process alive.
 * Nothing here imports shared's index (it loads the Kubernetes client): `--help` stays quick.
 */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram(programName(argv[1])).parseAsync([...argv]);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (err) {
    process.stderr.write(`${programName(argv[1])}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
