import { FlotillaError } from "@flotilla/shared";

/** API group of every generated config CRD. */
export const CONFIG_GROUP = "config.addon.flotilla.dev";
/** CRD annotation: JSON list of `{name, chartVersion, schemaHash}`, one per version, oldest first. */
export const VERSIONS_ANNOTATION = `${CONFIG_GROUP}/versions`;

export interface ConfigNames {
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
}

/**
 * `cert-manager` → `CertManagerConfig`, plural `certmanagerconfigs`. Kubernetes wants the lowercase kind
 * and the plural to be DNS-1035 labels (a letter first, at most 63 characters): an addon name starting
 * with a digit gets the prefix `Addon`; one too long for the plural is Invalid.
 */
export function configNames(addon: string): ConfigNames {
  const pascal = addon
    .split("-")
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join("");
  const kind = `${/^[A-Za-z]/.test(pascal) ? "" : "Addon"}${pascal}Config`;
  const singular = kind.toLowerCase();
  const plural = `${singular}s`;
  if (plural.length > 63) throw new FlotillaError("Invalid", `addon name ${addon} makes the plural ${plural}, longer than the 63 characters Kubernetes allows`);
  return { kind, listKind: `${kind}List`, plural, singular };
}

export const configCrdName = (addon: string): string => `${configNames(addon).plural}.${CONFIG_GROUP}`;
