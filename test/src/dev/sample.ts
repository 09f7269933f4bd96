import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { parse } from "yaml";
import { CustomObjectsApi } from "@kubernetes/client-node";
import { findCondition, resources, type ClusterManagementAddOn, type Logger } from "@flotilla/shared";
import type { Fleet } from "../fleet/fleet.js";
import { sampleAddonPath } from "./files.js";

const SAMPLE_WAIT_MS = 120_000;

/** Applies the sample addon and waits until every cluster has it available (warns and goes on after 2 min). */
export async function applySample(fleet: Fleet, logger: Logger): Promise<void> {
  const cma = parse(await readFile(sampleAddonPath(), "utf8")) as ClusterManagementAddOn;
  const r = resources.clusterManagementAddOns;
  const api = fleet.hubKubeConfig.makeApiClient(CustomObjectsApi);
  await api.createClusterCustomObject({ group: r.group, version: r.version, plural: r.plural, body: cma });
  const name = cma.metadata?.name ?? "";
  logger.info({ addon: name }, "sample addon applied; waiting until it is available on every cluster");
  const deadline = Date.now() + SAMPLE_WAIT_MS;
  for (;;) {
    const got = (await api.getClusterCustomObject({ group: r.group, version: r.version, plural: r.plural, name })) as ClusterManagementAddOn;
    const s = got.status?.summary;
    if (s && s.desired === fleet.clusterNames().length && s.available === s.desired) return;
    if (Date.now() > deadline) {
      logger.warn({ addon: name, summary: s, ready: findCondition(got.status?.conditions, "Ready") }, "sample addon not available everywhere after 120 s; continuing");
      return;
    }
    await sleep(250);
  }
}
