/**
 * A FIFO over an array and a head index, with in-order iteration of what it holds. Why not
 * Array.shift(): it is O(n) and collapses above ~32k entries (zookeeper-reference.md, section 2);
 * why not RingQueue: walkers must look at every queued entry (to find the lowest pending key).
 */
export class IndexQueue<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    // Drop the reference so consumed entries can be collected before the next compaction.
    this.items[this.head] = undefined;
    this.head += 1;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      // Amortised O(1): the live part is copied only once the consumed part is at least as large.
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let index = this.head; index < this.items.length; index += 1) yield this.items[index] as T;
  }
}
