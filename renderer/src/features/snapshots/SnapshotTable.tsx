/** A list of snapshots with what an operator does with them: open offline, compare, delete. */
import { ActionIcon, Badge, Button, Code, Group, Table, Text, Tooltip } from '@mantine/core';
import { IconFolderOpen, IconGitCompare, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import type { SnapshotView } from '../../../../shared/api/snapshots';
import { useSnapshotsStore } from '../../stores/snapshots-store';
import { formatBytes } from '../background-jobs/BackgroundJobProgress';
import { CompareSnapshotModal } from './CompareSnapshotModal';
import { DeleteSnapshotModal } from './DeleteSnapshotModal';
import { formatSnapshotTime, REASON_TEXT } from './offline-profile';

const fmt = new Intl.NumberFormat('en-US');

const STATE_COLOR: Record<SnapshotView['state'], string> = {
  complete: 'teal',
  capturing: 'blue',
  failed: 'red',
};

export function SnapshotTable({
  items,
  showConnection,
}: {
  items: SnapshotView[];
  showConnection?: boolean;
}) {
  const [comparing, setComparing] = useState<SnapshotView | null>(null);
  const [deleting, setDeleting] = useState<SnapshotView | null>(null);
  const open = useSnapshotsStore((state) => state.open);
  return (
    <>
      <Table striped highlightOnHover fz="sm" data-testid="snapshot-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Taken</Table.Th>
            {showConnection ? <Table.Th>Connection</Table.Th> : null}
            <Table.Th>Subtree</Table.Th>
            <Table.Th>Why</Table.Th>
            <Table.Th ta="right">Nodes</Table.Th>
            <Table.Th ta="right">Data</Table.Th>
            <Table.Th>State</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => (
            <Table.Tr
              key={item.id}
              data-testid="snapshot-row"
              data-snapshot-id={item.id}
              data-root={item.root}
            >
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatSnapshotTime(item.createdAt)}</Table.Td>
              {showConnection ? <Table.Td>{item.connectionName}</Table.Td> : null}
              <Table.Td>
                <Code>{item.root}</Code>
                {item.label ? (
                  <Text size="xs" c="dimmed">
                    {item.reason === 'sample' ? '' : item.label}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>{REASON_TEXT[item.reason] ?? item.reason}</Table.Td>
              <Table.Td ta="right" ff="monospace">
                {fmt.format(item.nodeCount)}
              </Table.Td>
              <Table.Td ta="right" ff="monospace">
                {formatBytes(item.byteCount)}
              </Table.Td>
              <Table.Td>
                <Tooltip label={item.error ?? item.state} disabled={!item.error} multiline maw={360}>
                  <Badge
                    color={item.error && item.state === 'complete' ? 'orange' : STATE_COLOR[item.state]}
                    variant="light"
                  >
                    {item.error && item.state === 'complete' ? 'partial' : item.state}
                  </Badge>
                </Tooltip>
              </Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap" justify="flex-end">
                  <Button
                    size="compact-xs"
                    variant="light"
                    leftSection={<IconFolderOpen size={12} />}
                    disabled={item.state === 'capturing'}
                    onClick={() => open(item)}
                    data-testid="snapshot-open"
                  >
                    Open offline
                  </Button>
                  <Tooltip
                    label={
                      item.comparable
                        ? 'Compare with the live tree'
                        : 'Its connection no longer exists: nothing live to compare with'
                    }
                  >
                    <ActionIcon
                      variant="default"
                      size="sm"
                      disabled={!item.comparable || item.state !== 'complete'}
                      onClick={() => setComparing(item)}
                      aria-label="Compare with the live tree"
                      data-testid="snapshot-compare"
                    >
                      <IconGitCompare size={14} />
                    </ActionIcon>
                  </Tooltip>
                  <Tooltip label="Delete this snapshot">
                    <ActionIcon
                      variant="default"
                      color="red"
                      size="sm"
                      disabled={item.state === 'capturing'}
                      onClick={() => setDeleting(item)}
                      aria-label="Delete this snapshot"
                      data-testid="snapshot-delete"
                    >
                      <IconTrash size={14} />
                    </ActionIcon>
                  </Tooltip>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {comparing ? (
        <CompareSnapshotModal snapshot={comparing} opened onClose={() => setComparing(null)} />
      ) : null}
      {deleting ? <DeleteSnapshotModal snapshot={deleting} opened onClose={() => setDeleting(null)} /> : null}
    </>
  );
}
