/**
 * A run's phases as progress bars: what each counted, how many bytes, the rate over the recent
 * window and the time left (rules in phase-rows.ts), plus why the run waits when it does.
 */
import { Alert, Group, Progress, Stack, Text } from '@mantine/core';
import { IconClockPause } from '@tabler/icons-react';
import type { ProgressEvent, RunView } from '../../../../electron/engines/zk-copy/types';
import type { PhaseKey } from './copy-runs-store';
import { type PhaseRow, phaseRows } from './phase-rows';

const STATUS_TEXT = { done: 'done', stopped: 'stopped', active: '' } as const;

function PhaseBar({ row }: { row: PhaseRow }) {
  const active = row.status === 'active';
  const known = row.percent !== null;
  return (
    <Stack
      gap={2}
      data-testid="phase-row"
      data-phase={row.key}
      data-status={row.status}
      data-percent={row.percent === null ? '' : String(row.percent)}
    >
      <Group justify="space-between" gap="xs">
        <Text size="sm" fw={500}>
          {row.label}
        </Text>
        <Text size="xs" c="dimmed" data-testid="phase-percent">
          {active ? (known ? `${row.percent?.toFixed(1)} %` : 'size not known yet') : STATUS_TEXT[row.status]}
        </Text>
      </Group>
      <Progress
        value={row.percent ?? 100}
        striped={active && !known}
        animated={active}
        color={row.status === 'done' ? 'green' : active ? 'blue' : 'gray'}
        aria-label={`${row.label} progress`}
      />
      <Text size="xs" c="dimmed" data-testid="phase-details">
        {row.details}
      </Text>
      {row.counts ? (
        <Text size="xs" data-testid="phase-counts">
          {row.counts}
        </Text>
      ) : null}
    </Stack>
  );
}

export function PhaseProgressList({
  run,
  events,
}: {
  run: RunView;
  events: Record<PhaseKey, ProgressEvent> | undefined;
}) {
  const rows = phaseRows(run, events);
  const waiting = run.live ? run.progress?.message : undefined;
  if (rows.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="phase-none">
        {run.live ? 'Opening sessions on both sides…' : 'Nothing has run yet.'}
      </Text>
    );
  }
  return (
    <Stack gap="sm" data-testid="phase-list">
      {waiting ? (
        <Alert
          color="yellow"
          variant="light"
          py={6}
          icon={<IconClockPause size={16} />}
          data-testid="phase-waiting"
        >
          {waiting}
        </Alert>
      ) : null}
      {run.state === 'paused' && run.live ? (
        <Text size="sm" c="yellow" data-testid="phase-paused">
          Paused: the writes in flight were settled and checkpointed; nothing is sent until you resume.
        </Text>
      ) : null}
      {rows.map((row) => (
        <PhaseBar key={row.key} row={row} />
      ))}
    </Stack>
  );
}
