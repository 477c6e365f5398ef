/**
 * One step of a run in full: why it exists, what it found (summary, hint, verify results), what it
 * is doing now (progress with rate and ETA, what a wait step waits for), the exact commands and
 * config lines of a manual step with copy buttons, and, when the step waits for the operator, the
 * form that answers it (acknowledge a warning, confirm with a note, type a gate's text: a TypedControl).
 */
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Group,
  Paper,
  Progress,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useState } from 'react';
import type { RunView, StepView } from '../../../../shared/api/run-views';
import type { ApiError } from '../../api/api-error';
import { useRunbooksStore } from '../../stores/runbooks-store';
import { elapsed, formatTime, progressDisplay, STEP_KIND_LABELS, stepBadge } from './run-format';
import { ReconcilePasses, ReconcilePassForm } from './ReconcilePassForm';
import { reconcileThresholdOf } from './reconcile-pass';
import { resultLabel, resultValue } from './result-format';
import { StepRateChart } from './StepRateChart';
import { TypedControl } from './TypedControl';

export function StepStateBadge({ step }: { step: StepView }) {
  const badge = stepBadge(step);
  return (
    <Badge
      color={badge.color}
      variant={step.state === 'pending' || step.state === 'skipped' ? 'outline' : 'light'}
      data-testid="step-state"
      data-state={step.state}
      style={{ flexShrink: 0 }}
    >
      {badge.label}
    </Badge>
  );
}

function OUTCOME_COLOR(status: NonNullable<StepView['outcome']>['status']): string {
  return { succeeded: 'green', warning: 'yellow', failed: 'red', pending: 'gray', manual: 'blue' }[status];
}

export function StepProgress({ step }: { step: StepView }) {
  // A finished step's outcome says what it did; a bar frozen at its last poll would only mislead.
  const live = step.state === 'running' || step.state === 'waiting-for-operator';
  if (!live || (!step.progress && !step.waitingFor)) return null;
  const display = step.progress ? progressDisplay(step.progress) : null;
  return (
    <Stack gap={4} data-testid="step-progress">
      {display ? (
        <>
          <Group justify="space-between" wrap="nowrap" gap="xs">
            <Text size="sm" data-testid="step-progress-counts">
              {display.counts}
            </Text>
            <Text size="xs" c="dimmed" data-testid="step-progress-rate">
              {[display.rate, display.eta].filter(Boolean).join(' · ')}
            </Text>
          </Group>
          <Progress
            value={display.percent ?? 100}
            striped={display.percent === null || step.state === 'running'}
            animated={display.percent === null && step.state === 'running'}
            data-testid="step-progress-bar"
            data-percent={display.percent === null ? '' : display.percent.toFixed(1)}
          />
        </>
      ) : null}
      {step.waitingFor ? (
        <Text size="sm" c="dimmed" data-testid="step-waiting-for">
          Waiting for: {step.waitingFor}
        </Text>
      ) : null}
    </Stack>
  );
}

