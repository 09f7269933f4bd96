import { AGENT_FIELD_MANAGER, agentCrds, type KubeObject, type Logger } from "@flotilla/shared";
import { waitForCrd } from "../apply/crd-wait.js";
import type { RawObjectApi } from "../apply/object-api.js";

/** Installs (or updates) the agent's own CRDs by server-side apply and waits until they are served. */
export async function installAgentCrds(api: RawObjectApi, logger: Logger, signal?: AbortSignal): Promise<void> {
  for (const crd of agentCrds) {
    const live = await api.apply(crd as unknown as KubeObject, AGENT_FIELD_MANAGER);
    await waitForCrd(api, crd.metadata.name, { initial: live, ...(signal ? { signal } : {}) });
    logger.info({ crd: crd.metadata.name }, "CRD installed");
  }
}
