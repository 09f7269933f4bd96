// @flotilla/shared: the API types generated from crds/, the bus protocol, and the Kubernetes, queue and
// observability helpers the hub and the agent share. Names are exported one by one.

// API (DESIGN §4): constants, and the types and CRD objects generated from crds/*.yaml
export {
  ADDON_NAME_LABEL,
  AGENT_FIELD_MANAGER,
  CLUSTER_NAME_LABEL,
  DNS1123_LABEL,
  HUB_FIELD_MANAGER,
  KEEP_ANNOTATION,
  SIMULATE_ANNOTATION,
  resources,
  type ResourceRef,
} from "./api/constants.js";
export type {
  // ManagedCluster
  ManagedCluster,
  ManagedClusterSpec,
  ManagedClusterStatus,
  AgentInstall,
  AgentStatus,
  ClusterCredentialsStatus,
  RegistrationStatus,
  // ClusterManagementAddOn
  ClusterManagementAddOn,
  ClusterManagementAddOnSpec,
  ClusterManagementAddOnStatus,
  ImagePolicyRules,
  // ImagePolicy
  ImagePolicy,
  ImagePolicySpec,
  ImagePolicyStatus,
  InstallStrategy,
  InstallStrategyType,
  Placement,
  LabelSelector,
  LabelSelectorRequirement,
  LabelSelectorOperator,
  RolloutStrategy,
  RolloutType,
  RollingStrategy,
  CanaryStrategy,
  CanaryStep,
  CanaryPause,
  RolloutStatus,
  RolloutPhase,
  ApprovedStep,
  AddonSummary,
  ChartResolution,
  ValuesReference,
  ValuesReferenceKind,
  SourceFailure,
  // ManagedClusterAddOn
  ManagedClusterAddOn,
  ManagedClusterAddOnSpec,
  ManagedClusterAddOnStatus,
  ResourceStatus,
  // AddOnRevision
  AddOnRevision,
  AddOnRevisionSpec,
  AddOnRevisionStatus,
  // AppliedAddOn
  AppliedAddOn,
  AppliedAddOnSpec,
  AppliedAddOnStatus,
  InventoryEntry,
  // shared by several kinds
  SecretReference,
  Condition,
  ConditionStatus,
  AddOnSource,
  ConfigCrdSettings,
  Manifest,
  HelmSource,
  HealthCheck,
  HealthCheckCondition,
  HealthCheckField,
  HealthCheckCel,
  DriftPolicy,
  AddonPermission,
} from "./api/types.generated.js";
export { agentCrds, hubCrds } from "./api/crds.generated.js";
export { crdModel } from "./api/crds.js";

// Bus (DESIGN §5): keys, messages and their codec, connection
export {
  BUNDLE_PART_BYTES,
  DESIRED_BUCKET,
  STATUS_BUCKET,
  desiredBundleKey,
  desiredBundlePartKey,
  desiredHintSubjects,
  desiredIndexKey,
  inboxPrefix,
  parseStatusKey,
  statusAddonKey,
  statusAgentKey,
} from "./bus/keys.js";
export {
  MAX_REPORTED_RESOURCES,
  PROTOCOL_VERSION,
  type AddonReport,
  type AgentInfo,
  type DesiredBundle,
  type DesiredBundleParts,
  type DesiredIndex,
  type DesiredIndexEntry,
  type KubeObject,
  type ReportCondition,
} from "./bus/messages.js";
export { BusCodec, DECODE_REASONS, MAX_MESSAGE_BYTES, type DecodeFailure, type DecodeReason, type DecodeResult } from "./bus/codec.js";
export { MAX_NESTING_DEPTH, nestingDepth, parseBoundedJson, type ParseResult } from "./bus/bounded-json.js";
export {
  DIFF_ACTIONS,
  DIFF_SUBJECT_PREFIX,
  MAX_DIFF_CHANGES_PER_OBJECT,
  MAX_DIFF_OBJECTS,
  MAX_DIFF_REQUEST_BYTES,
  MAX_DIFF_RESULT_BYTES,
  MAX_DIFF_VALUE_CHARS,
  diffSubject,
  type DiffAction,
  type DiffChange,
  type DiffCounts,
  type DiffObject,
  type DiffRequest,
  type DiffResult,
} from "./bus/diff.js";
export { connectBus, ensureBuckets, openBuckets, type BusConnectOptions } from "./bus/connect.js";
export {
  BUS_ROLES,
  REGISTER_SUBJECT_PREFIX,
  agentRole,
  bootstrapInboxPrefix,
  bootstrapRole,
  registerSubject,
  type BusRole,
  type BusRoleName,
  type SubjectPermissions,
  type UserLimits,
} from "./bus/permissions.js";
export {
  MAX_REGISTRATION_BYTES,
  REGISTRATION_OUTCOMES,
  type RegistrationOutcome,
  type RegistrationRequest,
  type RegistrationResponse,
} from "./bus/registration.js";

// Errors
export {
  FlotillaError,
  classifyError,
  classifyKubeError,
  errorMessage,
  httpStatusOf,
  isConflict,
  isNotFound,
  kubeErrorMessage,
  type ErrorCode,
} from "./errors.js";

// Content hashing
export { canonicalJson } from "./json/canonical.js";
export { getOwn, setOwn } from "./json/own.js";
export { compareText } from "./json/compare.js";
export { sha256Hex } from "./hash/sha256.js";

// Kubernetes
export { collectionPath, type KubeClients, loadKubeConfig, makeClients } from "./k8s/clients.js";
export { Informer, type InformerEvent, type InformerHandler, type InformerOptions } from "./k8s/informer.js";
export { applyStatus } from "./k8s/apply.js";
export { type ConditionInput, findCondition, isConditionTrue, setCondition, conditionsChanged } from "./k8s/conditions.js";
export { matchesSelector } from "./k8s/selector.js";

export { WorkQueue, type Reconciler, type ReconcileResult, type WorkQueueOptions } from "./queue/workqueue.js";
export { createLogger, REDACT_PATHS, type Logger } from "./observability/logger.js";
export { createRegistry, metricOnce, reconcileMetrics, busMetrics, type BusMetrics } from "./observability/metrics.js";
export { startHealthServer, parseListenAddr, type HealthServer } from "./observability/http.js";
export { ValuesValidator, valuesPath, type ValuesValidation, type ValuesValidatorOptions } from "./values/validator.js";
export { linearRegExp, UnsupportedPatternError, type RegExpLike } from "./values/linear-regexp.js";
export { re2Pattern } from "./values/re2-pattern.js";
export { type Clock, type Timer, systemClock } from "./time/clock.js";
export { parseDuration } from "./time/duration.js";
export { Backoff, backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from "./retry/backoff.js";
export { refill, takeTokens, type BucketState, type RateDecision, type TokenBucketPolicy } from "./rate/token-bucket.js";
export { RateLimiter, takeEach, type LimitDecision, type RateLimiterOptions, type Refusal } from "./rate/limiter.js";
export { untilSignal, stopWithin, runUntilSignal, signalAction, REPEAT_WINDOW_MS, type SignalAction, type UntilSignalOptions } from "./process/signals.js";
export { FLOTILLA_VERSION } from "./version.js";
export { retryUntil, isTransient, type RetryOptions } from "./retry/retry.js";
export { retryAction, NO_FAILURES, type RetryAction, type KeyFailures, type RetryPolicy } from "./queue/retry-action.js";
export { classifyBusError, isWrongLastSequence } from "./bus/errors.js";
export { CONNECT_BACKOFF, DRAIN_DEADLINE_MS, drainWithin } from "./bus/connect.js";
