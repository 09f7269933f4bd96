import {
  Informer,
  resources,
  type AddOnRevision,
  type ClusterManagementAddOn,
  type FlotillaError,
  type KubeClients,
  type Logger,
  type ManagedCluster,
  type ManagedClusterAddOn,
} from "@flotilla/shared";
import type { Problem } from "./view/types.js";

type Resource = (typeof resources)[keyof typeof resources];
type State = { listed: boolean; error?: FlotillaError };

/**
 * What the dashboard shows, kept by list+watch with the user's own credentials: ManagedClusters,
 * ClusterManagementAddOns, ManagedClusterAddOns and AddOnRevisions. A resource the user may not list
 * stays empty and is named as a problem (its informer keeps trying, so granted rights show up).
 * `onChange` listeners hear of every event, coalesced by the caller.
 */
export class FleetCache {
  readonly clusters: Informer<ManagedCluster>;
  readonly addons: Informer<ClusterManagementAddOn>;
  readonly mcas: Informer<ManagedClusterAddOn>;
  readonly revisions: Informer<AddOnRevision>;
  private readonly states = new Map<string, State>();
  private readonly listeners = new Set<() => void>();

  constructor(clients: KubeClients, logger: Logger) {
    const make = <T extends ManagedCluster | ClusterManagementAddOn | ManagedClusterAddOn | AddOnRevision>(resource: Resource) => {
      this.states.set(resource.plural, { listed: false });
      const informer = new Informer<T>({
        clients,
        resource,
        logger,
        onStatus: (error) => {
          this.states.set(resource.plural, error ? { listed: this.states.get(resource.plural)?.listed ?? false, error } : { listed: true });
          this.changed();
        },
      });
      informer.on(() => this.changed());
      return informer;
    };
    this.clusters = make(resources.managedClusters);
    this.addons = make(resources.clusterManagementAddOns);
    this.mcas = make(resources.managedClusterAddOns);
    this.revisions = make(resources.addOnRevisions);
  }

  private get all() {
    return [this.clusters, this.addons, this.mcas, this.revisions];
  }

  async start(): Promise<void> {
    await Promise.all(this.all.map((i) => i.start()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.all.map((i) => i.stop()));
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resources whose last list failed, with why (a 403 says Forbidden and the API server's message). */
  problems(): Problem[] {
    return [...this.states].flatMap(([resource, s]) => (s.error ? [{ resource, code: s.error.code, message: s.error.message }] : []));
  }

  /** Resources not listed yet and not failing either. */
  loading(): string[] {
    return [...this.states].flatMap(([resource, s]) => (!s.listed && !s.error ? [resource] : []));
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
