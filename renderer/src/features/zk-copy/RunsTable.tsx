/**
 * Past and current runs that involve this connection, newest first: their state (an interrupted
 * one says so and can be resumed), what they did, and a click opens one.
 */
import { formatDateTime } from '../../lib/date-time';
import { Badge, Button, Code, Group, ScrollArea, Table, Text } from '@mantine/core';
import type { RunView } from '../../../../electron/engines/zk-copy/types';
import { formatRelativeTime } from '../../lib/relative-time';
import {
  describeEndpoint,
  effectiveState,
  fmt,
  KIND_LABELS,
  runEndpoints,
  STATE_COLORS,
  verifyDifferenceCount,
} from './copy-format';

function outcome(run: RunView): string {
  const result = run.result;
  if (!result) return '';
  const parts: string[] = [];
  if (result.copy) {
    const c = result.copy.counts;
    parts.push(
      `${fmt.format(c.created)} created, ${fmt.format(c.updated)} updated, ${fmt.format(c.unchanged)} unchanged`,
    );
    if (c.deleted > 0) parts.push(`${fmt.format(c.deleted)} deleted`);
    if (c.conflicts > 0) parts.push(`${fmt.format(c.conflicts)} conflicts`);
  } else if (result.plan) {
    parts.push(
      `plan: ${fmt.format(result.plan.creates)} to create, ${fmt.format(result.plan.updates)} to update`,
    );
  }
  const differences = verifyDifferenceCount(run);
  if (differences !== null)
    parts.push(
      differences === 0 ? 'verified: no differences' : `verify: ${fmt.format(differences)} differences`,
    );
  if (result.cleanup)
    parts.push(`${fmt.format(result.cleanup.deleted)} of ${fmt.format(result.cleanup.nodeCount)} deleted`);
  if (result.error) parts.push(result.error.code);
  return parts.join(' · ');
}

export function RunsTable({
  runs,
  selectedId,
  onSelect,
  onResume,
}: {
  runs: RunView[];
  selectedId: string | null;
  onSelect(runId: string): void;
  onResume(runId: string): void;
}) {
  return (
    <ScrollArea.Autosize mah={320} type="auto">
      <Table highlightOnHover striped="odd" verticalSpacing={4} data-testid="copy-runs-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>When</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th>From → to</Table.Th>
            <Table.Th>State</Table.Th>
            <Table.Th>Outcome</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {runs.map((run) => {
            const { source, target } = runEndpoints(run);
            const state = effectiveState(run);
            return (
              <Table.Tr
                key={run.id}
                onClick={() => onSelect(run.id)}
                style={{ cursor: 'pointer' }}
                bg={run.id === selectedId ? 'var(--mantine-color-blue-light)' : undefined}
                data-testid="copy-run-row"
                data-run-id={run.id}
                data-state={state}
              >
                <Table.Td>
                  <Text size="xs" title={formatDateTime(run.createdAt)}>
                    {formatRelativeTime(run.createdAt)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="xs">{KIND_LABELS[run.kind]}</Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    {source ? <Code fz="xs">{describeEndpoint(source)}</Code> : null}
                    {source ? <Text size="xs">→</Text> : null}
                    <Code fz="xs">{describeEndpoint(target)}</Code>
                  </Group>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Badge
                    size="sm"
                    variant="light"
                    color={STATE_COLORS[state]}
                    styles={{ root: { overflow: 'visible' }, label: { overflow: 'visible' } }}
                  >
                    {state}
                    {run.live && run.phase ? ` · ${run.phase}` : ''}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="xs" c="dimmed" lineClamp={2}>
                    {outcome(run)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {run.interrupted || (!run.live && (run.state === 'failed' || run.state === 'paused')) ? (
                    <Button
                      size="compact-xs"
                      variant="light"
                      onClick={(event) => {
                        event.stopPropagation();
                        onResume(run.id);
                      }}
                      data-testid="copy-run-resume"
                    >
                      Resume
                    </Button>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  );
}
