/** Value paths for widening notes: `.a.b`, `.a[*]` (array items), `.a.*` (map values), `.` the root. */
const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export const ROOT_PATH = ".";
export const propPath = (path: string, key: string): string =>
  `${path === ROOT_PATH ? "" : path}${IDENT.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`}`;
export const itemsPath = (path: string): string => `${path === ROOT_PATH ? "" : path}[*]`;
export const mapPath = (path: string): string => `${path === ROOT_PATH ? "" : path}.*`;
