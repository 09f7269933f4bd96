import { PatchStrategy, setHeaderOptions, type CoreV1Api } from "@kubernetes/client-node";
import { AGENT_FIELD_MANAGER, classifyKubeError, isNotFound } from "@flotilla/shared";

/** The agent's own bus credentials: its key seed and the JWT the hub minted for it. */
export interface StoredCredentials {
  seed: string;
  jwt: string;
  /** Seed of the agent's curve key (`SX…`): opens the bundles the hub seals to it. */
  xkey?: string;
}

/**
 * Keeps the agent's bus credentials in a Secret in its namespace on the spoke, so a restart reuses
 * them (no new registration) and the seed never leaves the cluster.
 */
export class CredentialStore {
  constructor(
    private readonly core: CoreV1Api,
    readonly namespace: string,
    readonly name: string,
  ) {}

  async load(): Promise<StoredCredentials | undefined> {
    try {
      const s = await this.core.readNamespacedSecret({ namespace: this.namespace, name: this.name });
      const get = (k: string) => (s.data?.[k] ? Buffer.from(s.data[k], "base64").toString("utf8") : undefined);
      const seed = get("seed");
      const jwt = get("jwt");
      const xkey = get("xkey");
      return seed && jwt ? { seed, jwt, ...(xkey ? { xkey } : {}) } : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw classifyKubeError(err);
    }
  }

  async save(c: StoredCredentials): Promise<void> {
    const body = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: this.name, namespace: this.namespace, labels: { "app.kubernetes.io/name": "flotilla-agent", "app.kubernetes.io/component": "bus-credentials" } },
      type: "Opaque",
      data: { seed: b64(c.seed), jwt: b64(c.jwt), ...(c.xkey ? { xkey: b64(c.xkey) } : {}) },
    };
    await this.core
      .patchNamespacedSecret({ namespace: this.namespace, name: this.name, body, fieldManager: AGENT_FIELD_MANAGER, force: true }, setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply))
      .catch((err: unknown) => {
        throw classifyKubeError(err);
      });
  }
}

const b64 = (s: string): string => Buffer.from(s, "utf8").toString("base64");
