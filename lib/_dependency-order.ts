/**
 * Dependency order of a list of items: each step takes the earliest item (by its place in the
 * list) whose dependencies are all placed — Kahn's algorithm with the ready items in a min-heap
 * by that place, O(n log n) for the large stacks an Aspect's synth meets. Pure: no constructs.
 */

/** The items in dependency order, and the ones that could not be placed (a cycle, or a dependency outside the list). */
export interface DependencyOrder<T> {
  readonly ordered: T[];
  readonly unplaced: T[];
}

/** Orders `items` so that each comes after its dependencies; among ready items, list order wins. */
export function dependencyOrder<T>(items: readonly T[], dependenciesOf: (item: T) => readonly T[]): DependencyOrder<T> {
  const rank = new Map(items.map((item, i) => [item, i]));
  const waitingFor = items.map((item) => dependenciesOf(item).length);
  const dependents: number[][] = items.map(() => []);
  items.forEach((item, i) => {
    for (const d of dependenciesOf(item)) {
      const j = rank.get(d);
      if (j !== undefined) dependents[j].push(i); // else never ready: unplaced
    }
  });
  const ready = new MinHeap();
  waitingFor.forEach((n, i) => { if (n === 0) ready.push(i); });
  const ordered: T[] = [];
  for (let i = ready.pop(); i !== undefined; i = ready.pop()) {
    ordered.push(items[i]);
    for (const j of dependents[i]) if (--waitingFor[j] === 0) ready.push(j);
  }
  const placed = new Set(ordered);
  return { ordered, unplaced: items.filter((item) => !placed.has(item)) };
}

/** A binary min-heap of integers. */
class MinHeap {
  private readonly items: number[] = [];

  public push(value: number): void {
    const a = this.items;
    let i = a.push(value) - 1;
    while (i > 0 && a[(i - 1) >> 1] > value) {
      a[i] = a[(i - 1) >> 1];
      i = (i - 1) >> 1;
    }
    a[i] = value;
  }

  /** The smallest value, removed; undefined when empty. */
  public pop(): number | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    let i = 0;
    for (let child = 1; child < a.length; child = 2 * i + 1) {
      if (child + 1 < a.length && a[child + 1] < a[child]) child++;
      if (a[child] >= last) break;
      a[i] = a[child];
      i = child;
    }
    a[i] = last;
    return top;
  }
}
