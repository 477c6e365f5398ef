/**
 * Follows one of the host's background jobs (export, import, snapshot capture, comparison): its
 * progress events, then its outcome with the result. The event stream replays the latest state when
 * it reconnects, so a dropped stream never loses where the job stands.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { JobEvent, JobProgressEvent } from '../../../../shared/api/background-job';
import { toApiError } from '../../api/api-error';
import { api } from '../../api/client';

export interface BackgroundJobState<R> {
  jobId: string | null;
  progress: JobProgressEvent | null;
  result: R | null;
  failure: string | null;
  /** The event stream itself failed (host gone): the job may still be running. */
  streamError: string | null;
}

const IDLE: BackgroundJobState<never> = {
  jobId: null,
  progress: null,
  result: null,
  failure: null,
  streamError: null,
};

export function useBackgroundJob<R>(onDone?: (result: R) => void) {
  const [state, setState] = useState<BackgroundJobState<R>>(IDLE);
  const stop = useRef<(() => void) | null>(null);
  const doneRef = useRef(onDone);
  doneRef.current = onDone;

  useEffect(() => () => stop.current?.(), []);

  const follow = useCallback((jobId: string) => {
    stop.current?.();
    setState({ ...IDLE, jobId });
    let finished = false;
    const subscription = api.jobs.events.subscribe(
      { jobId },
      {
        onData: (raw) => {
          const event = raw as JobEvent<R>;
          if (event.type === 'progress') {
            setState((current) => ({ ...current, progress: event }));
            return;
          }
          finished = true;
          subscription.unsubscribe();
          if (event.type === 'done') {
            setState((current) => ({ ...current, result: event.result }));
            doneRef.current?.(event.result);
          } else {
            setState((current) => ({ ...current, failure: event.message }));
          }
        },
        onError: (error) => {
          if (!finished) setState((current) => ({ ...current, streamError: toApiError(error).message }));
        },
      },
    );
    stop.current = () => subscription.unsubscribe();
  }, []);

  const cancel = useCallback(async () => {
    if (state.jobId) await api.jobs.cancel.mutate({ jobId: state.jobId }).catch(() => undefined);
  }, [state.jobId]);

  const reset = useCallback(() => {
    stop.current?.();
    setState(IDLE);
  }, []);

  const running = state.jobId !== null && state.result === null && state.failure === null;
  return { state, follow, cancel, reset, running };
}
