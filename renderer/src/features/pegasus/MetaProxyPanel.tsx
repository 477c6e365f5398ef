/**
 * MetaProxy's routing table: which cluster each table routes to, from `<metaproxy root>/<table>`
 * (reference §3.2). Entries meta-proxy would crash on (invalid JSON) or reject (fewer than two meta
 * addresses) are flagged first. MetaProxy keeps its own root, often not under the cluster root.
 */
import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  ScrollArea,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconRoute } from '@tabler/icons-react';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { usePegasusStore } from '../../stores/pegasus-store';
import { AgeText } from './AgeText';
import { WarningsList } from './WarningsList';

const VERDICT: Record<string, { color: string; label: string; meaning: string }> = {
  ok: { color: 'teal', label: 'ok', meaning: 'meta-proxy routes this table' },
  rejected: {
    color: 'orange',
    label: 'rejected',
    meaning: 'meta-proxy answers ERR_INVALID_DATA (it needs at least two meta addresses)',
  },
  crash: {
    color: 'red',
    label: 'would crash',
    meaning: 'meta-proxy panics when it re-reads this entry after a change (invalid JSON)',
  },
};

const ORDER: Record<string, number> = { crash: 0, rejected: 1, ok: 2 };

export function MetaProxyPanel({ connectionId }: { connectionId: string }) {
  const state = usePegasusStore((s) => s.byConnection[connectionId]);
  const { setMetaProxyRoot, loadMetaProxy } = usePegasusStore.getState();
  const entry = state?.metaProxy;
  const data = entry?.data;
  const routes = data
    ? data.routes
        .slice()
        .sort((a, b) => (ORDER[a.verdict] ?? 3) - (ORDER[b.verdict] ?? 3) || a.table.localeCompare(b.table))
    : [];
  const flagged = routes.filter((route) => route.verdict !== 'ok').length;

  return (
    <Stack gap="sm" data-testid="pegasus-metaproxy">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void loadMetaProxy(connectionId);
        }}
      >
        <Group align="flex-end" gap="xs">
          <TextInput
            style={{ flex: 1, maxWidth: 520 }}
            label="MetaProxy root (zookeeper.root in meta-proxy's config)"
            placeholder="/pegasus-cluster"
            value={state?.metaProxyRoot ?? ''}
            onChange={(event) => setMetaProxyRoot(connectionId, event.currentTarget.value)}
            data-testid="pegasus-metaproxy-root"
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          />
          <Button
            type="submit"
            leftSection={<IconRoute size={14} />}
            loading={entry?.status === 'loading'}
            disabled={!state?.metaProxyRoot.trim()}
            data-testid="pegasus-metaproxy-load"
          >
            Read routes
          </Button>
        </Group>
      </form>

      {entry?.status === 'error' ? (
        <ErrorState
          title="Could not read the MetaProxy routes"
          message={entry.error?.message}
          onRetry={() => void loadMetaProxy(connectionId)}
        />
      ) : entry?.status === 'loading' && !data ? (
        <LoadingState label="Reading MetaProxy routes…" />
      ) : !data ? (
        <EmptyState
          title="Enter MetaProxy's ZooKeeper root"
          description="Each child of that root is a table; its data says which cluster's meta servers answer for it."
        />
      ) : (
        <>
          <Group gap="md">
            <Text size="sm" data-testid="pegasus-metaproxy-summary">
              <b>{routes.length}</b> routes at <Code>{data.root}</Code>
              {flagged > 0 ? (
                <>
                  , <b style={{ color: 'var(--mantine-color-red-5)' }}>{flagged} flagged</b>
                </>
              ) : null}
            </Text>
            {data.clusters.map((cluster) => (
              <Badge key={cluster.clusterName} variant="light">
                {cluster.clusterName}: {cluster.tables}
              </Badge>
            ))}
            <Text size="xs" c="dimmed">
              Read <AgeText at={data.loadedAt} size="xs" />
            </Text>
          </Group>
          {flagged > 0 ? (
            <Alert color="red" variant="light" title="Entries meta-proxy cannot use">
              Fix these before switching traffic: a changed entry that does not parse makes meta-proxy exit,
              and a single meta address is refused.
            </Alert>
          ) : null}
          <WarningsList warnings={data.warnings.filter((w) => !routes.some((r) => r.path === w.path))} />
          {routes.length === 0 ? (
            <Text size="sm" c="dimmed">
              No table routes under this root.
            </Text>
          ) : (
            <ScrollArea type="auto">
              <Table striped withTableBorder fz="sm" miw={900}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Table</Table.Th>
                    <Table.Th w={130}>Verdict</Table.Th>
                    <Table.Th w={120}>Cluster</Table.Th>
                    <Table.Th>Meta servers</Table.Th>
                    <Table.Th>Problem</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {routes.map((route) => {
                    const verdict = VERDICT[route.verdict] ?? {
                      color: 'gray',
                      label: route.verdict,
                      meaning: '',
                    };
                    return (
                      <Table.Tr
                        key={route.path}
                        data-testid="pegasus-metaproxy-route"
                        data-table={route.table}
                        data-verdict={route.verdict}
                      >
                        <Table.Td ff="monospace">{route.table}</Table.Td>
                        <Table.Td>
                          <Tooltip label={verdict.meaning}>
                            <Badge
                              size="sm"
                              color={verdict.color}
                              variant={route.verdict === 'ok' ? 'light' : 'filled'}
                            >
                              {verdict.label}
                            </Badge>
                          </Tooltip>
                        </Table.Td>
                        <Table.Td>{route.clusterName ?? '-'}</Table.Td>
                        <Table.Td ff="monospace" style={{ whiteSpace: 'pre' }}>
                          {route.metaAddrs.join('\n') || '-'}
                        </Table.Td>
                        <Table.Td>
                          <Text size="xs" c={route.problem ? 'red' : 'dimmed'}>
                            {route.problem ?? route.notes.join('; ') ?? ''}
                          </Text>
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </ScrollArea>
          )}
        </>
      )}
    </Stack>
  );
}
