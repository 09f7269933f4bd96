/** Pure evaluation of a metav1.LabelSelector against a label set. */
export interface LabelSelectorRequirement {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist" | string;
  values?: string[];
}
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** An empty or absent selector matches everything, as in Kubernetes. Unknown operators match nothing. */
export function matchesSelector(selector: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) {
    if (l[k] !== v) return false;
  }
  for (const req of selector?.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, req.key);
    const val = l[req.key];
    switch (req.operator) {
      case "In":
        if (!has || !(req.values ?? []).includes(val as string)) return false;
        break;
      case "NotIn":
        if (has && (req.values ?? []).includes(val as string)) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
