/**
 * One run: where from and where to, its state, the controls that make sense in that state (start a
 * planned run, pause, resume, cancel, reconcile), its phases' progress and its reports.
 */
import { countOf } from '../../../../shared/plural';
import { formatDateTime } from '../../lib/date-time';
import { Alert, Badge, Button, Card, Code, Divider, Group, Stack, Text, Title } from '@mantine/core';
import {
  IconArrowRight,
  IconPlayerPause,
  IconPlayerPlay,
  IconPlayerStop,
  IconRefresh,
  IconRotateClockwise,
} from '@tabler/icons-react';
import { useState } from 'react';
import type { RunView } from '../../../../electron/engines/zk-copy/types';
import {
  describeEndpoint,
  effectiveState,
  fmt,
  formatCapturedAt,
  formatSeconds,
  KIND_LABELS,
  runEndpoints,
  STATE_COLORS,
  verifyDifferenceCount,
} from './copy-format';
import { useCopyRunsStore } from './copy-runs-store';
import { MirrorConfirmModal } from './MirrorConfirmModal';
import { PhaseProgressList } from './PhaseProgressList';
import { CopyReportView, PlanReportView, VerifyReportView } from './RunReports';

type Action = 'start' | 'pause' | 'resume' | 'cancel' | 'reconcile';

