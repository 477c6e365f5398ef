/**
 * Every server of the connect string in its own column, the same figure on each row, so a lagging
 * zxid or an odd node count stands out. A figure missing because its word was refused says so.
 */
import { Badge, Group, ScrollArea, Table, Text, Tooltip } from '@mantine/core';
import { IconCrown, IconPlugConnectedX } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { EnsembleHealthData } from '../../stores/health-store';
import { formatBytes, formatCount, formatLatency, shortVersion, UNKNOWN } from './health-format';

type Server = EnsembleHealthData['servers'][number];
type Word = keyof Server['words'];

const MODE_COLOR: Record<Server['mode'], string> = {
  leader: 'yellow',
  follower: 'teal',
  observer: 'cyan',
  standalone: 'blue',
  'read-only': 'orange',
  'not-serving': 'red',
  unknown: 'gray',
};

interface Row {
  label: string;
  hint?: string;
  /** The word the figure comes from: a refused word explains an empty cell. */
  word: Word;
  value(server: Server): ReactNode;
  testId?: string;
}

const ROWS: Row[] = [
  { label: 'Version', word: 'srvr', value: (s) => shortVersion(s.version), testId: 'version' },
  {
    label: 'Zxid',
    hint: 'Last transaction the server applied; epoch is the high 32 bits',
    word: 'srvr',
    value: (s) =>
      s.zxid ? (
        <Text span ff="monospace" size="sm">
          {s.zxid}
          {s.epoch !== null ? (
            <Text span c="dimmed" size="xs">
              {' '}
              epoch {s.epoch}
            </Text>
          ) : null}
        </Text>
      ) : (
        UNKNOWN
      ),
    testId: 'zxid',
  },
  { label: 'Latency min/avg/max', word: 'srvr', value: (s) => formatLatency(s.latency), testId: 'latency' },
  {
    label: 'Outstanding requests',
    word: 'srvr',
    value: (s) => formatCount(s.outstanding),
    testId: 'outstanding',
  },
  { label: 'Znodes', word: 'srvr', value: (s) => formatCount(s.nodeCount), testId: 'nodes' },
  { label: 'Watches', word: 'mntr', value: (s) => formatCount(s.watchCount), testId: 'watches' },
  { label: 'Ephemeral nodes', word: 'mntr', value: (s) => formatCount(s.ephemerals) },
  {
    label: 'Data size',
    hint: 'zk_approximate_data_size: paths and data of all znodes',
    word: 'mntr',
    value: (s) => formatBytes(s.dataSize),
    testId: 'data-size',
  },
  { label: 'Connections', word: 'srvr', value: (s) => formatCount(s.connections), testId: 'connections' },
  {
    label: 'Client sessions (cons)',
    word: 'cons',
    value: (s) => (s.clientCount === null ? UNKNOWN : formatCount(s.clientCount)),
  },
  {
    label: 'Packets received / sent',
    word: 'srvr',
    value: (s) => (s.received === null ? UNKNOWN : `${formatCount(s.received)} / ${formatCount(s.sent)}`),
  },
  {
    label: 'File descriptors',
    word: 'mntr',
    value: (s) =>
      s.openFileDescriptors === null
        ? UNKNOWN
        : `${formatCount(s.openFileDescriptors)} of ${formatCount(s.maxFileDescriptors)}`,
  },
  {
    label: 'Learners in sync',
    hint: 'Leader only: followers and observers in sync / connected',
    word: 'mntr',
    value: (s) =>
      s.mode !== 'leader' || s.followers === null ? UNKNOWN : `${s.syncedFollowers ?? '?'} / ${s.followers}`,
  },
  { label: 'Server id (conf)', word: 'conf', value: (s) => s.serverId ?? UNKNOWN },
  {
    label: 'Session timeouts (conf)',
    word: 'conf',
    value: (s) =>
      s.config.minSessionTimeout
        ? `${Number(s.config.minSessionTimeout) / 1000}–${Number(s.config.maxSessionTimeout) / 1000} s`
        : UNKNOWN,
  },
  { label: 'ruok', word: 'ruok', value: (s) => (s.ruok === null ? UNKNOWN : s.ruok ? 'imok' : 'no') },
  {
    label: 'Probe round trip',
    word: 'srvr',
    value: (s) => (s.probeMs === null ? UNKNOWN : `${s.probeMs} ms`),
  },
];

