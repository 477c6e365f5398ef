/** The runs still under way (running, paused, failed), so an interrupted migration is found at once. */
import { Alert, Anchor, Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { RunSummary } from '../../../../shared/api/run-views';
import { type ApiError, toApiError } from '../../api/api-error';
import { api } from '../../api/client';
import { READ_DEADLINE_MS, withDeadline } from '../../api/with-timeout';
import { useRunbooksStore } from '../../stores/runbooks-store';
import { formatTime, RUN_STATE_COLORS, shortRunId } from './run-format';

export function RecentRuns() {
  const navigate = useRunbooksStore((state) => state.navigate);
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    let cancelled = false;
    withDeadline(READ_DEADLINE_MS, 'Reading the open runs', (signal) =>
      api.runs.list.query({ states: ['running', 'paused', 'failed', 'draft'], limit: 20 }, { signal }),
    )
      .then((list) => !cancelled && setRuns(list))
      .catch((failure) => !cancelled && setError(toApiError(failure)));
    return () => {
      cancelled = true;
    };
  }, []);

  if (error) {
    return (
      <Alert color="red" variant="light">
        Could not read the open runs: {error.message}
      </Alert>
    );
  }
  if (!runs || runs.length === 0) return null;
  return (
    <Paper withBorder p="sm" data-testid="open-runs">
      <Title order={6} mb={4}>
        Runs not finished
      </Title>
      <Stack gap={4}>
        {runs.map((run) => (
          <Group key={run.id} gap="xs" wrap="nowrap">
            <Badge color={RUN_STATE_COLORS[run.state]} size="sm">
              {run.state}
            </Badge>
            <Anchor size="sm" onClick={() => navigate({ page: 'run', runId: run.id })}>
              {run.title} · {shortRunId(run.id)}
            </Anchor>
            <Text size="xs" c="dimmed" truncate="end">
              {formatTime(run.createdAt)} · step {run.stepsDone}/{run.stepCount}
              {run.message ? ` · ${run.message}` : ''}
            </Text>
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}
