import type { CoreV1Event } from "@kubernetes/client-node";
import { kubeErrorMessage, type Clock, type KubeClients, type Logger } from "@flotilla/shared";

export interface EventTarget {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; uid?: string };
}

const COMPONENT = "flotilla-hub";

/**
 * Kubernetes Events for transitions worth an audit trail (new revision, rollout done, render failed,
 * cluster availability). Best effort: a failed event is logged, never retried, never fatal. Created in
 * order, one at a time.
 */
export class EventRecorder {
  /** Events are created one after another, so they are stored in the order they happened. */
  private last: Promise<void> = Promise.resolve();

  constructor(
    private readonly clients: KubeClients,
    private readonly logger: Logger,
    private readonly clock: Clock,
  ) {}

  emit(target: EventTarget, type: "Normal" | "Warning", reason: string, message: string): void {
    const name = target.metadata?.name ?? "";
    // Events of cluster-scoped objects live in `default`, as kubectl describe expects.
    const namespace = target.metadata?.namespace ?? "default";
    const at = new Date(this.clock.now());
    const body: CoreV1Event = {
      metadata: { generateName: `${name}.`, namespace },
      involvedObject: {
        apiVersion: target.apiVersion,
        kind: target.kind,
        name,
        ...(target.metadata?.namespace ? { namespace: target.metadata.namespace } : {}),
        ...(target.metadata?.uid ? { uid: target.metadata.uid } : {}),
      },
      type,
      reason,
      message: message.slice(0, 1024),
      firstTimestamp: at,
      lastTimestamp: at,
      count: 1,
      source: { component: COMPONENT },
      reportingComponent: COMPONENT,
    };
    this.last = this.last.then(() =>
      this.clients.core.createNamespacedEvent({ namespace, body }).then(
        () => undefined,
        (err: unknown) => this.logger.debug({ reason, object: name, err: kubeErrorMessage(err) }, "could not record an event"),
      ),
    );
  }
}