function CommandBlock({ command }: { command: StepView['commands'][number] }) {
  return (
    <Stack gap={4} data-testid="step-command">
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm" fw={500}>
          {command.label}{' '}
          <Text span size="xs" c="dimmed">
            ({command.kind})
          </Text>
        </Text>
        <CopyButton value={command.text} timeout={1500}>
          {({ copied, copy }) => (
            <Button
              size="compact-xs"
              variant="light"
              color={copied ? 'teal' : 'gray'}
              leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
              onClick={copy}
              data-testid="copy-command"
            >
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Code block>{command.text}</Code>
    </Stack>
  );
}

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function ResultTable({ result }: { result: Record<string, unknown> }) {
  const entries = Object.entries(result).filter(([, value]) => typeof value !== 'object' || value === null);
  if (entries.length === 0) return null;
  return (
    <Table withTableBorder withColumnBorders fz="xs" data-testid="step-result">
      <Table.Tbody>
        {entries.map(([key, value]) => (
          <Table.Tr key={key} data-testid={`step-result-${key}`} data-value={formatValue(value)}>
            <Table.Td fw={500} w={200} title={key}>
              {resultLabel(key)}
            </Table.Td>
            <Table.Td ff="monospace" data-testid="step-result-value">
              {resultValue(key, value)}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** The answer to a step that waits for the operator, as the host's `awaiting` describes it. */
function AwaitingForm({ run, step }: { run: RunView; step: StepView }) {
  const control = useRunbooksStore((state) => state.control);
  const [note, setNote] = useState('');
  const [read, setRead] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const awaiting = step.awaiting;
  if (!awaiting) return null;

  const act = async (input: Parameters<typeof control>[1]) => {
    setBusy(true);
    setError(null);
    try {
      await control(run.id, input);
    } catch (failure) {
      setError(failure as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const canAcknowledge = run.allowedActions.includes('acknowledge');
  const canConfirm = run.allowedActions.includes('confirm');
  // A reconciliation pass is three figures, not free text: its own form composes the note.
  const passThreshold = awaiting.kind === 'confirm' ? reconcileThresholdOf(run, step) : null;
  return (
    <Paper withBorder p="sm" data-testid="awaiting-form" data-kind={awaiting.kind}>
      <Stack gap="xs">
        <Text size="sm" fw={600}>
          {awaiting.prompt}
        </Text>
        {awaiting.kind === 'acknowledge' ? (
          <>
            <Checkbox
              label="I have read this warning and accept it for this run"
              checked={read}
              onChange={(event) => setRead(event.currentTarget.checked)}
              data-testid="acknowledge-read"
            />
            <TextInput
              label="Note (optional, goes into the report)"
              value={note}
              onChange={(event) => setNote(event.currentTarget.value)}
              data-testid="acknowledge-note"
            />
            <Group>
              <Button
                color="yellow"
                disabled={!read || !canAcknowledge}
                loading={busy}
                onClick={() => void act({ action: 'acknowledge', note: note.trim() || undefined })}
                data-testid="acknowledge-button"
              >
                Acknowledge warning
              </Button>
            </Group>
          </>
        ) : null}
        {passThreshold !== null ? (
          <ReconcilePassForm
            thresholdPpm={passThreshold}
            busy={busy}
            disabled={!canConfirm}
            onConfirm={(passNote) => void act({ action: 'confirm', note: passNote })}
          />
        ) : null}
        {(awaiting.kind === 'confirm' && passThreshold === null) || awaiting.kind === 'interrupted' ? (
          <>
            <Textarea
              label="Note (what you did, where; goes into the report)"
              autosize
              minRows={2}
              value={note}
              onChange={(event) => setNote(event.currentTarget.value)}
              data-testid="confirm-note"
            />
            <Group>
              <Button
                disabled={!canConfirm}
                loading={busy}
                onClick={() => void act({ action: 'confirm', note: note.trim() || undefined })}
                data-testid="confirm-button"
              >
                {awaiting.kind === 'interrupted' ? 'It finished: confirm' : 'Done: confirm'}
              </Button>
            </Group>
          </>
        ) : null}
        {awaiting.kind === 'confirm-text' ? (
          <TypedControl
            value={{
              label: (
                <>
                  Type <Code>{awaiting.expectedText}</Code> to confirm
                </>
              ),
              kind: 'exact',
              accepts: (typed) => typed === awaiting.expectedText,
              hint: 'Does not match yet: type it exactly',
              testId: 'gate-text',
            }}
            note={{ label: 'Note (optional)', testId: 'gate-note' }}
            submit={{ label: 'Confirm', color: 'red', testId: 'gate-confirm' }}
            busy={busy}
            disabled={!canConfirm}
            onSubmit={(typed, gateNote) =>
              void act({ action: 'confirm', text: typed, note: gateNote.trim() || undefined })
            }
          />
        ) : null}
        {error ? (
          <Alert color="red" variant="light" data-testid="awaiting-error">
            {error.message}
          </Alert>
        ) : null}
      </Stack>
    </Paper>
  );
}

export function StepDetail({ run, step, now }: { run: RunView; step: StepView; now: number }) {
  const took = elapsed(step.startedAt, step.endedAt, now);
  return (
    <Stack gap="sm" data-testid="step-detail" data-step={step.id} data-state={step.state}>
      <Group justify="space-between" wrap="nowrap">
        <Title order={5}>
          {step.index + 1}. {step.title}
        </Title>
        <Group gap={6} wrap="nowrap">
          <Badge variant="default">{STEP_KIND_LABELS[step.kind]}</Badge>
          {step.severity ? (
            <Badge color={step.severity === 'block' ? 'red' : 'yellow'} variant="outline">
              {step.severity}
            </Badge>
          ) : null}
          <StepStateBadge step={step} />
        </Group>
      </Group>
      <Text size="sm" data-testid="step-why">
        <Text span fw={600}>
          Why:{' '}
        </Text>
        {step.why}
      </Text>
      <Text size="xs" c="dimmed">
        Started {formatTime(step.startedAt)}
        {step.endedAt ? ` · ended ${formatTime(step.endedAt)}` : ''}
        {took ? ` · ${took}` : ''}
        {step.attempts > 1 ? ` · attempt ${step.attempts}` : ''}
      </Text>
      <StepProgress step={step} />
      <StepRateChart step={step} />
      {step.outcome ? (
        <Alert
          color={OUTCOME_COLOR(step.outcome.status)}
          variant="light"
          data-testid="step-outcome"
          data-status={step.outcome.status}
        >
          <Text size="sm">{step.outcome.summary}</Text>
          {step.outcome.hint ? (
            <Text size="sm" mt={4} fw={500} data-testid="step-hint">
              What to do: {step.outcome.hint}
            </Text>
          ) : null}
        </Alert>
      ) : null}
      {step.manualReason ? (
        <Alert color="blue" variant="light">
          Manual because: {step.manualReason}
        </Alert>
      ) : null}
      {step.commands.length > 0 ? (
        <Stack gap="xs">
          {step.commands.map((command, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: commands are a fixed list per step
            <CommandBlock key={index} command={command} />
          ))}
        </Stack>
      ) : null}
      {step.state === 'waiting-for-operator' && run.currentStep === step.index ? (
        <AwaitingForm key={`${step.index}-${step.awaiting?.since}`} run={run} step={step} />
      ) : null}
      {step.result ? <ResultTable result={step.result} /> : null}
      <ReconcilePasses step={step} />
      {step.note ? <Text size="sm">Operator note: {step.note}</Text> : null}
      {step.confirmedText ? <Text size="sm">Confirmed by typing: {step.confirmedText}</Text> : null}
      {step.skipReason ? (
        <Text size="sm" data-testid="step-skip-reason">
          Skipped because: {step.skipReason}
        </Text>
      ) : null}
    </Stack>
  );
}
