/** Progress of a recursive write: counting, then done of total with the rate and time left, then the outcome. */
import { countOf } from '../../../../shared/plural';
import { Alert, Button, Group, Progress, Stack, Text } from '@mantine/core';
import { formatDuration } from '../background-jobs/BackgroundJobProgress';
import type { TreeJobState } from './use-tree-job';

const fmt = new Intl.NumberFormat();

export function JobProgress({
  state,
  verb,
  onCancel,
}: {
  state: TreeJobState;
  verb: string;
  onCancel(): void;
}) {
  const last = state.last;
  if (state.streamError) {
    return (
      <Alert color="red" variant="light" data-testid="job-error">
        Lost track of the job: {state.streamError}. Reload the tree to see where it stands.
      </Alert>
    );
  }
  if (!last) return <Text size="sm">Starting…</Text>;
  if (last.type === 'counting') {
    return (
      <Stack gap={4} data-testid="job-progress" data-phase="counting">
        <Text size="sm">Reading the subtree first: {fmt.format(last.visited)} nodes so far…</Text>
        <Progress value={100} animated striped />
      </Stack>
    );
  }
  if (last.type === 'snapshot') {
    const percent = last.total ? Math.min(100, (100 * last.done) / last.total) : 0;
    return (
      <Stack gap={4} data-testid="job-progress" data-phase="snapshot">
        <Group justify="space-between">
          <Text size="sm">
            Saving a snapshot of the subtree first: {fmt.format(last.done)}
            {last.total ? ` of ${fmt.format(last.total)}` : ''} nodes…
          </Text>
          <Button size="compact-xs" variant="subtle" color="red" onClick={onCancel} data-testid="job-cancel">
            Cancel
          </Button>
        </Group>
        <Progress value={percent} animated={!last.total} striped={!last.total} />
      </Stack>
    );
  }
  if (last.type === 'progress') {
    const percent = last.total > 0 ? (100 * last.done) / last.total : 0;
    // The host reports done and elapsed; the rate and what is left follow from them, so a long
    // delete says how fast it goes and when it ends, like every other long job.
    const seconds = last.elapsedMs / 1000;
    const rate = seconds > 0 ? last.done / seconds : 0;
    const eta = rate > 0 && percent >= 1 && last.done < last.total ? (last.total - last.done) / rate : null;
    return (
      <Stack gap={4} data-testid="job-progress" data-phase="running">
        <Group justify="space-between">
          <Text size="sm">
            {verb} {fmt.format(last.done)} of {fmt.format(last.total)}
          </Text>
          <Button size="compact-xs" variant="subtle" color="red" onClick={onCancel} data-testid="job-cancel">
            Cancel
          </Button>
        </Group>
        <Progress value={percent} />
        <Text size="xs" c="dimmed" data-testid="job-rate">
          {rate > 0 ? `${fmt.format(Math.round(rate))} nodes/s` : 'measuring the rate…'}
          {eta !== null ? ` · about ${formatDuration(eta)} left` : ''}
          {` · ${formatDuration(seconds)} elapsed`}
        </Text>
      </Stack>
    );
  }
  if (last.type === 'done') {
    return (
      <Alert color="teal" variant="light" data-testid="job-done">
        {verb} {fmt.format(last.done)} of {countOf(last.total, 'node')} in{' '}
        {(last.elapsedMs / 1000).toFixed(1)} s
        {last.batches > 0 ? ` (${countOf(last.batches, 'request')})` : ''}.{last.note ? ` ${last.note}` : ''}
      </Alert>
    );
  }
  return (
    <Alert color="red" variant="light" data-testid="job-failed">
      {last.message}
    </Alert>
  );
}
