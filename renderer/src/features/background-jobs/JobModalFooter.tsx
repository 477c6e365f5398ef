/**
 * The footer of a modal that runs one background job (export, snapshot). Before the job: the modal's
 * Cancel beside its start button. While it runs: one control only, which stops the job (the modal
 * stays, to show that it stopped). After it: Close, beside what the result offers (`after`) or the
 * start button again when the job failed or was stopped.
 */
import { Button, Group } from '@mantine/core';
import type { ReactNode } from 'react';
import type { JobModal } from './use-job-modal';

interface JobModalFooterProps<R> {
  modal: JobModal<R>;
  /** The data-testid prefix: `${prefix}-close`, `${prefix}-cancel-job`. */
  testIdPrefix: string;
  /** What stopping says, e.g. "Stop the export". */
  stopLabel: string;
  /** The button that starts the job, shown before it and after a failure. */
  startButton: ReactNode;
  /** What the footer offers once the job has its result (e.g. "Download again"). */
  after?: ReactNode;
  /** The modal's own close, when it forgets more than the job (defaults to the modal's). */
  onClose?: () => void;
}

export function JobModalFooter<R>({
  modal,
  testIdPrefix,
  stopLabel,
  startButton,
  after,
  onClose,
}: JobModalFooterProps<R>) {
  const { job } = modal;
  if (modal.starting || job.running) {
    return (
      <Group justify="flex-end">
        <Button
          color="red"
          variant="light"
          // Until the host gives the job its id there is nothing to stop yet.
          loading={modal.starting}
          onClick={() => void job.cancel()}
          data-testid={`${testIdPrefix}-cancel-job`}
        >
          {stopLabel}
        </Button>
      </Group>
    );
  }
  const ran = job.state.jobId !== null;
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onClose ?? modal.close} data-testid={`${testIdPrefix}-close`}>
        {ran ? 'Close' : 'Cancel'}
      </Button>
      {job.state.result ? (after ?? null) : startButton}
    </Group>
  );
}
