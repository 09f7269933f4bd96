/**
 * Remembers, per `<cluster>/<addon>`, the inputs of the last render and the digest it gave, so a
 * reconcile whose inputs did not change publishes nothing and renders nothing. Only digests are
 * kept, never bundle bytes.
 */
export class RenderCache {
  private readonly entries = new Map<string, { inputs: string; revision: string; digest: string }>();

  lookup(cluster: string, addon: string, inputs: string): { revision: string; digest: string } | undefined {
    const e = this.entries.get(`${cluster}/${addon}`);
    return e && e.inputs === inputs ? e : undefined;
  }

  remember(cluster: string, addon: string, inputs: string, revision: string, digest: string): void {
    this.entries.set(`${cluster}/${addon}`, { inputs, revision, digest });
  }

  forgetCluster(cluster: string): void {
    for (const k of this.entries.keys()) if (k.startsWith(`${cluster}/`)) this.entries.delete(k);
  }
}
