// @flotilla/test: the local control-plane harness (real kube-apiserver + etcd, nats-server, workload
// simulator) used by integration and end-to-end tests, and the dev fleet behind `flotilla dev up`
// (`@flotilla/test/dev`, loaded by the CLI). Exported here: what scripts outside the package use (CI's
// quick-start check looks for what a run left behind); the tests import the harness modules directly.
export { Fleet, type FleetFile } from "./fleet/index.js";
export { cleanUpRun, describeLeaks, type Leaks } from "./harness/hygiene.js";
