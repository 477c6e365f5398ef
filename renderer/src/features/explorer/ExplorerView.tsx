/**
 * The explorer of one connection: opens its session first (bounded by the connect timeout, with a
 * clear message and Retry when the ensemble is unreachable), then the tree beside the node panel,
 * and the subtree search beside them when it is open.
 */
import { ActionIcon, Group, Splitter, Text } from '@mantine/core';
import { IconX } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { snapshotIdOfWorkspace } from '../../../../shared/api/snapshots';
import type { ConnectionProfile } from '../../api/types';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { useExplorerStore } from '../../stores/explorer-store';
import { sessionStateOf, useSessionState } from '../../stores/sessions-store';
import { NodePanel } from '../node-panel/NodePanel';
import { SearchPanel } from '../search/SearchPanel';
import classes from './ExplorerView.module.css';
import { SnapshotBanner } from '../snapshots/SnapshotBanner';
import { SessionBanner } from './SessionBanner';
import { TreePane } from './TreePane';
import { useSessionRecovery } from './use-session-recovery';

export function ExplorerView({ connection }: { connection: ConnectionProfile }) {
  const explorer = useExplorerStore((state) => state.byConnection[connection.id]);
  const openSession = useExplorerStore((state) => state.openSession);
  const sessionEvent = useSessionState(connection.id);
  const sessionStatus = explorer?.session.status ?? 'idle';
  const [searchOpen, setSearchOpen] = useState(false);
  // A snapshot opened as a workspace: same tree and panel, read from the local store.
  const snapshotId = snapshotIdOfWorkspace(connection.id);
  const open = () => void openSession(connection.id, connection.connectTimeoutMs);

  useSessionRecovery(connection.id, sessionStateOf(sessionEvent));

  // biome-ignore lint/correctness/useExhaustiveDependencies: open once per connection (and after a reset), not on every render.
  useEffect(() => {
    if (sessionStatus === 'idle') open();
  }, [connection.id, sessionStatus]);

  if (sessionStatus === 'idle' || sessionStatus === 'opening') {
    return snapshotId ? (
      <LoadingState label="Opening the snapshot…" hint="Read from the local store: no network involved." />
    ) : (
      <LoadingState
        label={`Connecting to ${connection.connectString}${connection.chroot ?? ''}…`}
        hint={`Gives up after ${connection.connectTimeoutMs / 1000} s if no server answers.`}
      />
    );
  }
  if (sessionStatus === 'failed') {
    return (
      <ErrorState
        title={`Could not open a session to ${connection.name}`}
        message={explorer?.session.error?.message}
        onRetry={open}
      />
    );
  }

  return (
    <div className={classes.explorer}>
      {snapshotId ? (
        <SnapshotBanner snapshotId={snapshotId} />
      ) : (
        <SessionBanner event={sessionEvent} onReconnect={open} />
      )}
      <div className={classes.body}>
        <Splitter className={classes.split}>
          <Splitter.Pane defaultSize={38} min={15}>
            <TreePane connectionId={connection.id} onOpenSearch={() => setSearchOpen(true)} />
          </Splitter.Pane>
          <Splitter.Pane defaultSize={62} min={25}>
            <NodePanel connectionId={connection.id} />
          </Splitter.Pane>
        </Splitter>
        {searchOpen ? (
          <aside className={classes.search} aria-label="Search">
            <Group justify="space-between" px="sm" pt={6}>
              <Text size="xs" fw={600} c="dimmed" tt="uppercase">
                Search
              </Text>
              <ActionIcon
                variant="subtle"
                color="gray"
                size="sm"
                onClick={() => setSearchOpen(false)}
                aria-label="Close search"
              >
                <IconX size={14} />
              </ActionIcon>
            </Group>
            <SearchPanel connectionId={connection.id} initialRoot={explorer?.selectedPath ?? '/'} />
          </aside>
        ) : null}
      </div>
    </div>
  );
}
