/**
 * Counters that a checkpoint can claim truthfully.
 *
 * A checkpoint says "everything before this pre-order key is done". Items after it may be done too
 * (work finishes out of order), but a resume visits them again and would count them a second time.
 * So each contribution is kept with its item's key until a checkpoint's cursor passes it: `committed`
 * only ever holds what is before the cursor, and is what the checkpoint stores. `live` (committed plus
 * pending) is what progress shows.
 *
 * One entry per item while it is pending: consecutive adds for one key share an entry, and what a
 * copy counts when a node's write settles (created, bytes) goes into the entry its read made
 * (`addTo`), so the ordered heap holds each item once (a copy of 100k nodes spent ~0.2 s of CPU in
 * a heap twice as busy).
 *
 * Items mostly arrive in key order (the walk hands out pre-order keys, and multiRead answers come back
 * in the order they were asked), so entries whose key is above every entry queued so far go to an
 * ordered lane where adding and committing cost one comparison; only the others go through the heap.
 * Deltas are kept per field index, not in an object per entry with the field names as keys. Both
 * halved this class's share of a 100k-node copy's CPU (bench/copy.ts, profiled).
 */

/** The pending entry of one item, to add to later (addTo). */
export interface TallyEntry {
  readonly key: string;
}

interface Contribution extends TallyEntry {
  /** Field index -> amount: everything one item added while it was pending. */
  deltas: number[];
  committed: boolean;
}

export class PendingTally<C extends { [field: string]: number }> {
  readonly live: C;
  readonly committed: C;
  /** Entries in increasing key order, from `head` on (a queue without shifting). */
  private ordered: Contribution[] = [];
  private head = 0;
  /** Entries that arrived below the ordered lane's last key. */
  private readonly heap: Contribution[] = [];
  private last: Contribution | undefined;
  private readonly fieldIndex = new Map<string, number>();
  private readonly fields: string[] = [];

  constructor(committed: C) {
    this.committed = { ...committed };
    this.live = { ...committed };
  }

  /** Entries waiting for a cursor to pass them. */
  get pending(): number {
    return this.ordered.length - this.head + this.heap.length;
  }

  /** Adds to the item's pending entry (a new one unless the last add was for the same key). */
  add(key: string, field: keyof C & string, amount = 1): TallyEntry {
    (this.live as Record<string, number>)[field] = (this.live[field] ?? 0) + amount;
    const index = this.indexOf(field);
    const last = this.last;
    if (last && !last.committed && last.key === key) {
      last.deltas[index] = (last.deltas[index] ?? 0) + amount;
      return last;
    }
    const deltas: number[] = [];
    deltas[index] = amount;
    const entry: Contribution = { key, deltas, committed: false };
    this.last = entry;
    const ordered = this.ordered;
    if (ordered.length === this.head || ordered[ordered.length - 1]!.key < key) ordered.push(entry);
    else this.push(entry);
    return entry;
  }

  /** Adds to an entry `add` returned, or to a new one for its key once that one was committed. */
  addTo(handle: TallyEntry, field: keyof C & string, amount = 1): TallyEntry {
    const entry = handle as Contribution;
    if (entry.committed) return this.add(entry.key, field, amount);
    (this.live as Record<string, number>)[field] = (this.live[field] ?? 0) + amount;
    const index = this.indexOf(field);
    entry.deltas[index] = (entry.deltas[index] ?? 0) + amount;
    return entry;
  }

  /** Moves every contribution of an item before `cursor` into `committed`. */
  commit(cursor: string): void {
    const ordered = this.ordered;
    while (this.head < ordered.length && ordered[this.head]!.key < cursor) {
      this.apply(ordered[this.head]!);
      this.head += 1;
    }
    this.compact();
    while (this.heap.length > 0 && this.heap[0]!.key < cursor) this.apply(this.pop()!);
  }

  commitAll(): void {
    for (let i = this.head; i < this.ordered.length; i += 1) this.apply(this.ordered[i]!);
    this.ordered = [];
    this.head = 0;
    while (this.heap.length > 0) this.apply(this.pop()!);
  }

  private indexOf(field: string): number {
    let index = this.fieldIndex.get(field);
    if (index === undefined) {
      index = this.fields.length;
      this.fields.push(field);
      this.fieldIndex.set(field, index);
    }
    return index;
  }

  private apply(entry: Contribution): void {
    entry.committed = true;
    const committed = this.committed as Record<string, number>;
    const { deltas } = entry;
    for (let index = 0; index < deltas.length; index += 1) {
      const amount = deltas[index];
      if (amount === undefined) continue;
      const field = this.fields[index]!;
      committed[field] = (committed[field] ?? 0) + amount;
    }
  }

  /** Drops committed entries from the front of the ordered lane once they are most of it. */
  private compact(): void {
    if (this.head === this.ordered.length) {
      this.ordered = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.ordered.length) {
      this.ordered = this.ordered.slice(this.head);
      this.head = 0;
    }
  }

  private push(entry: Contribution): void {
    const heap = this.heap;
    let index = heap.length;
    heap.push(entry);
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (heap[parent]!.key <= entry.key) break;
      heap[index] = heap[parent]!;
      index = parent;
    }
    heap[index] = entry;
  }

  private pop(): Contribution | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || last === undefined) return top;
    const size = heap.length;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= size) break;
      const right = left + 1;
      const child = right < size && heap[right]!.key < heap[left]!.key ? right : left;
      if (heap[child]!.key >= last.key) break;
      heap[index] = heap[child]!;
      index = child;
    }
    heap[index] = last;
    return top;
  }
}
