/**
 * The one get-or-create of the code base: the value of `key` in `map` (a Map or a WeakMap), made
 * by `make` and stored the first time. Pure (no constructs), so the review can use it too.
 */
interface KeyedStore<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): unknown;
}

export function getOrCreate<K, V>(map: KeyedStore<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}
