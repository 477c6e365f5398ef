/**
 * The run's controls, exactly those the host allows now (RunView.allowedActions, the same rule the
 * CLI follows): start, pause, resume, retry, skip (a reason is required: it goes into the audit
 * trail and the report), abort (final: the run id typed back) and rollback. Acknowledge and confirm
 * live with the step that waits for them (StepDetail). Skip and abort are TypedControl dialogs.
 */
import { Alert, Button, Code, Group, Stack } from '@mantine/core';
import {
  IconArrowBackUp,
  IconPlayerPause,
  IconPlayerPlay,
  IconPlayerSkipForward,
  IconRefresh,
  IconX,
} from '@tabler/icons-react';
import { useState } from 'react';
import type { RunView } from '../../../../shared/api/run-views';
import type { ApiError } from '../../api/api-error';
import { type ControlInput, useRunbooksStore } from '../../stores/runbooks-store';
import { shortRunId } from './run-format';
import { TypedControlModal } from './TypedControl';

const MIN_SKIP_REASON = 3;

function SkipModal({ run, onClose }: { run: RunView; onClose(): void }) {
  const step = run.currentStep !== null ? run.steps[run.currentStep] : undefined;
  return (
    <TypedControlModal
      run={run}
      title={`Skip step ${step ? `${step.index + 1}. ${step.title}` : ''}`}
      testId="skip-modal"
      explanation="The run goes on as if this step had been done. Later steps may depend on it: say why that is safe. The reason goes into the audit trail and the report."
      value={{
        label: 'Reason',
        kind: 'reason',
        accepts: (reason) => reason.trim().length >= MIN_SKIP_REASON,
        hint: `Say why in at least ${MIN_SKIP_REASON} characters`,
        testId: 'skip-reason',
      }}
      errorField="reason"
      submit={{ label: 'Skip step', color: 'orange', testId: 'skip-submit' }}
      toInput={(reason) => ({ action: 'skip', reason: reason.trim() })}
      onClose={onClose}
    />
  );
}

function AbortModal({ run, onClose }: { run: RunView; onClose(): void }) {
  const expected = shortRunId(run.id);
  return (
    <TypedControlModal
      run={run}
      title="Abort this run"
      testId="abort-modal"
      explanation="An aborted run never goes on: its steps stay as they are, and what it changed is not undone (use rollback for that first). Start a new run to try again."
      value={{
        label: (
          <>
            Type the run id <Code>{expected}</Code> to confirm
          </>
        ),
        kind: 'exact',
        accepts: (typed) => typed.trim() === expected || typed.trim() === run.id,
        testId: 'abort-confirm-text',
      }}
      note={{ label: 'Reason (optional)' }}
      submit={{ label: 'Abort run', color: 'red', testId: 'abort-submit' }}
      toInput={(typed, reason) => ({
        action: 'abort',
        confirm: typed.trim(),
        reason: reason.trim() || undefined,
      })}
      onClose={onClose}
    />
  );
}

export function RunControls({ run }: { run: RunView }) {
  const control = useRunbooksStore((state) => state.control);
  const [dialog, setDialog] = useState<'skip' | 'abort' | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const allowed = new Set(run.allowedActions);

  const act = async (input: ControlInput) => {
    setBusy(input.action);
    setError(null);
    try {
      await control(run.id, input);
    } catch (failure) {
      setError(failure as ApiError);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Stack gap={6}>
      <Group gap="xs" data-testid="run-controls" data-actions={run.allowedActions.join(' ')}>
        {allowed.has('start') ? (
          <Button
            leftSection={<IconPlayerPlay size={16} />}
            loading={busy === 'start'}
            onClick={() => void act({ action: 'start' })}
            data-testid="run-start"
          >
            Start
          </Button>
        ) : null}
        {allowed.has('resume') ? (
          <Button
            leftSection={<IconPlayerPlay size={16} />}
            loading={busy === 'resume'}
            onClick={() => void act({ action: 'resume' })}
            data-testid="run-resume"
          >
            {run.precheckOnly && run.startedAt !== null ? 'Start / resume' : 'Resume'}
          </Button>
        ) : null}
        {allowed.has('pause') ? (
          <Button
            variant="default"
            leftSection={<IconPlayerPause size={16} />}
            loading={busy === 'pause'}
            onClick={() => void act({ action: 'pause' })}
            data-testid="run-pause"
          >
            Pause
          </Button>
        ) : null}
        {allowed.has('retry') ? (
          <Button
            variant="light"
            leftSection={<IconRefresh size={16} />}
            loading={busy === 'retry'}
            onClick={() => void act({ action: 'retry' })}
            data-testid="run-retry"
          >
            Retry step
          </Button>
        ) : null}
        {allowed.has('skip') ? (
          <Button
            variant="light"
            color="orange"
            leftSection={<IconPlayerSkipForward size={16} />}
            onClick={() => setDialog('skip')}
            data-testid="run-skip"
          >
            Skip step…
          </Button>
        ) : null}
        {allowed.has('rollback') && run.rollback ? (
          <Button
            variant="light"
            color="grape"
            leftSection={<IconArrowBackUp size={16} />}
            loading={busy === 'rollback'}
            onClick={() => void act({ action: 'rollback', stepIndex: run.rollback?.stepIndex })}
            data-testid="run-rollback"
          >
            Roll back: {run.rollback.label}
          </Button>
        ) : null}
        {allowed.has('abort') ? (
          <Button
            variant="subtle"
            color="red"
            leftSection={<IconX size={16} />}
            onClick={() => setDialog('abort')}
            data-testid="run-abort"
          >
            Abort…
          </Button>
        ) : null}
      </Group>
      {error ? (
        <Alert
          color="red"
          variant="light"
          data-testid="run-control-error"
          withCloseButton
          onClose={() => setError(null)}
        >
          {error.message}
        </Alert>
      ) : null}
      {dialog === 'skip' ? <SkipModal run={run} onClose={() => setDialog(null)} /> : null}
      {dialog === 'abort' ? <AbortModal run={run} onClose={() => setDialog(null)} /> : null}
    </Stack>
  );
}
