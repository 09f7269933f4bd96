import {
  AGENT_FIELD_MANAGER,
  applyStatus,
  isNotFound,
  resources,
  type AppliedAddOn,
  type AppliedAddOnSpec,
  type Condition,
  type KubeClients,
  type KubeObject,
} from "@flotilla/shared";
import type { RawObjectApi } from "../apply/object-api.js";
import { sortInventory } from "./prune-plan.js";
import type { InventoryItem } from "./ref.js";

const R = resources.appliedAddOns;

/** What the spoke records about one addon (the AppliedAddOn, DESIGN §4). */
export interface AppliedRecord {
  addon: string;
  /** The revision being applied (spec.revision). */
  revision: string;
  /** From the bundle: delete the addon's CRDs on uninstall and prune (spec.deleteCRDs; absent: keep them). */
  deleteCRDs?: boolean;
  /** The revision's Helm hooks as recorded for the uninstall (spec.hooks; hooks/plan.ts recordOf). */
  hooks?: KubeObject[];
  appliedRevision?: string;
  lastAppliedTime?: string;
  inventory: InventoryItem[];
  conditions: Condition[];
}

/** An AppliedAddOn as listed: the spec may be missing or partial when someone else wrote it. */
type AppliedAddOnWire = Omit<AppliedAddOn, "spec"> & { spec?: Partial<AppliedAddOnSpec> };

/** Reads and writes AppliedAddOns (cluster-scoped, one per addon, named after it). */
export class AppliedAddOnStore {
  constructor(
    private readonly api: RawObjectApi,
    private readonly clients: KubeClients,
  ) {}

  async list(): Promise<AppliedRecord[]> {
    const list = (await this.clients.custom.listClusterCustomObject({ group: R.group, version: R.version, plural: R.plural })) as { items?: AppliedAddOnWire[] };
    return (list.items ?? []).flatMap((o) => {
      const rec = toRecord(o);
      return rec ? [rec] : [];
    });
  }

  /** Writes spec (when `specChanged`, or when someone deleted the object) and the whole status. */
  async save(rec: AppliedRecord, specChanged: boolean): Promise<void> {
    if (specChanged) await this.applySpec(rec);
    try {
      await this.applyStatus(rec);
    } catch (err) {
      if (specChanged || !isNotFound(err)) throw err;
      await this.applySpec(rec);
      await this.applyStatus(rec);
    }
  }

  private async applySpec(rec: AppliedRecord): Promise<void> {
    const body: KubeObject = {
      apiVersion: `${R.group}/${R.version}`,
      kind: R.kind,
      metadata: { name: rec.addon, labels: { "app.kubernetes.io/managed-by": "flotilla-agent" } },
      spec: { addon: rec.addon, revision: rec.revision, ...(rec.deleteCRDs ? { deleteCRDs: true } : {}), ...(rec.hooks?.length ? { hooks: rec.hooks } : {}) },
    };
    await this.api.apply(body, AGENT_FIELD_MANAGER);
  }

  private async applyStatus(rec: AppliedRecord): Promise<void> {
    const status = {
      ...(rec.appliedRevision ? { appliedRevision: rec.appliedRevision } : {}),
      ...(rec.lastAppliedTime ? { lastAppliedTime: rec.lastAppliedTime } : {}),
      inventory: sortInventory(rec.inventory).map(({ group, version, kind, namespace, name, uid }) => ({ group, version, kind, ...(namespace ? { namespace } : {}), name, uid })),
      conditions: rec.conditions,
    };
    await applyStatus(this.clients, R, rec.addon, undefined, status, AGENT_FIELD_MANAGER);
  }

  /** Deletes the record; false when it was not there. */
  async remove(addon: string): Promise<boolean> {
    return this.api.remove({ group: R.group, version: R.version, kind: R.kind, name: addon });
  }
}

function toRecord(o: AppliedAddOnWire): AppliedRecord | undefined {
  const addon = o.spec?.addon ?? o.metadata?.name;
  if (!addon) return undefined;
  return {
    addon,
    revision: o.spec?.revision ?? "",
    ...(o.spec?.deleteCRDs ? { deleteCRDs: true } : {}),
    ...(o.spec?.hooks?.length ? { hooks: o.spec.hooks as KubeObject[] } : {}),
    ...(o.status?.appliedRevision ? { appliedRevision: o.status.appliedRevision } : {}),
    ...(o.status?.lastAppliedTime ? { lastAppliedTime: o.status.lastAppliedTime } : {}),
    inventory: (o.status?.inventory ?? []).map((i) => ({ ...i, uid: i.uid ?? "" })),
    conditions: o.status?.conditions ?? [],
  };
}
