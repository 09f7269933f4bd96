import { V1MicroTime, type V1Lease } from "@kubernetes/client-node";
import { isConflict, isNotFound, kubeErrorMessage, stopWithin, systemClock, type Clock, type KubeClients, type Logger } from "@flotilla/shared";
import { NamespaceEnsurer } from "../kube/namespaces.js";
import { pause } from "../kube/abort.js";
import type { ResolvedLeaderElection } from "../options.js";
import { decideLease, observe, releasedRecord, type LeaseRecord, type Observation } from "./decision.js";

/** Longest wait, on stop, for the controllers to stop and then for the lease release. */
const STOP_LEADING_DEADLINE_MS = 2_000;
const RELEASE_DEADLINE_MS = 1_000;

export interface ElectorOptions extends ResolvedLeaderElection {
  clients: KubeClients;
  logger: Logger;
  /** Called when this process becomes leader. */
  onStartedLeading: () => void;
  /** Called when it stops being leader (lost the lease or stopping); awaited before a release. */
  onStoppedLeading: () => Promise<void>;
  /**
   * Written onto the Lease with every acquire and renew, so they describe the current holder (the hub's
   * version, which `flotilla version` reads with nothing more than read access to the Lease).
   */
  annotations?: Record<string, string>;
  clock?: Clock;
}

const toRecord = (lease: V1Lease): LeaseRecord => {
  const s = lease.spec ?? {};
  const time = (t: unknown): string | undefined => (t instanceof Date ? t.toISOString() : typeof t === "string" ? t : undefined);
  return {
    holderIdentity: s.holderIdentity ?? "",
    leaseDurationSeconds: s.leaseDurationSeconds,
    acquireTime: time(s.acquireTime),
    renewTime: time(s.renewTime),
    leaseTransitions: s.leaseTransitions,
  };
};

const toSpec = (r: LeaseRecord): V1Lease["spec"] => ({
  holderIdentity: r.holderIdentity,
  leaseDurationSeconds: r.leaseDurationSeconds,
  leaseTransitions: r.leaseTransitions,
  ...(r.acquireTime ? { acquireTime: new V1MicroTime(Date.parse(r.acquireTime)) } : {}),
  ...(r.renewTime ? { renewTime: new V1MicroTime(Date.parse(r.renewTime)) } : {}),
});

/**
 * Runs the acquire/renew loop. The leader that fails to renew for two thirds of the lease duration
 * steps down before anyone else can take over; on stop() it releases the lease.
 */
export class LeaderElector {
  private readonly o: ElectorOptions;
  private readonly clock: Clock;
  private readonly abort = new AbortController();
  private observed: (Observation & { version: string }) | undefined;
  private leading = false;
  private lastRenew = 0;
  private waitingLogged = false;
  private loop: Promise<void> | undefined;

  constructor(opts: ElectorOptions) {
    this.o = opts;
    this.clock = opts.clock ?? systemClock;
  }

  isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    if (this.leading) {
      this.leading = false;
      // Bounded: with the API server gone, neither the controllers' last writes nor the release
      // would ever finish; the lease then simply expires.
      await stopWithin(() => this.o.onStoppedLeading(), STOP_LEADING_DEADLINE_MS, this.o.logger, this.clock);
      await stopWithin(() => this.release(), RELEASE_DEADLINE_MS, this.o.logger, this.clock);
    }
  }

  private async run(): Promise<void> {
    const ns = new NamespaceEnsurer(this.o.clients);
    const signal = this.abort.signal;
    while (!signal.aborted) {
      try {
        await ns.ensure(this.o.namespace);
        await this.tryAcquireOrRenew();
      } catch (err) {
        this.o.logger.warn({ err: kubeErrorMessage(err) }, "leader election attempt failed");
      }
      if (this.leading && this.clock.now() - this.lastRenew > (this.o.leaseDurationSeconds * 1000 * 2) / 3) {
        this.o.logger.error({ lease: this.o.leaseName }, "could not renew the lease in time; stepping down");
        await this.stepDown();
      }
      await pause(this.clock, (this.leading ? this.o.renewSeconds : this.o.retrySeconds) * 1000, signal);
    }
  }

  private async tryAcquireOrRenew(): Promise<void> {
    const { coordination } = this.o.clients;
    const { namespace, leaseName: name, identity } = this.o;
    let lease: V1Lease | undefined;
    try {
      lease = await coordination.readNamespacedLease({ name, namespace });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    const now = this.clock.now();
    this.observed = lease ? observe(this.observed, toRecord(lease), lease.metadata?.resourceVersion ?? "", now) : undefined;
    const d = decideLease({ observed: this.observed, identity, now, leaseDurationSeconds: this.o.leaseDurationSeconds });
    if (d.action === "wait") {
      if (this.leading) {
        this.o.logger.warn({ holder: d.holder }, "lease taken by another hub; stepping down");
        await this.stepDown();
      }
      if (!this.waitingLogged) this.o.logger.info({ holder: d.holder, lease: name }, "waiting for leadership");
      this.waitingLogged = true;
      return;
    }
    try {
      const annotations = { ...lease?.metadata?.annotations, ...this.o.annotations };
      const body: V1Lease = { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name, namespace, annotations }, spec: toSpec(d.record) };
      if (d.action === "create") {
        await coordination.createNamespacedLease({ namespace, body });
      } else {
        body.metadata = { ...lease?.metadata, name, namespace, annotations };
        await coordination.replaceNamespacedLease({ name, namespace, body });
      }
    } catch (err) {
      // Someone else wrote first: look again at the next try.
      if (isConflict(err)) return;
      throw err;
    }
    this.lastRenew = now;
    if (!this.leading) {
      this.leading = true;
      this.waitingLogged = false;
      this.o.logger.info({ identity, lease: name }, "became leader");
      this.o.onStartedLeading();
    }
  }

  private async stepDown(): Promise<void> {
    if (!this.leading) return;
    this.leading = false;
    await this.o.onStoppedLeading();
  }

  private async release(): Promise<void> {
    const { namespace, leaseName: name } = this.o;
    try {
      const lease = await this.o.clients.coordination.readNamespacedLease({ name, namespace });
      const rec = toRecord(lease);
      if (rec.holderIdentity !== this.o.identity) return;
      const body: V1Lease = { ...lease, spec: toSpec(releasedRecord(rec, this.clock.now())) };
      await this.o.clients.coordination.replaceNamespacedLease({ name, namespace, body });
      this.o.logger.info({ lease: name }, "released the lease");
    } catch (err) {
      this.o.logger.warn({ err: kubeErrorMessage(err) }, "could not release the lease");
    }
  }
}
