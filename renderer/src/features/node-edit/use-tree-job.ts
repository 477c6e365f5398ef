/** The progress of a recursive write job (delete a subtree, set an ACL everywhere) for a dialog. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TreeJobEvent } from '../../../../shared/api/node-edit';
import { editApi, followJob } from './edit-api';

export interface TreeJobState {
  jobId: string | null;
  last: TreeJobEvent | null;
  /** The outcome ('done' or 'failed'), once there is one. */
  outcome: TreeJobEvent | null;
  streamError: string | null;
}

const IDLE: TreeJobState = { jobId: null, last: null, outcome: null, streamError: null };

export function useTreeJob(onOutcome?: (event: TreeJobEvent) => void) {
  const [state, setState] = useState<TreeJobState>(IDLE);
  const stop = useRef<(() => void) | null>(null);
  const outcomeRef = useRef(onOutcome);
  outcomeRef.current = onOutcome;

  useEffect(() => () => stop.current?.(), []);

  const follow = useCallback((jobId: string) => {
    stop.current?.();
    setState({ ...IDLE, jobId });
    stop.current = followJob(jobId, {
      onEvent: (event) => {
        const final = event.type === 'done' || event.type === 'failed';
        setState((current) => ({ ...current, last: event, outcome: final ? event : current.outcome }));
        if (final) outcomeRef.current?.(event);
      },
      onError: (message) => setState((current) => ({ ...current, streamError: message })),
    });
  }, []);

  const cancel = useCallback(async () => {
    if (state.jobId) await editApi.cancelJob(state.jobId).catch(() => undefined);
  }, [state.jobId]);

  const reset = useCallback(() => {
    stop.current?.();
    setState(IDLE);
  }, []);

  return { state, follow, cancel, reset };
}
