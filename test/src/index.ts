// @flotilla/test: the local control-plane harness (real kube-apiserver + etcd, nats-server, workload
// simulator) used by integration and end-to-end tests and by `flotilla dev up`.
export {
  ensureBinaries,
  planBinaries,
  parseCacheDirs,
  defaultBuildScript,
  type Binaries,
  type BinaryPlan,
  type BuildTarget,
  type CacheDirs,
  type EnsureBinariesOptions,
} from "./harness/binaries.js";
export {
  createCertificateAuthority,
  issueServingCert,
  issueClientCert,
  createServiceAccountKeys,
  writeClusterCerts,
  SERVING_DNS_NAMES,
  SERVING_IPS,
  type CertificateAuthority,
  type ClusterCertFiles,
  type ClusterCerts,
  type KeyPairPem,
  type ServingCertOptions,
} from "./harness/certs.js";
export {
  startControlPlane,
  type ControlPlane,
  type ControlPlaneOptions,
  type ControlPlaneTimings,
} from "./harness/controlplane.js";
export { BinaryNotFoundError, HarnessLeakError, ProcessStartError, ReadinessTimeoutError } from "./harness/errors.js";
export {
  assertRunClean,
  cleanUpRun,
  describeLeaks,
  findLeakedDirs,
  findLeakedProcesses,
  listProcesses,
  type Leaks,
  type ProcessInfo,
  type Self,
} from "./harness/hygiene.js";
export { certKubeconfigYaml, writeCertKubeconfig, type CertKubeconfigOptions } from "./harness/kubeconfig.js";
export { silentLogger, stderrLogger, type HarnessLogger } from "./harness/logger.js";
export { startNats, type NatsOptions, type NatsServer } from "./harness/nats.js";
export { freePort, isAddressInUse } from "./harness/ports.js";
export {
  DEFAULT_STOP_GRACE_MS,
  pidAlive,
  readTail,
  spawnProcess,
  stopPid,
  type ManagedProcess,
  type ProcessExit,
  type SpawnOptions,
} from "./harness/processes.js";
export { waitUntilReady, type WaitOptions } from "./harness/ready.js";
export { HARNESS_RUN_ENV, harnessRunId, newRunId } from "./harness/run.js";
export { makeTempDir, removeDir, tempDirPrefix } from "./harness/tmp.js";
export { WorkloadSimulator, type WorkloadSimulatorOptions } from "./harness/simulator/simulator.js";
export {
  desiredStatus,
  sameStatus,
  simulatedOutcome,
  statusPatch,
  type SimulatedOutcome,
  type WorkloadKind,
  type WorkloadObject,
} from "./harness/simulator/status.js";
export {
  Fleet,
  devClusterLabels,
  devClusterName,
  flotillaCliPath,
  type FleetFile,
  type FleetOptions,
  type FleetProcess,
} from "./fleet/index.js";
