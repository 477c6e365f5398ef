/** The node's stat, as zkCli prints it, with times made readable and ephemeral nodes called out. */
import { Badge, Table, Text, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import type { ZkStatView } from '../../api/types';
import { formatDateTime } from '../../lib/date-time';
import { formatRelativeTime } from '../../lib/relative-time';
import { formatBytes } from '../background-jobs/BackgroundJobProgress';

const numberFormat = new Intl.NumberFormat('en-US');
/** Counts an operator compares at a glance (10,000 children, not 10000); zxids stay hex. */
const COUNT_FIELDS = new Set<keyof ZkStatView>(['version', 'cversion', 'aversion', 'numChildren']);

interface StatRow {
  field: keyof ZkStatView;
  label: string;
  /** What the field means, for operators who do not read ZooKeeper internals daily. */
  help: string;
}

const ROWS: StatRow[] = [
  { field: 'czxid', label: 'czxid', help: 'Transaction that created the node' },
  { field: 'mzxid', label: 'mzxid', help: 'Transaction that last changed the data' },
  { field: 'pzxid', label: 'pzxid', help: 'Transaction that last changed the children' },
  { field: 'ctime', label: 'ctime', help: 'Created' },
  { field: 'mtime', label: 'mtime', help: 'Data last modified' },
  { field: 'version', label: 'version', help: 'Data version (number of data changes)' },
  { field: 'cversion', label: 'cversion', help: 'Children version (number of child changes)' },
  { field: 'aversion', label: 'aversion', help: 'ACL version' },
  {
    field: 'ephemeralOwner',
    label: 'ephemeralOwner',
    help: 'Session owning an ephemeral node; 0x0 when persistent',
  },
  { field: 'dataLength', label: 'dataLength', help: 'Size of the data in bytes' },
  { field: 'numChildren', label: 'numChildren', help: 'Number of children' },
];

export function isEphemeral(stat: ZkStatView): boolean {
  return stat.ephemeralOwner !== '0x0' && stat.ephemeralOwner !== '0' && stat.ephemeralOwner !== '';
}

function describeField(
  stat: ZkStatView,
  field: keyof ZkStatView,
  now: number,
  ownSessionId?: string,
): { value: ReactNode; note?: ReactNode } {
  const raw = stat[field];
  if (field === 'ctime' || field === 'mtime') {
    // ZooKeeper's own nodes (/zookeeper, /zookeeper/quota, /zookeeper/config) carry time 0: "1970,
    // 57 years ago" would read as a clock fault, so say what it is.
    if (raw === 0) return { value: '—', note: 'not recorded (a node ZooKeeper made itself)' };
    return { value: formatDateTime(raw as number), note: formatRelativeTime(raw as number, now) };
  }
  if (field === 'ephemeralOwner' && isEphemeral(stat)) {
    return {
      value: raw,
      note: (
        <>
          <Badge size="xs" color="violet" variant="light" data-testid="node-ephemeral">
            ephemeral
          </Badge>
          {raw === ownSessionId ? " owned by this app's session" : ' owned by that session'}
        </>
      ),
    };
  }
  if (field === 'dataLength') {
    const bytes = raw as number;
    // Past a KiB the exact count is hard to read: the binary size beside it says "about 1 MB".
    return {
      value: numberFormat.format(bytes),
      note: bytes >= 1024 ? `bytes (${formatBytes(bytes)})` : 'bytes',
    };
  }
  if (COUNT_FIELDS.has(field) && typeof raw === 'number') return { value: numberFormat.format(raw) };
  return { value: raw };
}

export function StatTable({
  stat,
  now = Date.now(),
  ownSessionId,
}: {
  stat: ZkStatView;
  now?: number;
  /** This app's session on the connection: an ephemeral node it owns is called out. */
  ownSessionId?: string;
}) {
  return (
    <Table withTableBorder withColumnBorders striped verticalSpacing={4} fz="sm" data-testid="node-stat">
      <Table.Tbody>
        {ROWS.map(({ field, label, help }) => {
          const { value, note } = describeField(stat, field, now, ownSessionId);
          return (
            <Table.Tr key={field}>
              <Table.Td w={160}>
                <Tooltip label={help} withArrow position="left">
                  <Text size="sm" ff="monospace" c="dimmed" span>
                    {label}
                  </Text>
                </Tooltip>
              </Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace" span data-testid={`node-stat-${field}`}>
                  {value}
                </Text>
                {note ? (
                  <Text size="xs" c="dimmed" span ml="sm">
                    {note}
                  </Text>
                ) : null}
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
