/** A run's audit events, newest first: every transition, control and operator answer, with who and when. */
import { Table, Text } from '@mantine/core';
import type { AuditEvent } from '../../../../shared/api/audit';
import { formatTime } from './run-format';

/** "from: paused · to: aborted · message: Aborted by root." — readable at a glance, nothing dropped. */
function describeDetail(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' · ');
}

export function AuditEventsTable({ events }: { events: AuditEvent[] }) {
  if (events.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="audit-events-empty">
        No audit events recorded for this run yet.
      </Text>
    );
  }
  return (
    <Table striped fz="xs" layout="fixed" data-testid="audit-events" data-count={events.length}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={96}>When</Table.Th>
          <Table.Th w={80}>Who</Table.Th>
          <Table.Th>What</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {/* The detail goes under its action, not in a fourth column: beside the run list (half the
            window) a fourth column was some 60 px wide and broke "completed" into "complet ed". */}
        {events.map((event) => (
          <Table.Tr key={event.id} data-testid="audit-event" data-action={event.action}>
            <Table.Td>{formatTime(event.at)}</Table.Td>
            <Table.Td style={{ overflowWrap: 'anywhere' }}>{event.actor}</Table.Td>
            <Table.Td>
              <Text size="xs" fw={600} style={{ overflowWrap: 'anywhere' }}>
                {event.action}
              </Text>
              <Text
                size="xs"
                c="dimmed"
                data-testid="audit-event-detail"
                style={{ overflowWrap: 'break-word' }}
              >
                {describeDetail(event.detail)}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
