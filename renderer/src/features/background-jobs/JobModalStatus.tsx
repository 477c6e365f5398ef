/**
 * The middle of a modal that runs one background job: its progress while it runs, then what the
 * modal shows of the result (children), and the job's failure or the modal's own error. The job is
 * stopped from the modal's footer (JobModalFooter), so the progress has no Cancel of its own: one
 * control, not two, while it runs.
 */
import { Alert } from '@mantine/core';
import type { ReactNode } from 'react';
import { BackgroundJobProgress } from './BackgroundJobProgress';
import type { JobModal } from './use-job-modal';

interface JobModalStatusProps<R> {
  modal: JobModal<R>;
  /** What the job is for, before its first progress event. */
  startingLabel: string;
  /** The failure alert's data-testid. */
  errorTestId: string;
  children?: ReactNode;
}

export function JobModalStatus<R>({ modal, startingLabel, errorTestId, children }: JobModalStatusProps<R>) {
  const { job, error } = modal;
  return (
    <>
      {job.state.jobId && !job.state.result && !job.state.failure ? (
        <BackgroundJobProgress
          progress={job.state.progress}
          streamError={job.state.streamError}
          startingLabel={startingLabel}
        />
      ) : null}
      {children}
      {job.state.failure || error ? (
        <Alert color="red" variant="light" data-testid={errorTestId}>
          {job.state.failure ?? error}
        </Alert>
      ) : null}
    </>
  );
}
