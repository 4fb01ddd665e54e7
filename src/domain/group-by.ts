/**
 * Groups items by a key, keeping their order (Node 20 has no `Map.groupBy`). Appends in place:
 * a broadcast of thousands costs one pass, not a copy of the group per item.
 *
 * @example
 * groupBy([{ unit: "a", n: 1 }, { unit: "b", n: 2 }, { unit: "a", n: 3 }], (r) => r.unit) // Map { a → [1, 3], b → [2] }
 */
export function groupBy<K, V>(items: Iterable<V>, key: (item: V) => K): Map<K, V[]> {
  const groups = new Map<K, V[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
