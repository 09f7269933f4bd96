interface Versioned {
  metadata?: object;
}

const generationOf = (o: Versioned): number | undefined => {
  const g = (o.metadata as { generation?: unknown } | undefined)?.generation;
  return typeof g === "number" ? g : undefined;
};

/**
 * Which view of an object to judge: the watch cache or the apply response. Right after an apply the
 * cache may still hold the previous generation, whose status says "ready" for the old spec; the apply
 * response is then the truth (new generation, not yet observed). Otherwise the cache is newer.
 */
export function freshest<T extends Versioned>(cached: T | undefined, applied: T | undefined): T | undefined {
  if (!cached) return applied;
  if (!applied) return cached;
  const cg = generationOf(cached);
  const ag = generationOf(applied);
  if (cg !== undefined && ag !== undefined && cg < ag) return applied;
  return cached;
}
