import type { KV } from "@nats-io/kv";
import type { Registry } from "prom-client";
import type { BusCodec, BusMetrics, Clock, KubeClients, Logger, ValuesValidator } from "@flotilla/shared";
import type { DesiredStore } from "../bus/desired-store.js";
import { ClustersController } from "../controllers/clusters/controller.js";
import { Publisher } from "../controllers/clusters/publisher.js";
import { RevisionStore } from "../revision/store.js";
import { RenderCache } from "../controllers/clusters/render-cache.js";
import { ImageGate } from "../controllers/placement/image-gate.js";
import { PlacementController } from "../controllers/placement/controller.js";
import { RevisionRecorder } from "../controllers/placement/revisions.js";
import { StatusController } from "../controllers/status/controller.js";
import { StatusWatcher } from "../controllers/status/watcher.js";
import { EventRecorder } from "../kube/events.js";
import { NamespaceEnsurer } from "../kube/namespaces.js";
import { ReportStore } from "../presence/reports.js";
import { PresenceStore } from "../presence/store.js";
import { SourcesController } from "../controllers/sources/controller.js";
import { cmaSchema, ConfigCrdController } from "../controllers/config/controller.js";
import type { ChartTools } from "./charts.js";
import type { BusCredentials } from "../credentials/bus-credentials.js";
import { RegistrationWrites } from "../credentials/credential-writes.js";
import type { Caches, ControllerDeps, Enqueue } from "./context.js";
import type { McaIndex } from "./mca-index.js";

export interface ControllerOptions {
  clients: KubeClients;
  codec: BusCodec;
  validator: ValuesValidator;
  charts: ChartTools;
  logger: Logger;
  /** The config CRD controller's own queue reports its metrics here, like the session's queues. */
  registry?: Registry;
  clock: Clock;
  graceSeconds: number;
  lastSeenRefreshSeconds: number;
  busCredentials: BusCredentials | undefined;
}

export interface Controllers {
  placement: PlacementController;
  clusters: ClustersController;
  status: StatusController;
  sources: SourcesController;
  /** Generated config CRDs and the config objects' values; started by the session. */
  config: ConfigCrdController;
  /** Feeds presence and reports from `flotilla_status`; started by the session. */
  watcher: StatusWatcher;
}

/** Wires the controllers of a leader session to the caches, the bus state and each other (nothing starts). */
export function buildControllers(
  o: ControllerOptions,
  s: { caches: Caches; mcaIndex: McaIndex; enqueue: Enqueue; store: DesiredStore; statusKv: KV; busMetrics: BusMetrics },
): Controllers {
  const { logger } = o;
  const base: ControllerDeps = {
    clients: o.clients,
    caches: s.caches,
    mcaIndex: s.mcaIndex,
    enqueue: s.enqueue,
    namespaces: new NamespaceEnsurer(o.clients),
    events: new EventRecorder(o.clients, logger.child({ component: "events" }), o.clock),
    logger,
    codec: o.codec,
    busMetrics: s.busMetrics,
    clock: o.clock,
  };
  const presence = new PresenceStore();
  const config = new ConfigCrdController({
    clients: o.clients,
    cmas: s.caches.cmas,
    logger: logger.child({ component: "configcrd" }),
    clock: o.clock,
    ...(o.registry ? { registry: o.registry } : {}),
    // A chart's values.schema.json when the CMA has no valuesSchema of its own (read when the chart resolved).
    schemaOf: (cma) => {
      const own = cmaSchema(cma);
      const digest = cma.status?.source?.digest;
      const chart = own === undefined && digest ? o.charts.bundles.schemaOf(digest) : undefined;
      return own ?? (chart ? { schema: chart, ...(cma.status?.source?.version ? { chartVersion: cma.status.source.version } : {}) } : undefined);
    },
    onValuesChange: (cluster) => s.enqueue.cluster(cluster),
  });
  const reports = new ReportStore();
  const imageGate = new ImageGate({ caches: s.caches, charts: o.charts.bundles, validator: o.validator, presence });
  return {
    placement: new PlacementController({
      ...base,
      logger: logger.child({ component: "placement" }),
      revisions: new RevisionRecorder(o.clients, logger.child({ component: "revisions" })),
      validator: o.validator,
      imageGate,
    }),
    clusters: new ClustersController({
      ...base,
      logger: logger.child({ component: "clusters" }),
      presence,
      store: s.store,
      publisher: new Publisher(s.store, logger.child({ component: "publisher" })),
      renderCache: new RenderCache(),
      revisionStore: new RevisionStore(o.clients),
      validator: o.validator,
      charts: o.charts.bundles,
      imagePolicies: (cma) => imageGate.policiesFor(cma),
      configValues: (cluster, addon) => config.valuesFor(cluster, addon),
      graceSeconds: o.graceSeconds,
      lastSeenRefreshSeconds: o.lastSeenRefreshSeconds,
      revoker: o.busCredentials?.revoker,
      sealer: o.busCredentials?.sealer,
      credentialWrites: new RegistrationWrites(o.clients),
    }),
    status: new StatusController({ ...base, logger: logger.child({ component: "status" }), reports }),
    sources: new SourcesController({ ...base, logger: logger.child({ component: "sources" }), fetcher: o.charts.fetcher, credentials: o.charts.credentials, charts: o.charts.bundles }),
    config,
    watcher: new StatusWatcher({
      kv: s.statusKv,
      codec: o.codec,
      metrics: s.busMetrics,
      logger: logger.child({ component: "status-watcher" }),
      presence,
      reports,
      graceSeconds: o.graceSeconds,
      onCluster: (c) => s.enqueue.cluster(c),
      onReport: (c, a) => s.enqueue.report(c, a),
      clock: o.clock,
    }),
  };
}
