/**
 * Limits of the conversion. A generated CRD is one etcd object (1.5 MiB limit, with the object's
 * metadata and every served version in it), so the schema of one version must stay well under that;
 * inlining `$ref`s can grow a schema exponentially (a definition used twice, which uses another twice…),
 * so the node count is bounded as well. Deeper or larger parts are widened, never cut off silently.
 * No `x-kubernetes-validations` are generated inside the values, so apiextensions' CEL cost budget is
 * not in play (the one rule at the root compares the object's name and costs a constant).
 */
export interface Budget {
  /** Nesting depth of the values schema (objects, arrays, maps); deeper subtrees are widened. */
  maxDepth: number;
  /** Schema nodes in one converted version; past it, every further subtree is widened. */
  maxNodes: number;
  /** JSON size of the whole CRD (all versions); a plan that would exceed it is refused (TooLarge). */
  maxCrdBytes: number;
}

export const DEFAULT_BUDGET: Budget = { maxDepth: 32, maxNodes: 20_000, maxCrdBytes: 1024 * 1024 };
