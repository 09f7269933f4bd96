// @flotilla/test: the local control-plane harness (real kube-apiserver + etcd, nats-server, workload
// simulator) used by integration and end-to-end tests, and the dev fleet behind `flotilla dev up`.
// Exported here: what `flotilla dev` uses; the tests import the harness modules directly.
export { ensureBinaries } from "./harness/binaries.js";
export { readTail, stopPid } from "./harness/processes.js";
export { Fleet, type FleetFile } from "./fleet/index.js";
