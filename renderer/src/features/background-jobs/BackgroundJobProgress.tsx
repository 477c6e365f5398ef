/**
 * A long job's progress as an operator wants it on a bad night: what it is doing, how far (a bar,
 * striped while the size is unknown), how fast, how long is left, and a way to stop it.
 */
import { Alert, Button, Group, Progress, Stack, Text } from '@mantine/core';
import type { JobProgressEvent } from '../../../../shared/api/background-job';

const fmt = new Intl.NumberFormat('en-US');

const PHASES: Record<string, string> = {
  exporting: 'Exporting',
  snapshot: 'Saving a snapshot',
  comparing: 'Comparing with the live tree',
  plan: 'Planning (dry run)',
  copy: 'Writing',
  verify: 'Verifying',
  reconcile: 'Reconciling',
};

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(0, Math.round(seconds))} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

interface BackgroundJobProgressProps {
  progress: JobProgressEvent | null;
  streamError?: string | null;
  onCancel?: () => void;
  /** What the job is for, before the first event arrives. */
  startingLabel?: string;
}

export function BackgroundJobProgress({
  progress,
  streamError,
  onCancel,
  startingLabel,
}: BackgroundJobProgressProps) {
  if (streamError) {
    return (
      <Alert color="red" variant="light" data-testid="job-stream-error">
        Lost track of the job: {streamError}. It may still be running in the host.
      </Alert>
    );
  }
  if (!progress) {
    return (
      <Stack gap={4} data-testid="bg-job-progress" data-phase="starting">
        <Text size="sm">{startingLabel ?? 'Starting…'}</Text>
        <Progress value={100} animated striped />
      </Stack>
    );
  }
  const known = progress.total !== null && progress.total > 0;
  const percent = known ? Math.min(99.9, (100 * progress.done) / (progress.total as number)) : 100;
  const phase = PHASES[progress.phase] ?? progress.phase;
  return (
    <Stack gap={4} data-testid="bg-job-progress" data-phase={progress.phase}>
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm" data-testid="bg-job-counts">
          {phase}: {fmt.format(progress.done)}
          {known ? ` of ${progress.totalIsEstimate ? '~' : ''}${fmt.format(progress.total as number)}` : ''}{' '}
          nodes
          {progress.bytes > 0 ? ` · ${formatBytes(progress.bytes)}` : ''}
        </Text>
        {onCancel ? (
          <Button
            size="compact-xs"
            variant="subtle"
            color="red"
            onClick={onCancel}
            data-testid="bg-job-cancel"
          >
            Cancel
          </Button>
        ) : null}
      </Group>
      <Progress value={percent} animated={!known} striped={!known} data-testid="bg-job-bar" />
      <Text size="xs" c="dimmed" data-testid="bg-job-rate">
        {fmt.format(progress.rate)} nodes/s
        {progress.etaSeconds !== null
          ? ` · about ${formatDuration(progress.etaSeconds)} left${progress.totalIsEstimate ? ' (estimated size)' : ''}`
          : known
            ? ' · estimating time left…'
            : ' · size unknown until the walk ends'}
        {` · ${formatDuration(progress.elapsedMs / 1000)} elapsed`}
      </Text>
    </Stack>
  );
}
