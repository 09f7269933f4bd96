import { isConflict, isNotFound, type KubeClients } from "@flotilla/shared";

/** Creates namespaces when missing; remembers the ones it has seen so each costs one call. */
export class NamespaceEnsurer {
  private readonly known = new Set<string>();
  constructor(private readonly clients: KubeClients) {}

  async ensure(name: string): Promise<void> {
    if (this.known.has(name)) return;
    try {
      await this.clients.core.readNamespace({ name });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      try {
        await this.clients.core.createNamespace({ body: { apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { "app.kubernetes.io/managed-by": "flotilla" } } } });
      } catch (e) {
        if (!isConflict(e)) throw e;
      }
    }
    this.known.add(name);
  }

  /** Forget a namespace (e.g. after a NotFound on a write into it), so the next ensure checks again. */
  forget(name: string): void {
    this.known.delete(name);
  }
}
