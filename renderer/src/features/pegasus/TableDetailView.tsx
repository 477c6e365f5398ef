/**
 * One table: its partitions as a grid coloured by health (the shell's rules), every partition's
 * ballot, primary, secondaries and last committed decree, its envs, its duplications with the
 * per-partition lag (last committed decree minus the remote's confirmed decree), and bulk load.
 */
import {
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  Card,
  Code,
  Group,
  ScrollArea,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { ApiOutputs } from '../../api/types';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { usePegasusStore } from '../../stores/pegasus-store';
import { AgeText } from './AgeText';
import { formatCount, formatEpochMs, formatEpochSeconds } from './format';
import { HEALTH_COLOR, HEALTH_LABEL, HEALTH_MEANING, type HealthClass } from './health-colors';
import { HealthBadge } from './HealthBadge';
import { WarningsList } from './WarningsList';
import { WHOLE_BADGE_LABEL } from './badge-styles';

type Detail = ApiOutputs['pegasus']['table'];
type PartitionRow = Detail['partitions'][number];
type Duplication = Detail['duplications'][number];

function PartitionGrid({ partitions }: { partitions: readonly PartitionRow[] }) {
  const counts = new Map<HealthClass, number>();
  for (const p of partitions) counts.set(p.health, (counts.get(p.health) ?? 0) + 1);
  return (
    <Stack gap={6}>
      <div
        data-testid="pegasus-partition-grid"
        style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, 22px)', gap: 3 }}
      >
        {partitions.map((p) => (
          <Tooltip
            key={p.index}
            withArrow
            multiline
            label={
              <Stack gap={0}>
                <Text size="xs" fw={700}>
                  Partition {p.index}: {HEALTH_LABEL[p.health]}
                </Text>
                <Text size="xs">primary {p.primary ?? '-'}</Text>
                <Text size="xs">secondaries {p.secondaries.join(', ') || '-'}</Text>
                <Text size="xs">
                  ballot {p.ballot ?? '-'} · decree {formatCount(p.lastCommittedDecree)}
                </Text>
              </Stack>
            }
          >
            <div
              data-testid="pegasus-partition-cell"
              data-index={p.index}
              data-health={p.health}
              style={{
                width: 22,
                height: 22,
                borderRadius: 3,
                fontSize: 9,
                lineHeight: '22px',
                textAlign: 'center',
                color: 'var(--mantine-color-white)',
                background:
                  p.health === 'missing' ? 'transparent' : `var(--mantine-color-${HEALTH_COLOR[p.health]}-7)`,
                border: p.health === 'missing' ? '1px dashed var(--mantine-color-gray-6)' : undefined,
              }}
            >
              {p.index}
            </div>
          </Tooltip>
        ))}
      </div>
      <Group gap="md">
        {[...counts.entries()].map(([level, count]) => (
          <Tooltip key={level} label={HEALTH_MEANING[level]}>
            <Group gap={4}>
              <div
                style={{
                  width: 10,
                  height: 10,
                  borderRadius: 2,
                  background:
                    level === 'missing' ? 'transparent' : `var(--mantine-color-${HEALTH_COLOR[level]}-7)`,
                  border: level === 'missing' ? '1px dashed var(--mantine-color-gray-6)' : undefined,
                }}
              />
              <Text size="xs" data-testid={`pegasus-partition-count-${level}`}>
                {HEALTH_LABEL[level]}: {count}
              </Text>
            </Group>
          </Tooltip>
        ))}
      </Group>
    </Stack>
  );
}

