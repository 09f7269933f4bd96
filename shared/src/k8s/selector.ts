/** Pure evaluation of a metav1.LabelSelector (the type generated from crds/) against a label set. */
import type { LabelSelector } from "../api/types.generated.js";

/**
 * An empty or absent selector matches everything, as in Kubernetes. An unknown operator (in data the API
 * server did not check) matches nothing.
 */
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
