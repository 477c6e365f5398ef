/**
 * The queue behind a live subscription that listens to several event names: the listeners push
 * events as they come (one queue keeps their order), and the subscription drains them, sleeping
 * while it is empty, until the client goes away.
 */
export class SubscriptionQueue<E> {
  private readonly events: E[] = [];
  private wake: (() => void) | undefined;

  readonly push = (event: E): void => {
    this.events.push(event);
    this.wake?.();
  };

  /** Yields what was pushed, in order, until `signal` aborts. */
  async *drain(signal: AbortSignal | undefined): AsyncGenerator<E> {
    while (!signal?.aborted) {
      if (this.events.length === 0) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          signal?.addEventListener('abort', () => resolve(), { once: true });
        });
        this.wake = undefined;
        continue;
      }
      const batch = this.events.splice(0, this.events.length);
      for (const event of batch) yield event;
    }
  }
}