function PartitionsTable({ partitions }: { partitions: readonly PartitionRow[] }) {
  return (
    <ScrollArea.Autosize mah={420} type="auto">
      <Table striped stickyHeader withTableBorder fz="xs" data-testid="pegasus-partitions-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>Health</Table.Th>
            <Table.Th>Ballot</Table.Th>
            <Table.Th>Primary</Table.Th>
            <Table.Th>Secondaries</Table.Th>
            <Table.Th>Last committed decree</Table.Th>
            <Table.Th>Replicas</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {partitions.map((p) => (
            <Table.Tr key={p.index} data-testid="pegasus-partition-row" data-index={p.index}>
              <Table.Td ff="monospace">{p.index}</Table.Td>
              <Table.Td>
                <HealthBadge level={p.health} />
              </Table.Td>
              <Table.Td ff="monospace">{p.ballot ?? '-'}</Table.Td>
              <Table.Td ff="monospace" data-testid="pegasus-partition-primary">
                {p.primary ??
                  (p.decoded ? (
                    <Text span c="red" size="xs">
                      none
                    </Text>
                  ) : (
                    '-'
                  ))}
              </Table.Td>
              <Table.Td ff="monospace">{p.secondaries.join(', ') || '-'}</Table.Td>
              <Table.Td ff="monospace" data-testid="pegasus-partition-decree">
                {formatCount(p.lastCommittedDecree)}
              </Table.Td>
              <Table.Td ff="monospace">
                {p.replicaCount ?? '-'}/{p.maxReplicaCount ?? '-'}
                {p.dropped ? ' (dropped)' : ''}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  );
}

const DUP_STATUS_COLOR: Record<string, string> = {
  DS_LOG: 'teal',
  DS_PAUSE: 'yellow',
  DS_PREPARE: 'blue',
  DS_APP: 'blue',
  DS_INIT: 'gray',
  DS_REMOVED: 'gray',
};

export function DuplicationStatusBadge({
  status,
  statusRaw,
}: {
  status: string | null;
  statusRaw: string | null;
}) {
  const legacy = statusRaw !== null && status !== null && statusRaw !== status;
  const badge = (
    <Badge
      size="sm"
      color={DUP_STATUS_COLOR[status ?? ''] ?? 'red'}
      variant={status === 'DS_REMOVED' ? 'outline' : 'filled'}
      // A status cut to "DS_REMOVED (W…" in a squeezed table column says nothing: the column widens instead.
      styles={WHOLE_BADGE_LABEL}
      data-testid="duplication-status-badge"
    >
      {status ?? 'undecoded'}
      {legacy ? ` (was ${statusRaw})` : ''}
    </Badge>
  );
  return legacy ? (
    <Tooltip
      label={`${statusRaw} is not a status this Pegasus knows: the meta server reads it as DS_REMOVED and ignores the duplication`}
    >
      {badge}
    </Tooltip>
  ) : (
    badge
  );
}

function DuplicationCard({ dup }: { dup: Duplication }) {
  const withProgress = dup.progress.filter((p) => p.confirmedDecree !== null);
  return (
    <Card withBorder padding="sm" data-testid="pegasus-table-duplication" data-dupid={dup.dupid}>
      <Group gap="md" mb="xs">
        <Text fw={700} ff="monospace">
          dup {dup.dupid}
        </Text>
        <DuplicationStatusBadge status={dup.status} statusRaw={dup.statusRaw} />
        <Text size="sm">
          → <b>{dup.remote ?? '?'}</b>
          {dup.remoteAppName ? ` / ${dup.remoteAppName}` : ''}
        </Text>
        <Badge size="sm" variant="outline">
          {dup.failMode ?? 'fail mode ?'}
        </Badge>
        <Text size="xs" c="dimmed">
          created {formatEpochMs(dup.createdAtMs)} · {dup.confirmedPartitions} partitions confirmed · max lag{' '}
          <span data-testid="pegasus-dup-max-lag">{formatCount(dup.maxLag)}</span>
        </Text>
      </Group>
      {withProgress.length === 0 ? (
        <Text size="xs" c="dimmed">
          No progress node yet: the meta server writes them lazily, once a partition's confirmed decree moves.
        </Text>
      ) : (
        <ScrollArea.Autosize mah={260} type="auto">
          <Table fz="xs" withTableBorder striped stickyHeader data-testid="pegasus-dup-progress">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Partition</Table.Th>
                <Table.Th>Confirmed decree</Table.Th>
                <Table.Th>Last committed decree</Table.Th>
                <Table.Th>Lag</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {dup.progress.map((p) => (
                <Table.Tr
                  key={p.partitionIndex}
                  data-testid="pegasus-dup-progress-row"
                  data-index={p.partitionIndex}
                >
                  <Table.Td ff="monospace">{p.partitionIndex}</Table.Td>
                  <Table.Td ff="monospace">
                    {p.confirmedDecree === null ? (
                      <Text span c="dimmed" size="xs">
                        no progress node
                      </Text>
                    ) : (
                      formatCount(p.confirmedDecree)
                    )}
                  </Table.Td>
                  <Table.Td ff="monospace">{formatCount(p.lastCommittedDecree)}</Table.Td>
                  <Table.Td ff="monospace" data-testid="pegasus-dup-lag">
                    {p.lag === null ? '-' : formatCount(p.lag)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      )}
    </Card>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </Stack>
  );
}

function DetailBody({ detail }: { detail: Detail }) {
  const t = detail.table;
  const envs = Object.entries(t.envs).sort(([a], [b]) => a.localeCompare(b));
  return (
    <Stack gap="md" data-testid="pegasus-table-detail" data-app-id={t.appId}>
      <Text size="xs" c="dimmed">
        App node <Code>{t.path}</Code>
      </Text>
      <Card withBorder padding="sm">
        <SimpleGrid cols={{ base: 2, md: 4, lg: 6 }} spacing="sm">
          <Fact label="Health">
            <HealthBadge level={t.healthLevel} testId="pegasus-detail-health" />
          </Fact>
          <Fact label="Status">{t.status}</Fact>
          <Fact label="Partitions">
            <span data-testid="pegasus-detail-partitions">
              {t.partitionsFound} / {t.partitionCount}
            </span>
            {t.splitting ? ' (splitting)' : ''}
          </Fact>
          <Fact label="Max replicas">{t.maxReplicaCount ?? '-'}</Fact>
          <Fact label="Healthy · unh · w · r">
            {t.health.fullyHealthy} · {t.health.unhealthy} · {t.health.writeUnhealthy} ·{' '}
            {t.health.readUnhealthy}
          </Fact>
          <Fact label="Payload">
            {t.payloadFormat === 'host-port'
              ? '2.6 (host:port)'
              : t.payloadFormat === 'address-only'
                ? '2.5 (ip:port)'
                : t.payloadFormat}
          </Fact>
          <Fact label="Created">{formatEpochSeconds(t.createdAt)}</Fact>
          {t.status === 'dropped' ? (
            <>
              <Fact label="Dropped">{formatEpochSeconds(t.droppedAt)}</Fact>
              <Fact label="Drop expires">
                {formatEpochSeconds(t.dropExpiresAt)}
                {t.dropExpired ? ' (expired)' : ''}
              </Fact>
            </>
          ) : null}
          <Fact label="Init partitions">{detail.appInfo?.initPartitionCount ?? '-'}</Fact>
        </SimpleGrid>
      </Card>

      <WarningsList
        warnings={detail.warnings}
        title="Nodes of this table that could not be read or decoded"
      />

      <Title order={5}>Partitions</Title>
      <PartitionGrid partitions={detail.partitions} />
      <PartitionsTable partitions={detail.partitions} />

      <Title order={5}>Envs ({envs.length})</Title>
      {envs.length === 0 ? (
        <Text size="sm" c="dimmed">
          No table envs.
        </Text>
      ) : (
        <Table withTableBorder fz="xs" data-testid="pegasus-envs">
          <Table.Tbody>
            {envs.map(([key, value]) => (
              <Table.Tr key={key}>
                <Table.Td ff="monospace">{key}</Table.Td>
                <Table.Td ff="monospace">{value}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}

      <Title order={5}>Duplications ({detail.duplications.length})</Title>
      {detail.duplications.length === 0 ? (
        <Text size="sm" c="dimmed">
          This table has no duplication.
        </Text>
      ) : (
        detail.duplications.map((dup) => <DuplicationCard key={dup.dupid} dup={dup} />)
      )}

      {detail.bulkLoad ? (
        <>
          <Title order={5}>Bulk load</Title>
          <Card withBorder padding="sm" data-testid="pegasus-bulk-load">
            <Text size="sm">
              {detail.bulkLoad.app?.status ?? 'status unknown'} from{' '}
              {detail.bulkLoad.app?.fileProviderType ?? '?'}{' '}
              <Code>{detail.bulkLoad.app?.remoteRootPath ?? '?'}</Code> (cluster{' '}
              {detail.bulkLoad.app?.clusterName ?? '?'}); {detail.bulkLoad.partitions.length} partition states
            </Text>
          </Card>
        </>
      ) : null}
    </Stack>
  );
}

export function TableDetailView({ connectionId, appId }: { connectionId: string; appId: number }) {
  const entry = usePegasusStore((s) => s.byConnection[connectionId]?.tables[appId]);
  const root = usePegasusStore((s) => s.byConnection[connectionId]?.root);
  const { closeTable, openTable } = usePegasusStore.getState();
  const detail = entry?.data;
  return (
    <Stack gap="sm" p="xs">
      <Group justify="space-between">
        <Group gap="sm">
          <Button
            size="xs"
            variant="subtle"
            leftSection={<IconArrowLeft size={14} />}
            onClick={() => closeTable(connectionId)}
            data-testid="pegasus-table-back"
          >
            Back
          </Button>
          <Breadcrumbs>
            <Anchor size="sm" onClick={() => closeTable(connectionId)}>
              {root}
            </Anchor>
            <Text size="sm" fw={700} data-testid="pegasus-detail-name">
              {detail?.table.name ?? `app ${appId}`} ({appId})
            </Text>
          </Breadcrumbs>
        </Group>
        {detail ? (
          <Text size="xs" c="dimmed">
            From ZooKeeper <AgeText at={detail.loadedAt} size="xs" />
          </Text>
        ) : null}
      </Group>
      {entry?.status === 'error' ? (
        <ErrorState
          title={`Could not load table ${appId}`}
          message={entry.error?.message}
          onRetry={() => void openTable(connectionId, appId)}
        />
      ) : detail ? (
        <DetailBody detail={detail} />
      ) : (
        <LoadingState label={`Loading table ${appId}…`} />
      )}
    </Stack>
  );
}
