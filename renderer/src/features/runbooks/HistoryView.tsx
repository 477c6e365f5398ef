/**
 * The History area: every run, newest first, filtered by runbook, state, text (id, title,
 * parameters) and time; the chosen run's audit trail, and the way to its run view and report.
 */
import {
  Anchor,
  Badge,
  Button,
  Grid,
  Group,
  Paper,
  ScrollArea,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconHistory, IconRefresh, IconSearch } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { RUN_STATES } from '../../../../shared/api/runs';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { useAppAreaStore } from '../../stores/app-area-store';
import { DEFAULT_FILTERS, useRunbooksStore, useRunDetail } from '../../stores/runbooks-store';
import { AuditEventsTable } from './AuditEventsTable';
import { ReportExport } from './ReportExport';
import { formatTime, RUN_STATE_COLORS, shortRunId } from './run-format';

/** Typing settles this long before the host is asked again. */
const TEXT_DEBOUNCE_MS = 300;

const TIME_WINDOWS = [
  { value: 'any', label: 'Any time' },
  { value: '1', label: 'Last hour' },
  { value: '24', label: 'Last 24 hours' },
  { value: '168', label: 'Last 7 days' },
  { value: '720', label: 'Last 30 days' },
];

function RunEvents({ runId }: { runId: string }) {
  const detail = useRunDetail(runId);
  const loadRun = useRunbooksStore((state) => state.loadRun);
  const navigate = useRunbooksStore((state) => state.navigate);
  const setArea = useAppAreaStore((state) => state.setArea);
  useEffect(() => {
    void loadRun(runId);
  }, [runId, loadRun]);
  if (!detail.run) {
    if (detail.status === 'error')
      return (
        <ErrorState
          title="Could not read the run"
          message={detail.error?.message}
          onRetry={() => void loadRun(runId)}
        />
      );
    return <LoadingState label="Loading the run's audit trail…" />;
  }
  return (
    <Stack gap="sm" data-testid="history-run" data-run={runId}>
      <Group justify="space-between">
        <Title order={5}>
          {detail.run.title} · {shortRunId(runId)}
        </Title>
        <Button
          size="xs"
          onClick={() => {
            navigate({ page: 'run', runId });
            setArea('migrations');
          }}
          data-testid="history-open-run"
        >
          Open run view
        </Button>
      </Group>
      <ReportExport runId={runId} />
      <AuditEventsTable events={detail.events} />
    </Stack>
  );
}

