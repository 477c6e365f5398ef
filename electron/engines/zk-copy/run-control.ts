/**
 * Pause, resume and cancel for a running phase. The phase polls `gate()` between units of work:
 * a pause lets work in flight finish (nothing is left half-sent), then waits; a cancel makes the
 * gate throw CancelledError, which the phase lets through after settling what it sent.
 */

export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor() {
    super('The run was cancelled');
  }
}

export type ControlState = 'running' | 'paused' | 'cancelled';

export class RunControl {
  private current: ControlState = 'running';
  /** One promise per state: phases race it against their walk thousands of times per run. */
  private nextChange: { promise: Promise<void>; resolve: () => void } | undefined;
  private parkedWaiters: (() => void)[] = [];
  private isParked = false;

  get state(): ControlState {
    return this.current;
  }

  get paused(): boolean {
    return this.current === 'paused';
  }

  get cancelled(): boolean {
    return this.current === 'cancelled';
  }

  pause(): void {
    if (this.current === 'running') this.set('paused');
  }

  resume(): void {
    if (this.current === 'paused') this.set('running');
  }

  cancel(): void {
    if (this.current !== 'cancelled') this.set('cancelled');
  }

  /** Resolves at the next state change. */
  changed(): Promise<void> {
    if (!this.nextChange) {
      let resolve!: () => void;
      const promise = new Promise<void>((wake) => {
        resolve = wake;
      });
      this.nextChange = { promise, resolve };
    }
    return this.nextChange.promise;
  }

  /** True while a phase waits at its gate, its work in flight settled and checkpointed. */
  get parked(): boolean {
    return this.isParked;
  }

  /** Resolves once a pause took effect (the phase flushed, checkpointed and waits). */
  whenParked(): Promise<void> {
    if (this.isParked) return Promise.resolve();
    return new Promise((resolve) => this.parkedWaiters.push(resolve));
  }

  /**
   * Returns at once while running; waits while paused (calling `onPause` once first, so the phase
   * can flush and checkpoint); throws CancelledError once cancelled.
   */
  async gate(onPause?: () => Promise<void>): Promise<void> {
    if (this.current === 'cancelled') throw new CancelledError();
    if (this.current === 'running') return;
    await onPause?.();
    this.isParked = true;
    const waiters = this.parkedWaiters;
    this.parkedWaiters = [];
    for (const wake of waiters) wake();
    try {
      while (this.current === 'paused') await this.changed();
    } finally {
      this.isParked = false;
    }
    if (this.current === 'cancelled') throw new CancelledError();
  }

  private set(state: ControlState): void {
    this.current = state;
    const change = this.nextChange;
    this.nextChange = undefined;
    change?.resolve();
  }
}
