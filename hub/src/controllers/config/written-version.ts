/**
 * The version a config object was last written at (pure). With conversion `None` the API server only
 * rewrites apiVersion, and it prunes fields the version read does not know, so an object written at
 * v1alpha1 and read at v1alpha2 may lose fields v1alpha2 dropped or renamed. Its full content is what
 * a read at the version of its last write returns: that is the apiVersion of the newest managedFields
 * entry for the main resource (status writes are a subresource and do not count).
 */
interface ManagedField {
  apiVersion?: string;
  time?: string | Date;
  subresource?: string;
  operation?: string;
}

export function writtenVersion(obj: { metadata?: { managedFields?: readonly ManagedField[] } }, served: readonly string[], fallback: string): string {
  let best: { version: string; time: number } | undefined;
  for (const f of obj.metadata?.managedFields ?? []) {
    if (f.subresource) continue;
    const version = f.apiVersion?.split("/")[1];
    if (!version || !served.includes(version)) continue;
    const time = f.time === undefined ? 0 : new Date(f.time).getTime();
    if (!best || time > best.time || (time === best.time && served.indexOf(version) > served.indexOf(best.version))) best = { version, time };
  }
  return best?.version ?? fallback;
}
