/**
 * Bus layout (DESIGN §5). All keys are `.`-separated tokens; cluster and addon names are DNS-1123
 * labels without dots, so each is exactly one token.
 */
export const DESIRED_BUCKET = "flotilla_desired";
export const STATUS_BUCKET = "flotilla_status";

/** Largest bundle value before it is split into `<cluster>.<addon>.part.<n>` keys. */
export const BUNDLE_PART_BYTES = 800 * 1024;

export const desiredIndexKey = (cluster: string): string => cluster;
export const desiredBundleKey = (cluster: string, addon: string): string => `${cluster}.${addon}`;
export const desiredBundlePartKey = (cluster: string, addon: string, part: number): string =>
  `${cluster}.${addon}.part.${part}`;
export const statusAgentKey = (cluster: string): string => cluster;
export const statusAddonKey = (cluster: string, addon: string): string => `${cluster}.${addon}`;

/** Subjects an agent subscribes to as hints (no consumers). */
export const desiredHintSubjects = (cluster: string): string[] => [
  `$KV.${DESIRED_BUCKET}.${cluster}`,
  `$KV.${DESIRED_BUCKET}.${cluster}.>`,
];
export const inboxPrefix = (cluster: string): string => `_INBOX_${cluster}`;

/** Splits a status key into its cluster and (optional) addon. Undefined when the key is foreign. */
export function parseStatusKey(key: string): { cluster: string; addon?: string } | undefined {
  const parts = key.split(".");
  if (parts.length === 1 && parts[0]) return { cluster: parts[0] };
  if (parts.length === 2 && parts[0] && parts[1]) return { cluster: parts[0], addon: parts[1] };
  return undefined;
}
