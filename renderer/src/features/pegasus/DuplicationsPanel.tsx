/** Every duplication of the cluster in one list, with its progress; a row opens its table. */
import { Anchor, Badge, Group, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { usePegasusStore } from '../../stores/pegasus-store';
import { AgeText } from './AgeText';
import { formatCount, formatEpochMs } from './format';
import { WHOLE_BADGE_LABEL } from './badge-styles';
import { DuplicationStatusBadge } from './TableDetailView';

export function DuplicationsPanel({ connectionId }: { connectionId: string }) {
  const entry = usePegasusStore((s) => s.byConnection[connectionId]?.duplications);
  const { loadDuplications, openTable } = usePegasusStore.getState();
  if (!entry || entry.status === 'idle' || (entry.status === 'loading' && !entry.data)) {
    return <LoadingState label="Listing duplications…" />;
  }
  if (entry.status === 'error' && !entry.data) {
    return (
      <ErrorState
        title="Could not list duplications"
        message={entry.error?.message}
        onRetry={() => void loadDuplications(connectionId, true)}
      />
    );
  }
  const data = entry.data;
  if (!data || data.duplications.length === 0) {
    return (
      <EmptyState
        title="No duplications"
        description="No table of this cluster has a duplication node (apps/<id>/duplication/<dupid>)."
      />
    );
  }
  const active = data.duplications.filter((d) => d.status !== 'DS_REMOVED' && d.status !== null).length;
  return (
    <Stack gap="sm" data-testid="pegasus-duplications">
      <Group gap="md">
        <Text size="sm">
          <b>{data.duplications.length}</b> duplications, <b>{active}</b> not removed
        </Text>
        <Text size="xs" c="dimmed">
          From ZooKeeper <AgeText at={data.loadedAt} size="xs" />. Lag = last committed decree − confirmed
          decree, per partition with a progress node.
        </Text>
      </Group>
      <ScrollArea type="auto">
        <Table striped withTableBorder highlightOnHover fz="sm" miw={1100}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Table</Table.Th>
              <Table.Th>Dup id</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Remote cluster</Table.Th>
              <Table.Th>Remote table</Table.Th>
              <Table.Th>Fail mode</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>Progress</Table.Th>
              <Table.Th>Max lag</Table.Th>
              <Table.Th>Total lag</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.duplications.map((dup) => (
              <Table.Tr
                key={dup.path}
                data-testid="pegasus-duplication-row"
                data-dupid={dup.dupid}
                data-app-id={dup.appId}
              >
                <Table.Td>
                  <Anchor size="sm" onClick={() => void openTable(connectionId, dup.appId)}>
                    {dup.tableName ?? `app ${dup.appId}`}
                  </Anchor>{' '}
                  <Text span size="xs" c="dimmed">
                    ({dup.appId}
                    {dup.tableStatus !== 'available' ? `, ${dup.tableStatus}` : ''})
                  </Text>
                </Table.Td>
                <Table.Td ff="monospace">{dup.dupid}</Table.Td>
                <Table.Td data-testid="pegasus-duplication-status">
                  <DuplicationStatusBadge status={dup.status} statusRaw={dup.statusRaw} />
                </Table.Td>
                <Table.Td>{dup.remote ?? '-'}</Table.Td>
                <Table.Td>{dup.remoteAppName ?? '-'}</Table.Td>
                <Table.Td>
                  <Badge
                    size="xs"
                    variant="outline"
                    styles={WHOLE_BADGE_LABEL}
                    data-testid="pegasus-duplication-fail-mode"
                  >
                    {dup.failMode ?? '?'}
                  </Badge>
                </Table.Td>
                <Table.Td>{formatEpochMs(dup.createdAtMs)}</Table.Td>
                <Table.Td ff="monospace">
                  {dup.confirmedPartitions}/{dup.partitionCount}
                </Table.Td>
                <Table.Td ff="monospace" data-testid="pegasus-duplication-max-lag">
                  {formatCount(dup.maxLag)}
                </Table.Td>
                <Table.Td ff="monospace">{formatCount(dup.totalLag)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
    </Stack>
  );
}