export function RunPanel({ run, onSelectRun }: { run: RunView; onSelectRun(runId: string): void }) {
  const events = useCopyRunsStore((state) => state.progress[run.id]);
  const store = useCopyRunsStore.getState;
  const [busy, setBusy] = useState<Action | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<'start' | 'reconcile' | null>(null);
  const { source, target } = runEndpoints(run);
  const params = run.params as {
    mode?: string;
    copyAcl?: boolean;
    include?: string[];
    exclude?: string[];
    maxNodesPerSecond?: number;
  };
  const state = effectiveState(run);
  const mirror = run.kind !== 'zk-diff' && params.mode === 'mirror';
  const differences = verifyDifferenceCount(run);

  const act = async (action: Action, call: () => Promise<unknown>) => {
    setBusy(action);
    setError(null);
    try {
      await call();
      setConfirming(null);
    } catch (caught) {
      setError((caught as { message?: string }).message ?? String(caught));
    } finally {
      setBusy(null);
    }
  };

  const canStart =
    !run.live && (run.state === 'created' || run.state === 'planned') && run.kind !== 'zk-cleanup';
  const canPause = run.live && run.state === 'running';
  const canResume =
    (run.live && run.state === 'paused') ||
    (!run.live && (run.state === 'paused' || run.state === 'failed' || run.interrupted));
  const canCancel = run.state !== 'completed' && run.state !== 'cancelled';
  const canReconcile =
    run.kind === 'zk-copy' && !run.live && run.state === 'completed' && (differences ?? 0) > 0;

  const start = () => {
    if (mirror && !run.result?.mirrorConfirmedAt) setConfirming('start');
    else void act('start', () => store().start(run.id));
  };
  const reconcile = () => {
    if (mirror) setConfirming('reconcile');
    else
      void act('reconcile', () =>
        store()
          .reconcile(run.id)
          .then((next) => onSelectRun(next.id)),
      );
  };

  return (
    <Card withBorder padding="sm" data-testid="copy-run-panel" data-run-id={run.id} data-state={state}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <Stack gap={2}>
            <Group gap="xs">
              <Title order={6}>{KIND_LABELS[run.kind]}</Title>
              <Badge color={STATE_COLORS[state]} variant="light" data-testid="copy-run-state">
                {state}
              </Badge>
              {params.mode && run.kind !== 'zk-cleanup' ? (
                <Badge variant="outline" color={mirror ? 'red' : 'gray'}>
                  {run.kind === 'zk-diff' ? 'read only' : params.mode}
                </Badge>
              ) : null}
              {params.copyAcl === false ? (
                <Badge variant="outline" color="gray">
                  no ACLs
                </Badge>
              ) : null}
            </Group>
            <Group gap={6} wrap="nowrap">
              {source ? <Code>{describeEndpoint(source)}</Code> : null}
              {source ? <IconArrowRight size={14} /> : null}
              <Code>{describeEndpoint(target)}</Code>
            </Group>
            {source?.kind === 'stored-snapshot' ? (
              <Text size="xs" data-testid="copy-run-source-snapshot">
                Source: snapshot '{source.snapshotName}' ({source.snapshotId}) of {source.snapshotRoot} on{' '}
                {source.capturedFrom}, captured {formatCapturedAt(source.capturedAt)}: read offline, as
                captured
                {run.kind === 'zk-diff' || run.result?.verify ? '; verify compared the target with it' : ''}.
                {source.snapshotNote
                  ? ` It lacks what its capture could not read: ${source.snapshotNote}.`
                  : ''}
              </Text>
            ) : null}
            <Text size="xs" c="dimmed">
              Run {run.id} · created {formatDateTime(run.createdAt)}
              {run.result?.seconds ? ` · took ${formatSeconds(run.result.seconds)}` : ''}
              {params.include?.length ? ` · include ${params.include.join(', ')}` : ''}
              {params.exclude?.length ? ` · exclude ${params.exclude.join(', ')}` : ''}
              {params.maxNodesPerSecond ? (
                <span data-testid="copy-run-max-rate">
                  {` · read at most ${fmt.format(params.maxNodesPerSecond)} nodes/s`}
                </span>
              ) : null}
            </Text>
          </Stack>
          <Group gap={6}>
            {canStart ? (
              <Button
                size="xs"
                color={mirror ? 'red' : undefined}
                leftSection={<IconPlayerPlay size={14} />}
                loading={busy === 'start'}
                onClick={start}
                data-testid="run-start"
              >
                {run.state === 'planned' ? 'Start this copy' : 'Start'}
              </Button>
            ) : null}
            {canPause ? (
              <Button
                size="xs"
                variant="default"
                leftSection={<IconPlayerPause size={14} />}
                loading={busy === 'pause'}
                onClick={() => void act('pause', () => store().pause(run.id))}
                data-testid="run-pause"
              >
                Pause
              </Button>
            ) : null}
            {canResume ? (
              <Button
                size="xs"
                leftSection={<IconRotateClockwise size={14} />}
                loading={busy === 'resume'}
                onClick={() => void act('resume', () => store().resume(run.id))}
                data-testid="run-resume"
              >
                {run.live ? 'Resume' : 'Resume from checkpoint'}
              </Button>
            ) : null}
            {canReconcile ? (
              <Button
                size="xs"
                leftSection={<IconRefresh size={14} />}
                loading={busy === 'reconcile'}
                onClick={reconcile}
                data-testid="run-reconcile"
              >
                Reconcile
              </Button>
            ) : null}
            {canCancel ? (
              <Button
                size="xs"
                variant="subtle"
                color="red"
                leftSection={<IconPlayerStop size={14} />}
                loading={busy === 'cancel'}
                onClick={() => void act('cancel', () => store().cancel(run.id))}
                data-testid="run-cancel"
              >
                Cancel
              </Button>
            ) : null}
          </Group>
        </Group>
        {run.interrupted ? (
          <Alert color="orange" variant="light" data-testid="run-interrupted">
            This run was running when the app (or its host) stopped. Its checkpoints are saved: resume it to
            continue where it stopped, re-checking only the batches that were in flight.
          </Alert>
        ) : null}
        {run.result?.error ? (
          <Alert
            color="red"
            variant="light"
            title={`Stopped: ${run.result.error.code}`}
            data-testid="run-error"
          >
            <Stack gap={4}>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {run.result.error.message}
              </Text>
              {run.result.error.needs ? (
                <Text size="sm" data-testid="run-error-needs">
                  Needed: {run.result.error.needs}
                </Text>
              ) : null}
              {run.result.error.path ? (
                <Text size="xs" c="dimmed">
                  At <Code>{run.result.error.path}</Code>
                </Text>
              ) : null}
            </Stack>
          </Alert>
        ) : null}
        {error ? (
          <Alert
            color="red"
            variant="light"
            data-testid="run-action-error"
            withCloseButton
            onClose={() => setError(null)}
          >
            {error}
          </Alert>
        ) : null}
        <PhaseProgressList run={run} events={events} />
        {run.result?.cleanup ? (
          <Text size="sm" data-testid="cleanup-summary">
            {countOf(run.result.cleanup.nodeCount, 'node')} exported to{' '}
            <Code>{run.result.cleanup.exportFile}</Code>
            {run.result.cleanup.deleted > 0 ? `; ${fmt.format(run.result.cleanup.deleted)} deleted` : ''}.
          </Text>
        ) : null}
        {run.result?.verify ? (
          <>
            <Divider />
            <VerifyReportView verify={run.result.verify} reconcile={run.result.reconcile} />
          </>
        ) : null}
        {run.result?.copy ? (
          <>
            <Divider />
            <CopyReportView copy={run.result.copy} />
          </>
        ) : null}
        {run.result?.plan ? (
          <>
            <Divider />
            <PlanReportView plan={run.result.plan} />
          </>
        ) : null}
      </Stack>
      {confirming && target?.kind === 'zk' ? (
        <MirrorConfirmModal
          opened
          targetLabel={describeEndpoint(target)}
          targetPath={target.path}
          deletes={run.result?.plan?.deletes}
          busy={busy !== null}
          error={error}
          onClose={() => setConfirming(null)}
          onConfirm={(typed) =>
            void act(confirming, () =>
              confirming === 'start'
                ? store().start(run.id, typed)
                : store()
                    .reconcile(run.id, typed)
                    .then((next) => onSelectRun(next.id)),
            )
          }
        />
      ) : null}
    </Card>
  );
}
