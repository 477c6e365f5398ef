/**
 * The Pegasus workspace tab of a connection: pick a cluster root, then its overview, replica
 * placement, duplications, MetaProxy routes and meta HTTP facts; a table opens its detail.
 * Everything is read-only and says where its facts came from and how old they are.
 */
import { countOf } from '../../../../shared/plural';
import { Alert, Badge, Box, Button, Code, Group, Menu, Stack, Tabs, Text, Tooltip } from '@mantine/core';
import { IconDownload, IconRefresh, IconSwitchHorizontal } from '@tabler/icons-react';
import { useEffect } from 'react';
import { snapshotIdOfWorkspace } from '../../../../shared/api/snapshots';
import type { ConnectionProfile } from '../../api/types';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { bytesToBase64 } from '../../lib/base64';
import { platform } from '../../platform';
import { type PegasusTab, usePegasusStore } from '../../stores/pegasus-store';
import { ClusterProfilesButton } from '../pegasus-profiles/ClusterProfilesButton';
import { AgeText } from './AgeText';
import { WHOLE_BADGE_LABEL } from './badge-styles';
import { DuplicationsPanel } from './DuplicationsPanel';
import { MetaHttpPanel } from './MetaHttpPanel';
import { MetaProxyPanel } from './MetaProxyPanel';
import { OverviewPanel } from './OverviewPanel';
import { PlacementPanel } from './PlacementPanel';
import { RootPicker } from './RootPicker';
import { TableDetailView } from './TableDetailView';

function ExportMenu({ connectionId }: { connectionId: string }) {
  const exporting = usePegasusStore((s) => s.byConnection[connectionId]?.exporting ?? null);
  const exportOverview = usePegasusStore((s) => s.exportOverview);
  const save = async (format: 'csv' | 'json') => {
    const file = await exportOverview(connectionId, format);
    if (!file) return;
    await platform.saveFile({
      suggestedName: file.fileName,
      dataBase64: bytesToBase64(new TextEncoder().encode(file.text)),
      filters: [{ name: format.toUpperCase(), extensions: [format] }],
    });
  };
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button
          size="xs"
          variant="default"
          leftSection={<IconDownload size={14} />}
          loading={exporting !== null}
          data-testid="pegasus-export"
        >
          Export
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item onClick={() => void save('csv')} data-testid="pegasus-export-csv">
          Overview as CSV (one row per table)
        </Menu.Item>
        <Menu.Item onClick={() => void save('json')} data-testid="pegasus-export-json">
          Overview as JSON
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

function ClusterHeader({ connectionId }: { connectionId: string }) {
  const state = usePegasusStore((s) => s.byConnection[connectionId]);
  const { refresh, leaveRoot } = usePegasusStore.getState();
  const overview = state?.overview.data;
  return (
    <Stack gap={4}>
      {/* On a narrow window the buttons drop to a second row: the cluster root and where the facts
          came from must stay readable, not be cut to "/pegasus/…" and "ZOOKEEPER · MULT…". */}
      <Group justify="space-between" wrap="wrap" style={{ rowGap: 6 }} data-testid="pegasus-header">
        <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
          <Text
            fw={700}
            ff="monospace"
            truncate
            title={state?.root ?? undefined}
            data-testid="pegasus-cluster-root"
          >
            {state?.root}
          </Text>
          {overview ? (
            <Tooltip
              label={`${overview.source.reads.toLocaleString('en-US')} reads in ${overview.source.requests.toLocaleString(
                'en-US',
              )} requests over ${countOf(overview.source.sessions, 'session')}, ${overview.loadMs} ms${
                overview.source.fallbackReason
                  ? `; bulk reader unavailable: ${overview.source.fallbackReason}`
                  : ''
              }`}
              multiline
              maw={420}
            >
              <Badge
                size="sm"
                variant="light"
                color={overview.source.reader === 'snapshot' ? 'grape' : 'teal'}
                styles={WHOLE_BADGE_LABEL}
                style={{ flexShrink: 0 }}
                data-testid="pegasus-source"
              >
                {overview.source.reader === 'snapshot'
                  ? 'Offline snapshot'
                  : `ZooKeeper · ${overview.source.reader}`}
              </Badge>
            </Tooltip>
          ) : null}
          {overview ? (
            <Text size="xs" c="dimmed" data-testid="pegasus-loaded-at">
              loaded <AgeText at={overview.loadedAt} size="xs" />
              {overview.cached ? ' (cached)' : ''}
            </Text>
          ) : null}
        </Group>
        <Group gap="xs" wrap="nowrap">
          <Button
            size="xs"
            variant="default"
            leftSection={<IconRefresh size={14} />}
            loading={state?.refreshing}
            disabled={!overview}
            onClick={() => void refresh(connectionId)}
            data-testid="pegasus-refresh"
          >
            Refresh
          </Button>
          {overview ? <ExportMenu connectionId={connectionId} /> : null}
          <ClusterProfilesButton
            connectionId={connectionId}
            clusterRoot={state?.root ?? null}
            metaServers={state?.metaServers ?? ''}
          />
          <Button
            size="xs"
            variant="subtle"
            leftSection={<IconSwitchHorizontal size={14} />}
            onClick={() => leaveRoot(connectionId)}
            data-testid="pegasus-change-root"
          >
            Change root
          </Button>
        </Group>
      </Group>
      {state?.overview.error && overview ? (
        <Alert color="red" variant="light" py={6} data-testid="pegasus-refresh-error">
          Refresh failed; showing the previous load. {state.overview.error.message}
        </Alert>
      ) : null}
      {state?.exportError ? (
        <Alert color="red" variant="light" py={6}>
          Export failed: {state.exportError.message}
        </Alert>
      ) : null}
    </Stack>
  );
}

const TABS: { id: PegasusTab; label: string }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'placement', label: 'Replica placement' },
  { id: 'duplications', label: 'Duplications' },
  { id: 'metaproxy', label: 'MetaProxy routes' },
  { id: 'metahttp', label: 'Meta HTTP' },
];

