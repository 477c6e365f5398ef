/**
 * A modal that starts one background job (take a snapshot, export a subtree): the start request's
 * own refusal (the job never began) kept apart from the job's failure, and a close that cancels a
 * job still running and forgets it, so the modal opens clean next time.
 */
import { useState } from 'react';
import { toApiError } from '../../api/api-error';
import { useBackgroundJob } from './use-background-job';

export type BackgroundJob<R> = ReturnType<typeof useBackgroundJob<R>>;

export interface JobModal<R> {
  job: BackgroundJob<R>;
  /** The start request's refusal, or what the modal reports itself (e.g. a failed download). */
  error: string | null;
  setError(error: string | null): void;
  /** The start request is on its way (the job has no id yet). */
  starting: boolean;
  /** Asks the host to start the job and follows it. */
  start(begin: () => Promise<{ jobId: string }>): Promise<void>;
  close(): void;
}

export function useJobModal<R>(options: { onDone?: (result: R) => void; onClose(): void }): JobModal<R> {
  const job = useBackgroundJob<R>(options.onDone);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);

  const start = async (begin: () => Promise<{ jobId: string }>) => {
    setError(null);
    setStarting(true);
    try {
      const started = await begin();
      job.follow(started.jobId);
    } catch (caught) {
      setError(toApiError(caught).message);
    } finally {
      setStarting(false);
    }
  };

  const close = () => {
    if (job.running) void job.cancel();
    job.reset();
    setError(null);
    options.onClose();
  };

  return { job, error, setError, starting, start, close };
}
