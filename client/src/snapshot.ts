/** Equality of JSON-like data (what a snapshot holds): primitives, arrays and plain objects. */
export function sameData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  return keysA.every((key) => Object.prototype.hasOwnProperty.call(y, key) && sameData(x[key], y[key]));
}

/**
 * Hands out the same object for as long as what it describes is the same, so
 * `useSyncExternalStore`, `Object.is`-based memoization and Vue's `shallowRef` see a
 * change only when there is one.
 */
export class StableValue<T extends object> {
  private current: T | null = null;

  take(next: T): T {
    if (this.current && sameData(this.current, next)) return this.current;
    this.current = Object.freeze(next);
    return this.current;
  }
}
