// A per-process cache that cannot grow without bound: the oldest entries leave first when it
// holds more than `maxEntries`, or more than `maxWeight` by `weigh` (the newest entry always
// stays). With `refreshOnRead`, a read makes an entry the newest (least recently used leaves
// first). Safe in the browser too; nothing here is shared between processes.
type Limits<V> = { maxEntries: number; maxWeight?: number; weigh?: (value: V) => number; refreshOnRead?: boolean };

export class BoundedCache<K, V> {
  readonly #entries = new Map<K, V>();
  readonly #limits: Limits<V>;
  #weight = 0;

  constructor(limits: Limits<V>) {
    this.#limits = limits;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined && this.#limits.refreshOnRead) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  has(key: K): boolean {
    return this.#entries.has(key);
  }

  set(key: K, value: V): this {
    this.delete(key);
    this.#entries.set(key, value);
    this.#weight += this.#weigh(value);
    const { maxEntries, maxWeight = Infinity } = this.#limits;
    for (const [oldest, evicted] of this.#entries) {
      if ((this.#entries.size <= maxEntries && this.#weight <= maxWeight) || this.#entries.size <= 1) break;
      this.#entries.delete(oldest);
      this.#weight -= this.#weigh(evicted);
    }
    return this;
  }

  delete(key: K): boolean {
    if (!this.#entries.has(key)) return false;
    this.#weight -= this.#weigh(this.#entries.get(key)!);
    return this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
    this.#weight = 0;
  }

  #weigh(value: V): number {
    return this.#limits.weigh ? this.#limits.weigh(value) : 0;
  }
}
