/**
 * Long writes over a subtree (recursive delete, recursive ACL) run as jobs the host owns, not as
 * work tied to one HTTP request: an event stream that drops and reconnects (EventSource does that
 * on its own) must find the job and its progress again, never start the write a second time.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter, on } from 'node:events';
import type { TreeJobEvent, TreeJobKind, TreeJobStarted } from '../../../shared/api/node-edit';

export interface TreeJobContext {
  report(event: TreeJobEvent): void;
  /** Aborted when the operator cancels: stop between batches, report what was done. */
  signal: AbortSignal;
}

interface Job {
  id: string;
  kind: TreeJobKind;
  connectionId: string;
  path: string;
  controller: AbortController;
  /** The latest progress event and the final one, replayed to a subscriber that (re)joins. */
  last?: TreeJobEvent;
  final?: TreeJobEvent;
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

export class TreeJobs {
  private readonly jobs = new Map<string, Job>();

  start(
    kind: TreeJobKind,
    connectionId: string,
    path: string,
    run: (context: TreeJobContext) => Promise<TreeJobEvent>,
  ): TreeJobStarted {
    const job: Job = {
      id: randomUUID(),
      kind,
      connectionId,
      path,
      controller: new AbortController(),
      emitter: new EventEmitter(),
    };
    job.emitter.setMaxListeners(50);
    this.jobs.set(job.id, job);
    const report = (event: TreeJobEvent) => {
      if (job.final) return;
      job.last = event;
      job.emitter.emit('event', event);
    };
    const finish = (event: TreeJobEvent) => {
      if (job.final) return;
      job.final = event;
      job.emitter.emit('event', event);
      setTimeout(() => this.jobs.delete(job.id), KEEP_FINISHED_MS).unref();
    };
    // Started on the next tick: the caller gets the id before the first event.
    setImmediate(() => {
      run({ report, signal: job.controller.signal }).then(finish, (error: unknown) =>
        finish({
          type: 'failed',
          message: error instanceof Error ? error.message : String(error),
          done: 0,
          total: 0,
        }),
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
  async *events(jobId: string, signal?: AbortSignal): AsyncGenerator<TreeJobEvent> {
    const job = this.jobs.get(jobId);
    if (!job) throw new UnknownJobError(jobId);
    if (job.final) {
      yield job.final;
      return;
    }
    const stream = on(job.emitter, 'event', signal ? { signal } : undefined);
    if (job.last) yield job.last;
    for await (const [event] of stream) {
      yield event as TreeJobEvent;
      if (event === job.final) return;
    }
  }

  /** Cancels every running job (the host is stopping). */
  cancelAll(): void {
    for (const job of this.jobs.values()) if (!job.final) job.controller.abort();
  }
}
