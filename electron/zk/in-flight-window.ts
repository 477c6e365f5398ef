/**
 * A bounded concurrency window (a counting semaphore with a FIFO wait queue).
 *
 * Why bounded: the server throttles above globalOutstandingLimit (1000) and node-zookeeper-client's
 * own pending queue is a plain array that gets superlinear when large. Why a ring: a queue drained
 * with Array.shift() collapses above ~32k entries, and callers do queue 100k+ reads at once.
 */

type Waiter = { resolve: (release: () => void) => void; reject: (error: unknown) => void };

/** FIFO queue over a power-of-two ring that doubles when full; O(1) push and shift. */
export class RingQueue<T> {
  private items: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(initialCapacity = 64) {
    let capacity = 1;
    while (capacity < initialCapacity) capacity *= 2;
    this.items = new Array<T | undefined>(capacity);
  }

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.count === this.items.length) this.grow();
    this.items[(this.head + this.count) & (this.items.length - 1)] = item;
    this.count += 1;
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    // Drop the reference so a drained queue does not keep settled work alive.
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & (this.items.length - 1);
    this.count -= 1;
    return item;
  }

  private grow(): void {
    const next = new Array<T | undefined>(this.items.length * 2);
    for (let i = 0; i < this.count; i += 1) next[i] = this.items[(this.head + i) & (this.items.length - 1)];
    this.items = next;
    this.head = 0;
  }
}

export interface InFlightWindowStats {
  limit: number;
  inFlight: number;
  waiting: number;
  /** Highest inFlight seen since creation (or the last resetPeak). */
  peakInFlight: number;
}

export class InFlightWindow {
  readonly limit: number;
  private active = 0;
  private peak = 0;
  private readonly queue = new RingQueue<Waiter>();

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`in-flight window limit must be a positive integer, got ${limit}`);
    }
    this.limit = limit;
  }

  get inFlight(): number {
    return this.active;
  }

  get waiting(): number {
    return this.queue.length;
  }

  stats(): InFlightWindowStats {
    return { limit: this.limit, inFlight: this.active, waiting: this.queue.length, peakInFlight: this.peak };
  }

  resetPeak(): void {
    this.peak = this.active;
  }

  /**
   * Resolves with a release function once a slot is free; slots are granted in call order.
   * Calling release more than once is harmless.
   */
  acquire(): Promise<() => void> {
    if (this.active < this.limit) {
      this.take();
      return Promise.resolve(this.releaser());
    }
    return new Promise<() => void>((resolve, reject) => this.queue.push({ resolve, reject }));
  }

  /** Runs task inside a slot and releases the slot however the task ends. */
  async run<T>(task: () => Promise<T> | T): Promise<T> {
    const release = await this.acquire();
    try {
      return await task();
    } finally {
      release();
    }
  }

  /** Rejects every queued acquire (not the ones holding a slot), e.g. when the session closes. */
  rejectWaiting(error: unknown): void {
    for (let waiter = this.queue.shift(); waiter !== undefined; waiter = this.queue.shift())
      waiter.reject(error);
  }

  private take(): void {
    this.active += 1;
    if (this.active > this.peak) this.peak = this.active;
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      // Hand the slot straight to the next waiter, so active never dips and lets a newcomer jump the queue.
      if (next) next.resolve(this.releaser());
      else this.active -= 1;
    };
  }
}
