/**
 * The cluster at a glance: who leads the meta servers and who waits, the shell's health counts,
 * what the root holds beyond tables, then every table.
 */
import { Alert, Badge, Card, Code, Group, SimpleGrid, Stack, Text, Tooltip } from '@mantine/core';
import { IconCrown } from '@tabler/icons-react';
import { AgeText } from './AgeText';
import { WHOLE_BADGE_LABEL } from './badge-styles';
import { formatEpochMs } from './format';
import type { OverviewData } from './table-rows';
import { TablesGrid } from './TablesGrid';
import { WarningsList } from './WarningsList';

function Stat({
  label,
  value,
  color,
  testId,
}: {
  label: string;
  value: string | number;
  color?: string;
  testId?: string;
}) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="lg" fw={700} c={color} data-testid={testId}>
        {value}
      </Text>
    </Stack>
  );
}

function MetaServers({ overview }: { overview: OverviewData }) {
  return (
    <Card withBorder padding="sm" data-testid="pegasus-meta-servers">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb={4}>
        Meta servers (lock holders)
      </Text>
      {overview.metaCandidates.length === 0 ? (
        <Text size="sm" data-testid="pegasus-meta-leader">
          No meta server holds the lock{overview.metaLockDir ? ` in ${overview.metaLockDir}` : ''}: none is
          running, or the lock lives elsewhere.
        </Text>
      ) : (
        <Stack gap={4}>
          {overview.metaCandidates.map((candidate) => (
            // Wraps as whole pieces in a narrow card: an address broken at its "-" or a badge cut to
            // "LEAD…" reads wrong; the lock node moves to the next line instead.
            <Group
              key={candidate.path}
              gap="xs"
              style={{ rowGap: 0 }}
              wrap="wrap"
              data-testid="pegasus-meta-candidate"
              data-leader={candidate.leader}
            >
              {candidate.leader ? (
                <IconCrown size={14} color="var(--mantine-color-yellow-5)" />
              ) : (
                <span style={{ width: 14 }} />
              )}
              <Text
                size="sm"
                ff="monospace"
                fw={candidate.leader ? 700 : 400}
                style={{ whiteSpace: 'nowrap' }}
                data-testid={candidate.leader ? 'pegasus-meta-leader' : undefined}
              >
                {candidate.address ?? '(undecodable)'}
              </Text>
              <Badge
                size="xs"
                variant={candidate.leader ? 'filled' : 'outline'}
                color={candidate.leader ? 'yellow' : 'gray'}
                styles={WHOLE_BADGE_LABEL}
                data-testid="pegasus-meta-role"
              >
                {candidate.leader ? 'leader' : 'candidate'}
              </Badge>
              <Tooltip
                label={`${candidate.path}, session ${candidate.ephemeralOwner ?? '?'}, since ${formatEpochMs(candidate.since)}`}
              >
                <Text size="xs" c="dimmed" ff="monospace">
                  {candidate.node}
                </Text>
              </Tooltip>
            </Group>
          ))}
        </Stack>
      )}
    </Card>
  );
}

export function OverviewPanel({ connectionId, overview }: { connectionId: string; overview: OverviewData }) {
  const health = overview.clusterHealth;
  return (
    <Stack gap="sm" h="100%" style={{ minHeight: 0 }} data-testid="pegasus-overview">
      {overview.appsRoot.state === 'lock' ? (
        <Alert color="red" variant="light" title="apps is 'lock'">
          <Code>{overview.appsRoot.path}</Code> holds <Code>lock</Code>: a meta server becoming leader would
          refuse to load this tree until it says <Code>unlock</Code>.
        </Alert>
      ) : null}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
        <MetaServers overview={overview} />
        <Card withBorder padding="sm">
          <Group gap="xl" wrap="wrap">
            <Stat label="Available" value={overview.counts.available} testId="pegasus-count-available" />
            <Stat label="Dropped" value={overview.counts.dropped} testId="pegasus-count-dropped" />
            <Stat label="Partitions" value={overview.counts.partitions.toLocaleString('en-US')} />
            <Stat
              label="Unhealthy"
              value={health.unhealthyAppCount}
              color={health.unhealthyAppCount > 0 ? 'yellow' : 'teal'}
              testId="pegasus-count-unhealthy"
            />
            <Stat
              label="Write-unh."
              value={health.writeUnhealthyAppCount}
              color={health.writeUnhealthyAppCount > 0 ? 'orange' : undefined}
            />
            <Stat
              label="Read-unh."
              value={health.readUnhealthyAppCount}
              color={health.readUnhealthyAppCount > 0 ? 'red' : undefined}
            />
          </Group>
          <Text size="xs" c="dimmed" mt={6}>
            Health by the shell's rules over available tables · read from ZooKeeper{' '}
            <AgeText at={overview.loadedAt} size="xs" />
            {overview.backupPolicies.length > 0 ? ` · ${overview.backupPolicies.length} backup policies` : ''}
            {overview.rangerPolicies ? ' · Ranger ACL enabled' : ''}
          </Text>
        </Card>
      </SimpleGrid>
      {overview.unknownKeys.length > 0 ? (
        <Text size="xs" c="dimmed" data-testid="pegasus-unknown-keys">
          Fields this version does not know (kept, not shown):{' '}
          {overview.unknownKeys.map((note) => `${note.kind}.${note.key} ×${note.count}`).join(', ')}
        </Text>
      ) : null}
      <WarningsList warnings={overview.warnings} total={overview.warningTotal} />
      <TablesGrid connectionId={connectionId} rows={overview.tables} />
    </Stack>
  );
}
