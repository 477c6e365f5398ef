/**
 * Long writes over a subtree (recursive delete, recursive ACL) run as jobs the host owns, not as
 * work tied to one HTTP request: an event stream that drops and reconnects (EventSource does that
 * on its own) must find the job and its progress again, never start the write a second time.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter, on } from 'node:events';
import type { TreeJobEvent, TreeJobKind } from '../../../shared/api/node-edit';

export interface TreeJobContext<E = TreeJobEvent> {
  report(event: E): void;
  /** Aborted when the operator cancels: stop between batches, report what was done. */
  signal: AbortSignal;
}

interface Job<E, K> {
  id: string;
  kind: K;
  connectionId: string;
  path: string;
  controller: AbortController;
  /** The latest progress event and the final one, replayed to a subscriber that (re)joins. */
  last?: E;
  final?: E;
  emitter: EventEmitter;
}

export class UnknownJobError extends Error {
  override name = 'UnknownJobError';
  constructor(jobId: string) {
    super(`No job ${jobId} is known to this host (it finished a while ago, or the host restarted)`);
  }
}

/** How long a finished job's outcome stays available to late subscribers. */
const KEEP_FINISHED_MS = 10 * 60_000;

/**
 * Generic over the event type, so the explorer's other long jobs (export, import, snapshots) share
 * this lifecycle; `failed` turns a thrown error into the job's final event.
 */
export class TreeJobs<E extends { type: string } = TreeJobEvent, K extends string = TreeJobKind> {
  private readonly jobs = new Map<string, Job<E, K>>();

  constructor(
    private readonly failed: (message: string) => E = (message) =>
      ({ type: 'failed', message, done: 0, total: 0 }) as unknown as E,
  ) {}

  start(
    kind: K,
    connectionId: string,
    path: string,
    run: (context: TreeJobContext<E>) => Promise<E>,
  ): { jobId: string; kind: K; path: string } {
    const job: Job<E, K> = {
      id: randomUUID(),
      kind,
      connectionId,
      path,
      controller: new AbortController(),
      emitter: new EventEmitter(),
    };
    job.emitter.setMaxListeners(50);
    this.jobs.set(job.id, job);
    const report = (event: E) => {
      if (job.final) return;
      job.last = event;
      job.emitter.emit('event', event);
    };
    const finish = (event: E) => {
      if (job.final) return;
      job.final = event;
      job.emitter.emit('event', event);
      setTimeout(() => this.jobs.delete(job.id), KEEP_FINISHED_MS).unref();
    };
    // Started on the next tick: the caller gets the id before the first event.
    setImmediate(() => {
      run({ report, signal: job.controller.signal }).then(finish, (error: unknown) =>
        finish(this.failed(error instanceof Error ? error.message : String(error))),
      );
    });
    return { jobId: job.id, kind, path };
  }

  has(jobId: string): boolean {
    return this.jobs.has(jobId);
  }

  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    if (!job) throw new UnknownJobError(jobId);
    if (job.final) return false;
    job.controller.abort();
    return true;
  }

  /** The job's events: the latest state first, then each new one, ending after the final event. */
  async *events(jobId: string, signal?: AbortSignal): AsyncGenerator<E> {
    const job = this.jobs.get(jobId);
    if (!job) throw new UnknownJobError(jobId);
    if (job.final) {
      yield job.final;
      return;
    }
    const stream = on(job.emitter, 'event', signal ? { signal } : undefined);
    if (job.last) yield job.last;
    for await (const [event] of stream) {
      yield event as E;
      if (event === job.final) return;
    }
  }

  /** Cancels every running job (the host is stopping). */
  cancelAll(): void {
    for (const job of this.jobs.values()) if (!job.final) job.controller.abort();
  }
}
