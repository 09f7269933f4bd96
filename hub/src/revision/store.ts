/**
 * AddOnRevisions by name, read from the API server once and kept: revisions are immutable, so what was
 * read stays true. The clusters controller reads the one a cluster is held on (a rollback to the last
 * good revision, or a cluster not yet moved) to render it; the newest are kept, the least used dropped.
 */
import { classifyKubeError, isNotFound, resources, type KubeClients } from "@flotilla/shared";
import type { AddOnRevision } from "../api/types.js";

const REV = resources.addOnRevisions;

export class RevisionStore {
  private readonly byName = new Map<string, AddOnRevision>();

  constructor(
    private readonly clients: KubeClients,
    private readonly max = 512,
  ) {}

  /** The revision, or undefined when there is none of that name; other failures are thrown, classified. */
  async get(name: string): Promise<AddOnRevision | undefined> {
    const hit = this.byName.get(name);
    if (hit) {
      this.byName.delete(name);
      this.byName.set(name, hit);
      return hit;
    }
    let rev: AddOnRevision;
    try {
      rev = (await this.clients.custom.getClusterCustomObject({ group: REV.group, version: REV.version, plural: REV.plural, name })) as AddOnRevision;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw classifyKubeError(err);
    }
    this.byName.set(name, rev);
    if (this.byName.size > this.max) this.byName.delete(this.byName.keys().next().value as string);
    return rev;
  }
}
