/**
 * One run, live: where it stands and why, its controls, the step list with states and times, the
 * chosen step in full (the current one unless the operator picked another), the live output, the
 * parameters it runs with, its audit trail, and the report export.
 */
import {
  Alert,
  Anchor,
  Badge,
  Box,
  Grid,
  Group,
  Paper,
  ScrollArea,
  Stack,
  Table,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import type { RunView as RunViewModel } from '../../../../shared/api/run-views';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { useConnectionsStore } from '../../stores/connections-store';
import { useRunbooksStore, useRunDetail } from '../../stores/runbooks-store';
import { AuditEventsTable } from './AuditEventsTable';
import { ReportExport } from './ReportExport';
import { RunControls } from './RunControls';
import { RunOutput } from './RunOutput';
import { elapsed, formatTime, RUN_STATE_COLORS, shortRunId, STEP_KIND_LABELS } from './run-format';
import { StepDetail, StepProgress, StepStateBadge } from './StepDetail';
import { StreamAccessLost } from './StreamAccessLost';

/** Ticks once a second while something runs, so elapsed times move without a server round trip. */
export function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

export function StreamStatusBadge() {
  const stream = useRunbooksStore((state) => state.stream);
  if (stream !== 'reconnecting') return null;
  return (
    <Badge color="red" variant="light" data-testid="runs-stream-lost">
      live updates lost, reconnecting…
    </Badge>
  );
}

function ParamsTable({ run }: { run: RunViewModel }) {
  const connections = useConnectionsStore((state) => state.connections);
  const names = new Map(connections.map((connection) => [connection.id, connection.name]));
  return (
    <Table withTableBorder fz="xs" data-testid="run-params">
      <Table.Tbody>
        {Object.entries(run.params).map(([name, value]) => (
          <Table.Tr key={name}>
            <Table.Td fw={500} w={160}>
              {name}
            </Table.Td>
            <Table.Td ff="monospace">
              {typeof value === 'string' && names.has(value)
                ? `${names.get(value)} (${value.slice(0, 8)})`
                : JSON.stringify(value)}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function StepList({
  run,
  selected,
  onSelect,
  now,
}: {
  run: RunViewModel;
  selected: number | null;
  onSelect(index: number): void;
  now: number;
}) {
  return (
    <Stack gap={4} data-testid="step-list">
      {run.steps.map((step) => {
        const took = elapsed(step.startedAt, step.endedAt, now);
        const current = run.currentStep === step.index;
        return (
          <UnstyledButton
            key={step.index}
            onClick={() => onSelect(step.index)}
            data-testid="step-row"
            data-step={step.id}
            data-state={step.state}
            style={{
              borderRadius: 6,
              padding: '6px 8px',
              border: `1px solid ${selected === step.index ? 'var(--mantine-color-teal-6)' : 'var(--mantine-color-default-border)'}`,
              background: current ? 'var(--mantine-color-default-hover)' : undefined,
            }}
          >
            <Group justify="space-between" wrap="nowrap" gap="xs">
              <Box style={{ minWidth: 0 }}>
                <Text size="sm" fw={current ? 600 : 400} truncate="end">
                  {step.index + 1}. {step.title}
                </Text>
                <Text size="xs" c="dimmed">
                  {STEP_KIND_LABELS[step.kind]}
                  {step.severity ? ` · ${step.severity}` : ''}
                  {took ? ` · ${took}` : ''}
                  {step.outcome && step.state !== 'running' ? ` · ${step.outcome.summary}` : ''}
                </Text>
              </Box>
              <StepStateBadge step={step} />
            </Group>
            {step.state === 'running' ? (
              <Box mt={4}>
                <StepProgress step={step} />
              </Box>
            ) : null}
          </UnstyledButton>
        );
      })}
    </Stack>
  );
}

export function RunView({ runId, onBack }: { runId: string; onBack?: () => void }) {
  const detail = useRunDetail(runId);
  const loadRun = useRunbooksStore((state) => state.loadRun);
  const follow = useRunbooksStore((state) => state.follow);
  const [picked, setPicked] = useState<number | null>(null);
  const run = detail.run;
  const now = useNow(run?.state === 'running');

  useEffect(() => {
    void loadRun(runId);
    return follow(runId);
  }, [runId, loadRun, follow]);

  const stepTitles = useMemo(
    () => Object.fromEntries((run?.steps ?? []).map((step) => [step.index, step.title])),
    [run?.steps],
  );

  if (!run) {
    if (detail.status === 'error') {
      return (
        <ErrorState
          title="Could not read the run"
          message={detail.error?.message}
          onRetry={() => void loadRun(runId)}
        />
      );
    }
    return <LoadingState label="Loading the run…" />;
  }

  const selected = picked ?? run.currentStep ?? 0;
  const step = run.steps[selected];
  return (
    <ScrollArea h="100%" data-testid="run-view" data-run={run.id} data-state={run.state}>
      <Stack p="md" gap="md">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Stack gap={2} style={{ minWidth: 0 }}>
            <Group gap="xs">
              {onBack ? (
                <Anchor size="sm" onClick={onBack} data-testid="run-back">
                  ← Migrations
                </Anchor>
              ) : null}
              <Title order={3}>{run.title}</Title>
              <Badge
                color={RUN_STATE_COLORS[run.state]}
                size="lg"
                data-testid="run-state"
                data-state={run.state}
              >
                {run.state}
              </Badge>
              {run.precheckOnly ? <Badge variant="outline">prechecks first</Badge> : null}
              <StreamStatusBadge />
            </Group>
            <Text size="xs" c="dimmed">
              Run{' '}
              <Text span ff="monospace" data-testid="run-id">
                {shortRunId(run.id)}
              </Text>{' '}
              · {run.runbookId} · by {run.operator} · created {formatTime(run.createdAt)}
              {run.startedAt ? ` · started ${formatTime(run.startedAt)}` : ''}
              {run.endedAt ? ` · ended ${formatTime(run.endedAt)}` : ''}
              {run.driver && !run.driver.self
                ? ` · driven by pid ${run.driver.pid} on ${run.driver.host}`
                : ''}
            </Text>
          </Stack>
          <ReportExport runId={run.id} />
        </Group>
        <StreamAccessLost />
        {run.message ? (
          <Alert
            color={run.state === 'failed' ? 'red' : run.state === 'completed' ? 'green' : 'blue'}
            variant="light"
            data-testid="run-message"
          >
            {run.message}
          </Alert>
        ) : null}
        <RunControls run={run} />
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 5 }}>
            <StepList run={run} selected={selected} onSelect={setPicked} now={now} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Paper withBorder p="sm">
              {step ? <StepDetail run={run} step={step} now={now} /> : <Text c="dimmed">No steps.</Text>}
            </Paper>
          </Grid.Col>
        </Grid>
        {run.rollbacks.length > 0 ? (
          <Paper withBorder p="sm" data-testid="run-rollbacks">
            <Title order={6}>Rollbacks</Title>
            {run.rollbacks.map((rollback) => (
              <Text key={`${rollback.stepIndex}-${rollback.startedAt}`} size="sm">
                Step {rollback.stepIndex + 1}: {rollback.label} — {rollback.state}
                {rollback.summary ? `: ${rollback.summary}` : ''}
              </Text>
            ))}
          </Paper>
        ) : null}
        <RunOutput lines={detail.output} stepTitles={stepTitles} />
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Title order={6} mb={4}>
              Parameters
            </Title>
            <ParamsTable run={run} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Title order={6} mb={4}>
              Audit trail
            </Title>
            <AuditEventsTable events={detail.events} />
          </Grid.Col>
        </Grid>
      </Stack>
    </ScrollArea>
  );
}
