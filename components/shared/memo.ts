/**
 * Keeps the last value made from a key: `get` returns the same object while every key part is
 * identical (===) to the last call's, so a child element's property does not change, and its
 * work is not redone, on renders where its inputs did not change.
 */
export class Memo<K extends readonly unknown[], V> {
  private last: { key: K; value: V } | null = null;

  constructor(private readonly make: (...key: K) => V) {}

  get(...key: K): V {
    const last = this.last;
    if (last && last.key.length === key.length && key.every((k, i) => k === last.key[i])) return last.value;
    const value = this.make(...key);
    this.last = { key, value };
    return value;
  }
}
