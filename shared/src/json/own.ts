/**
 * Keys from users and from the bus are data, whatever they are called. `obj[key] = value` with the key
 * `__proto__` sets the object's prototype instead of a key (the key vanishes, its contents become
 * inherited); `obj[key]` with `constructor` finds Object's. These read and write own keys only.
 */

/** Sets `key` as an own, enumerable data property, as JSON.parse and object spread do. */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The value of `key` if `obj` has it as its own, else undefined. */
export const getOwn = <T>(obj: Record<string, T> | undefined, key: string): T | undefined => (obj && Object.hasOwn(obj, key) ? obj[key] : undefined);
