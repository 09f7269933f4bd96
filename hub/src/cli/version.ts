// One version for every entry point, from shared's small subpath (not its index, which loads the
// Kubernetes client: `flotilla --version` and `--help` stay quick).
export { FLOTILLA_VERSION } from "@flotilla/shared/version";
