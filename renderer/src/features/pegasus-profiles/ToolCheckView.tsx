/**
 * What "Check tools" found: one line per item (shell binary, config, cluster_info, admin-cli, meta
 * HTTP, ZooKeeper, disagreements) with its status and the fix, the cluster facts the shell reported,
 * and the shell's own output when it could not be read.
 */
import { Alert, Badge, Code, Group, Stack, Table, Text, ThemeIcon } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconMinus, IconX } from '@tabler/icons-react';
import type { ApiError } from '../../api/api-error';
import type { ProfileCheckResult } from '../../stores/pegasus-profiles-store';

type Item = ProfileCheckResult['items'][number];

const LOOK: Record<Item['status'], { color: string; icon: typeof IconCheck; word: string }> = {
  ok: { color: 'teal', icon: IconCheck, word: 'works' },
  warn: { color: 'yellow', icon: IconAlertTriangle, word: 'check' },
  fail: { color: 'red', icon: IconX, word: 'fails' },
  skipped: { color: 'gray', icon: IconMinus, word: 'not checked' },
};

function CheckLine({ item }: { item: Item }) {
  const look = LOOK[item.status];
  return (
    <Group
      gap="sm"
      wrap="nowrap"
      align="flex-start"
      data-testid="profile-check-item"
      data-item={item.id}
      data-status={item.status}
    >
      <ThemeIcon size="sm" radius="xl" color={look.color} variant="light" aria-label={look.word}>
        <look.icon size={12} />
      </ThemeIcon>
      <Stack gap={0} style={{ minWidth: 0 }}>
        <Text size="sm" fw={500}>
          {item.label}
        </Text>
        <Text
          size="xs"
          c="dimmed"
          style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}
          data-testid="profile-check-message"
        >
          {item.message}
        </Text>
      </Stack>
    </Group>
  );
}

function Facts({ facts }: { facts: NonNullable<ProfileCheckResult['facts']> }) {
  const rows: [string, string, string][] = [
    ['Cluster name', facts.clusterName ?? '-', 'cluster_name'],
    ['Meta servers', facts.metaServers.join(', ') || '-', 'meta_servers'],
    ['Meta leader', facts.primaryMetaServer ?? '-', 'primary_meta_server'],
    ['ZooKeeper hosts', facts.zookeeperHosts.join(', ') || '-', 'zookeeper_hosts'],
    ['ZooKeeper root', facts.zookeeperRoot ?? '-', 'zookeeper_root'],
    ['Meta level', facts.metaFunctionLevel ?? '-', 'meta_function_level'],
  ];
  return (
    <Table withTableBorder withColumnBorders fz="xs" data-testid="profile-check-facts">
      <Table.Tbody>
        {rows.map(([label, value, key]) => (
          <Table.Tr key={key}>
            <Table.Td w={150}>{label}</Table.Td>
            <Table.Td
              ff="monospace"
              data-testid="profile-check-fact"
              data-fact={key}
              style={{ overflowWrap: 'anywhere' }}
            >
              {value}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function ToolCheckView({
  result,
  error,
}: {
  result: ProfileCheckResult | null;
  error: ApiError | null;
}) {
  if (error) {
    return (
      <Alert color="red" variant="light" title="The check did not run" data-testid="profile-check-error">
        {error.message}
      </Alert>
    );
  }
  if (!result) return null;
  const worst = result.items.some((item) => item.status === 'fail')
    ? 'fail'
    : result.items.some((item) => item.status === 'warn')
      ? 'warn'
      : 'ok';
  return (
    <Stack gap="xs" data-testid="profile-check-result" data-worst={worst}>
      <Group gap="xs">
        <Badge color={LOOK[worst].color} variant="light">
          {worst === 'ok'
            ? 'Everything checked works'
            : worst === 'warn'
              ? 'Works, with warnings'
              : 'Something fails'}
        </Badge>
        <Text size="xs" c="dimmed">
          checked in {(result.durationMs / 1000).toFixed(1)} s
        </Text>
      </Group>
      {result.items.map((item) => (
        <CheckLine key={item.id} item={item} />
      ))}
      {result.facts ? <Facts facts={result.facts} /> : null}
      {result.shellOutput ? (
        <Stack gap={2}>
          <Text size="xs" fw={500}>
            What the shell printed
          </Text>
          <Code block data-testid="profile-check-shell-output" style={{ maxHeight: 200, overflow: 'auto' }}>
            {result.shellOutput}
          </Code>
        </Stack>
      ) : null}
    </Stack>
  );
}