function Cell({ server, row }: { server: Server; row: Row }) {
  if (!server.reachable) {
    return (
      <Text size="sm" c="dimmed">
        {UNKNOWN}
      </Text>
    );
  }
  const value = row.value(server);
  if (value === UNKNOWN && server.words[row.word] === 'refused') {
    return (
      <Tooltip label={`${row.word} is not in this server's 4lw.commands.whitelist`} withArrow>
        <Text size="xs" c="orange" data-testid="health-cell-refused">
          {row.word} not whitelisted
        </Text>
      </Tooltip>
    );
  }
  return <Text size="sm">{value}</Text>;
}

function ServerHeader({ server }: { server: Server }) {
  return (
    <Group
      gap={6}
      wrap="wrap"
      data-testid="health-server"
      data-address={server.address}
      data-mode={server.mode}
    >
      {server.mode === 'leader' ? <IconCrown size={14} color="var(--mantine-color-yellow-5)" /> : null}
      {!server.reachable ? <IconPlugConnectedX size={14} color="var(--mantine-color-red-6)" /> : null}
      <Text fw={700} ff="monospace" size="sm">
        {server.address}
      </Text>
      {server.reachable ? (
        <Badge
          size="sm"
          color={MODE_COLOR[server.mode]}
          variant="light"
          style={{ flexShrink: 0, overflow: 'visible' }}
          data-testid="health-mode"
        >
          {server.mode}
        </Badge>
      ) : (
        <Tooltip label={server.error ?? 'no answer'} multiline maw={360} withArrow>
          <Badge size="sm" color="red" variant="filled" data-testid="health-mode">
            unreachable
          </Badge>
        </Tooltip>
      )}
    </Group>
  );
}

export function ServerComparisonTable({ servers }: { servers: Server[] }) {
  return (
    <ScrollArea type="auto" offsetScrollbars data-testid="health-table">
      <Table
        withTableBorder
        withColumnBorders
        striped
        highlightOnHover
        verticalSpacing={4}
        miw={360 + servers.length * 200}
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={200} />
            {servers.map((server) => (
              <Table.Th key={server.address}>
                <ServerHeader server={server} />
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {servers.some((s) => !s.reachable) ? (
            <Table.Tr>
              <Table.Td>
                <Text size="sm" fw={500}>
                  Reachable
                </Text>
              </Table.Td>
              {servers.map((server) => (
                <Table.Td
                  key={server.address}
                  data-testid={server.reachable ? undefined : 'health-unreachable'}
                >
                  {server.reachable ? (
                    <Text size="sm">yes</Text>
                  ) : (
                    <Text size="xs" c="red" lineClamp={3} title={server.error ?? undefined}>
                      {server.error ?? 'no answer'}
                    </Text>
                  )}
                </Table.Td>
              ))}
            </Table.Tr>
          ) : null}
          {ROWS.map((row) => (
            <Table.Tr key={row.label} data-testid={row.testId ? `health-row-${row.testId}` : undefined}>
              <Table.Td>
                {row.hint ? (
                  <Tooltip label={row.hint} withArrow multiline maw={300}>
                    <Text size="sm" fw={500} style={{ textDecoration: 'underline dotted' }}>
                      {row.label}
                    </Text>
                  </Tooltip>
                ) : (
                  <Text size="sm" fw={500}>
                    {row.label}
                  </Text>
                )}
              </Table.Td>
              {servers.map((server) => (
                <Table.Td key={server.address}>
                  <Cell server={server} row={row} />
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}
