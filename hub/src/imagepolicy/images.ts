/**
 * Every container image of rendered objects (pure): the containers, initContainers and
 * ephemeralContainers of Pods and of the Pod templates of the built-in workload kinds. Kinds are matched
 * with their API group, so a custom resource that happens to be called `Deployment` is not read as one.
 */

export interface ImageUse {
  /** The `image` field as rendered (not a string when a manifest put something else there). */
  image: unknown;
  /** Where: `Deployment ns/name container web` (for messages). */
  where: string;
}

interface ObjectLike {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown; namespace?: unknown };
  spec?: unknown;
}

const CONTAINER_FIELDS = ["initContainers", "containers", "ephemeralContainers"] as const;

type Path = readonly string[];
const TEMPLATE: Path = ["spec", "template", "spec"];

/** `group/Kind` → where the Pod spec is. The core group is "". */
const POD_SPECS: ReadonlyMap<string, Path> = new Map([
  ["/Pod", ["spec"]],
  ["/ReplicationController", TEMPLATE],
  ["apps/Deployment", TEMPLATE],
  ["apps/StatefulSet", TEMPLATE],
  ["apps/DaemonSet", TEMPLATE],
  ["apps/ReplicaSet", TEMPLATE],
  ["extensions/Deployment", TEMPLATE],
  ["extensions/DaemonSet", TEMPLATE],
  ["extensions/ReplicaSet", TEMPLATE],
  ["batch/Job", TEMPLATE],
  ["batch/CronJob", ["spec", "jobTemplate", "spec", "template", "spec"]],
]);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const groupOf = (apiVersion: unknown): string => {
  const s = typeof apiVersion === "string" ? apiVersion : "";
  return s.includes("/") ? s.slice(0, s.indexOf("/")) : "";
};

function at(o: unknown, path: Path): unknown {
  let cur = o;
  for (const k of path) cur = isRecord(cur) ? cur[k] : undefined;
  return cur;
}

function describeObject(o: ObjectLike): string {
  const ns = typeof o.metadata?.namespace === "string" ? `${o.metadata.namespace}/` : "";
  return `${String(o.kind)} ${ns}${String(o.metadata?.name ?? "?")}`;
}

export function imagesOf(objects: readonly unknown[]): ImageUse[] {
  const out: ImageUse[] = [];
  for (const o of objects) {
    if (!isRecord(o)) continue;
    const obj = o as ObjectLike;
    const path = POD_SPECS.get(`${groupOf(obj.apiVersion)}/${String(obj.kind)}`);
    const podSpec = path ? at(obj, path) : undefined;
    if (!isRecord(podSpec)) continue;
    for (const field of CONTAINER_FIELDS) {
      const list = podSpec[field];
      if (!Array.isArray(list)) continue;
      for (const c of list) {
        if (!isRecord(c) || !("image" in c)) continue;
        const name = typeof c.name === "string" ? c.name : "?";
        const kind = field === "containers" ? "container" : field === "initContainers" ? "init container" : "ephemeral container";
        out.push({ image: c.image, where: `${describeObject(obj)} ${kind} ${name}` });
      }
    }
  }
  return out;
}
