/**
 * The run's controls, exactly those the host allows now (RunView.allowedActions, the same rule the
 * CLI follows): start, pause, resume, retry, skip (a reason is required: it goes into the audit
 * trail and the report), abort (final: the run id typed back) and rollback. Acknowledge and confirm
 * live with the step that waits for them (StepDetail).
 */
import { Alert, Button, Code, Group, Modal, Stack, Text, Textarea, TextInput } from '@mantine/core';
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

const MIN_SKIP_REASON = 3;

function SkipModal({ run, onClose }: { run: RunView; onClose(): void }) {
  const control = useRunbooksStore((state) => state.control);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const step = run.currentStep !== null ? run.steps[run.currentStep] : undefined;
  const tooShort = reason.trim().length < MIN_SKIP_REASON;
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await control(run.id, { action: 'skip', reason: reason.trim() });
      onClose();
    } catch (failure) {
      setError(failure as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened onClose={onClose} title={`Skip step ${step ? `${step.index + 1}. ${step.title}` : ''}`}>
      <Stack gap="sm" data-testid="skip-modal">
        <Text size="sm">
          The run goes on as if this step had been done. Later steps may depend on it: say why that is safe.
          The reason goes into the audit trail and the report.
        </Text>
        <Textarea
          label="Reason"
          required
          autosize
          minRows={2}
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
          error={
            error?.fieldErrors.reason ??
            (reason.length > 0 && tooShort ? `Say why in at least ${MIN_SKIP_REASON} characters` : undefined)
          }
          data-testid="skip-reason"
        />
        {error && !error.fieldErrors.reason ? (
          <Alert color="red" variant="light">
            {error.message}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            color="orange"
            disabled={tooShort}
            loading={busy}
            onClick={() => void submit()}
            data-testid="skip-submit"
          >
            Skip step
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function AbortModal({ run, onClose }: { run: RunView; onClose(): void }) {
  const control = useRunbooksStore((state) => state.control);
  const [typed, setTyped] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const expected = shortRunId(run.id);
  const matches = typed.trim() === expected || typed.trim() === run.id;
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await control(run.id, { action: 'abort', confirm: typed.trim(), reason: reason.trim() || undefined });
      onClose();
    } catch (failure) {
      setError(failure as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened onClose={onClose} title="Abort this run">
      <Stack gap="sm" data-testid="abort-modal">
        <Text size="sm">
          An aborted run never goes on: its steps stay as they are, and what it changed is not undone (use
          rollback for that first). Start a new run to try again.
        </Text>
        <TextInput
          label={
            <>
              Type the run id <Code>{expected}</Code> to confirm
            </>
          }
          ff="monospace"
          value={typed}
          onChange={(event) => setTyped(event.currentTarget.value)}
          data-testid="abort-confirm-text"
        />
        <TextInput
          label="Reason (optional)"
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
        />
        {error ? (
          <Alert color="red" variant="light">
            {error.message}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            color="red"
            disabled={!matches}
            loading={busy}
            onClick={() => void submit()}
            data-testid="abort-submit"
          >
            Abort run
          </Button>
        </Group>
      </Stack>
    </Modal>
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