function ClusterBody({ connectionId }: { connectionId: string }) {
  const state = usePegasusStore((s) => s.byConnection[connectionId]);
  const { setTab, openRoot } = usePegasusStore.getState();
  const overviewEntry = state?.overview;
  const overview = overviewEntry?.data;
  if (
    !state ||
    !overviewEntry ||
    (overviewEntry.status === 'loading' && !overview) ||
    overviewEntry.status === 'idle'
  ) {
    return (
      <LoadingState
        label={`Loading the cluster at ${state?.root ?? ''}…`}
        hint="Reads every app and partition node (batched); a large cluster takes a few seconds."
      />
    );
  }
  if (!overview) {
    return (
      <ErrorState
        title={`Could not load ${state.root}`}
        message={overviewEntry.error?.message}
        onRetry={() => state.root && void openRoot(connectionId, state.root)}
      />
    );
  }
  if (state.selectedTable !== null) {
    return <TableDetailView connectionId={connectionId} appId={state.selectedTable} />;
  }
  return (
    <Stack gap="sm" h="100%" style={{ minHeight: 0 }}>
      <Tabs value={state.tab} onChange={(value) => value && setTab(connectionId, value as PegasusTab)}>
        <Tabs.List>
          {TABS.map((tab) => (
            <Tabs.Tab key={tab.id} value={tab.id} data-testid={`pegasus-tab-${tab.id}`}>
              {tab.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Box
        style={{
          flex: 1,
          minHeight: 0,
          overflow: state.tab === 'overview' ? 'hidden' : 'auto',
          display: 'flex',
          flexDirection: 'column',
        }}
      >
        {state.tab === 'overview' ? (
          <OverviewPanel connectionId={connectionId} overview={overview} />
        ) : state.tab === 'placement' ? (
          <PlacementPanel overview={overview} />
        ) : state.tab === 'duplications' ? (
          <DuplicationsPanel connectionId={connectionId} />
        ) : state.tab === 'metaproxy' ? (
          <MetaProxyPanel connectionId={connectionId} />
        ) : snapshotIdOfWorkspace(connectionId) !== null ? (
          <Alert color="grape" variant="light" data-testid="pegasus-metahttp-offline">
            This is a snapshot, read offline: the meta servers' HTTP API needs the network. Open the live
            connection to compare what the meta servers say with what ZooKeeper holds.
          </Alert>
        ) : (
          <MetaHttpPanel connectionId={connectionId} />
        )}
      </Box>
    </Stack>
  );
}

export function PegasusView({ connection }: { connection: ConnectionProfile }) {
  const root = usePegasusStore((s) => s.byConnection[connection.id]?.root ?? null);
  const start = usePegasusStore((s) => s.start);

  useEffect(() => {
    void start(connection.id);
  }, [start, connection.id]);

  if (root === null) {
    return (
      <Box h="100%" style={{ overflow: 'auto' }}>
        <RootPicker key={connection.id} connectionId={connection.id} />
      </Box>
    );
  }
  return (
    <Stack gap="sm" p="sm" h="100%" style={{ minHeight: 0 }} data-testid="pegasus-view">
      <ClusterHeader connectionId={connection.id} />
      <Box style={{ flex: 1, minHeight: 0, overflow: 'auto', display: 'flex', flexDirection: 'column' }}>
        <ClusterBody connectionId={connection.id} />
      </Box>
      <Text size="xs" c="dimmed">
        Read-only. Facts from ZooKeeper date from the load above; the meta server's own state may have moved
        on (it does not watch ZooKeeper). Cluster root <Code>{root}</Code>.
      </Text>
    </Stack>
  );
}
