/**
 * A Map that never holds more than `maxEntries`: writing a key makes it the
 * newest, and a write into a full map lets the oldest-written entry go. For the
 * in-process caches, so the heap stays bounded whatever the traffic (the service
 * runs with a capped old space: docs/performance.md).
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly maxEntries: number) {
    super();
  }

  override set(key: K, value: V): this {
    this.delete(key);
    if (this.size >= this.maxEntries) this.delete(this.keys().next().value as K);
    return super.set(key, value);
  }
}