export function HistoryView() {
  const history = useRunbooksStore((state) => state.history);
  const catalogue = useRunbooksStore((state) => state.catalogue);
  const loadHistory = useRunbooksStore((state) => state.loadHistory);
  const loadCatalogue = useRunbooksStore((state) => state.loadCatalogue);
  const selected = useRunbooksStore((state) => state.historySelected);
  const select = useRunbooksStore((state) => state.selectHistoryRun);
  const [text, setText] = useState(history.filters.text);

  useEffect(() => {
    void loadHistory();
    if (catalogue.status === 'idle') void loadCatalogue();
  }, [loadHistory, loadCatalogue, catalogue.status]);

  useEffect(() => {
    if (text === useRunbooksStore.getState().history.filters.text) return;
    const timer = setTimeout(() => void loadHistory({ text }), TEXT_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, loadHistory]);

  const { filters } = history;
  const filtered =
    filters.runbookId !== null ||
    filters.state !== null ||
    filters.text !== '' ||
    filters.withinHours !== null;

  let body: React.ReactNode;
  if (history.status === 'error') {
    body = (
      <ErrorState
        title="Could not read the runs"
        message={history.error?.message}
        onRetry={() => void loadHistory()}
      />
    );
  } else if (history.runs.length === 0 && history.status !== 'ready') {
    body = <LoadingState label="Loading the runs…" />;
  } else if (history.runs.length === 0) {
    body = (
      <EmptyState
        icon={<IconHistory size={26} />}
        title={filtered ? 'No run matches these filters' : 'No runs yet'}
        description={
          filtered
            ? 'Loosen a filter, or clear them all.'
            : 'Runs appear here once you start one under Migrations.'
        }
        actions={
          filtered ? (
            <Button
              variant="default"
              onClick={() => {
                setText('');
                void loadHistory(DEFAULT_FILTERS);
              }}
            >
              Clear filters
            </Button>
          ) : undefined
        }
      />
    );
  } else {
    body = (
      <Table highlightOnHover fz="sm" data-testid="history-table" data-count={history.runs.length}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Run</Table.Th>
            <Table.Th w={120}>State</Table.Th>
            <Table.Th>Steps</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Operator</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {history.runs.map((run) => (
            <Table.Tr
              key={run.id}
              onClick={() => select(run.id)}
              style={{ cursor: 'pointer' }}
              bg={selected === run.id ? 'var(--mantine-color-default-hover)' : undefined}
              data-testid="history-row"
              data-run={run.id}
              data-state={run.state}
            >
              <Table.Td>
                <Anchor size="sm" component="span">
                  {run.title}
                </Anchor>
                <Text size="xs" c="dimmed" ff="monospace">
                  {shortRunId(run.id)} · {run.runbookId}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge color={RUN_STATE_COLORS[run.state]}>{run.state}</Badge>
              </Table.Td>
              <Table.Td>
                {run.stepsDone}/{run.stepCount}
                {run.currentStepTitle && run.state !== 'completed' ? (
                  <Text size="xs" c="dimmed" truncate="end" maw={260}>
                    {run.currentStepTitle}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>{formatTime(run.createdAt)}</Table.Td>
              <Table.Td>{run.operator}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    );
  }

  return (
    <ScrollArea h="100%">
      <Stack p="md" gap="md" data-testid="history-view" data-status={history.status}>
        <Group justify="space-between">
          <Title order={3}>History</Title>
          <Button
            size="xs"
            variant="default"
            leftSection={<IconRefresh size={14} />}
            loading={history.status === 'loading'}
            onClick={() => void loadHistory()}
            data-testid="history-refresh"
          >
            Refresh
          </Button>
        </Group>
        <Group gap="sm" align="flex-end" data-testid="history-filters">
          <Select
            label="Runbook"
            placeholder="All runbooks"
            clearable
            data={catalogue.runbooks.map((runbook) => ({ value: runbook.id, label: runbook.title }))}
            value={filters.runbookId}
            onChange={(runbookId) => void loadHistory({ runbookId })}
            data-testid="history-filter-runbook"
          />
          <Select
            label="State"
            placeholder="Any state"
            clearable
            data={[...RUN_STATES]}
            value={filters.state}
            onChange={(state) => void loadHistory({ state: (state as (typeof RUN_STATES)[number]) ?? null })}
            data-testid="history-filter-state"
          />
          <TextInput
            label="Text"
            placeholder="id, title, parameter…"
            leftSection={<IconSearch size={14} />}
            value={text}
            onChange={(event) => setText(event.currentTarget.value)}
            data-testid="history-filter-text"
          />
          <Select
            label="Created"
            data={TIME_WINDOWS}
            value={filters.withinHours === null ? 'any' : String(filters.withinHours)}
            onChange={(value) =>
              void loadHistory({ withinHours: !value || value === 'any' ? null : Number(value) })
            }
            allowDeselect={false}
            data-testid="history-filter-time"
          />
        </Group>
        {/* Top-aligned: a long audit trail beside a short list must not stretch the list's column,
            or its empty state ("No run matches…") is centred far below the fold. */}
        <Grid gap="md" align="flex-start">
          <Grid.Col span={{ base: 12, lg: selected ? 6 : 12 }}>{body}</Grid.Col>
          {selected ? (
            <Grid.Col span={{ base: 12, lg: 6 }}>
              <Paper withBorder p="sm">
                <RunEvents runId={selected} />
              </Paper>
            </Grid.Col>
          ) : null}
        </Grid>
      </Stack>
    </ScrollArea>
  );
}
