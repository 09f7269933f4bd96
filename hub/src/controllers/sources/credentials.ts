import { FlotillaError, isNotFound, kubeErrorMessage, type KubeClients } from "@flotilla/shared";
import type { SecretReference } from "../../api/types.js";
import type { Credentials } from "../../charts/types.js";

/** The Secret `credentialsSecretRef` names is missing, or lacks `username`/`password`: `CredentialsNotFound`. */
export class CredentialsError extends FlotillaError {
  readonly reason = "CredentialsNotFound";
  constructor(message: string, options?: ErrorOptions) {
    super("NotFound", message, options);
    this.name = "CredentialsError";
  }
}

/**
 * Reads chart repository credentials from a hub Secret: the keys `username` and `password`, as Flux's
 * HelmRepository reads them (a token goes in `password`). The values are handed to the chart fetcher
 * only; they never reach a log, an Event, a status or the bus.
 */
export function secretCredentials(clients: KubeClients): (ref: SecretReference) => Promise<Credentials> {
  return async (ref) => {
    const where = `Secret ${ref.namespace}/${ref.name}`;
    let data: Record<string, string> | undefined;
    try {
      data = (await clients.core.readNamespacedSecret({ name: ref.name, namespace: ref.namespace })).data;
    } catch (err) {
      if (isNotFound(err)) throw new CredentialsError(`${where} (spec.source.helm.credentialsSecretRef) does not exist`);
      throw new FlotillaError("Retryable", `cannot read ${where}: ${kubeErrorMessage(err)}`, { cause: err });
    }
    const decode = (k: string): string | undefined => (data?.[k] !== undefined ? Buffer.from(data[k], "base64").toString("utf8") : undefined);
    const username = decode("username");
    const password = decode("password");
    if (username === undefined || password === undefined) throw new CredentialsError(`${where} has no ${username === undefined ? "username" : "password"} key`);
    return { username, password };
  };
}
