/**
 * The open connections as tabs: several ensembles at once, each with its own session and tree; the
 * app remembers them across restarts. Closing a tab closes its session.
 */
import { CloseButton, Group, ScrollArea, Text, UnstyledButton } from '@mantine/core';
import { IconCamera, IconLock } from '@tabler/icons-react';
import { isOfflineProfile } from '../features/snapshots/offline-profile';
import type { ConnectionProfile } from '../api/types';
import { profileById, useConnectionsStore } from '../stores/connections-store';
import { sessionBadgeStateOf, useSessionState } from '../stores/sessions-store';
import classes from './OpenConnectionsBar.module.css';

const DOT: Record<string, string> = {
  connected: 'var(--mantine-color-green-6)',
  connecting: 'var(--mantine-color-blue-5)',
  reconnecting: 'var(--mantine-color-yellow-5)',
  expired: 'var(--mantine-color-orange-6)',
  'auth-failed': 'var(--mantine-color-red-6)',
  closed: 'var(--mantine-color-gray-6)',
  unreachable: 'var(--mantine-color-red-6)',
};

function ConnectionTab({ profile, selected }: { profile: ConnectionProfile; selected: boolean }) {
  const state = sessionBadgeStateOf(useSessionState(profile.id));
  const { select, closeTab } = useConnectionsStore.getState();
  return (
    <Group
      gap={4}
      wrap="nowrap"
      className={classes.tab}
      data-selected={selected || undefined}
      data-testid={`open-connection-${profile.name}`}
    >
      <UnstyledButton
        className={classes.label}
        onClick={() => select(profile.id)}
        aria-current={selected ? 'page' : undefined}
        data-testid={`switch-connection-${profile.name}`}
      >
        <Group gap={6} wrap="nowrap">
          <span className={classes.dot} style={{ background: DOT[state] }} title={state} />
          <Text size="sm" fw={selected ? 600 : 400} truncate="end">
            {profile.name}
          </Text>
          {isOfflineProfile(profile) ? (
            <IconCamera size={12} aria-label="offline snapshot" />
          ) : profile.readOnly ? (
            <IconLock size={12} aria-label="read-only" />
          ) : null}
        </Group>
      </UnstyledButton>
      <CloseButton
        size="xs"
        onClick={() => void closeTab(profile.id)}
        aria-label={`Close ${profile.name}`}
        data-testid={`close-connection-${profile.name}`}
      />
    </Group>
  );
}

export function OpenConnectionsBar() {
  const openIds = useConnectionsStore((state) => state.openIds);
  const selectedId = useConnectionsStore((state) => state.selectedId);
  const connections = useConnectionsStore((state) => state.connections);
  const offline = useConnectionsStore((state) => state.offline);
  const open = openIds
    .map((id) => profileById({ connections, offline }, id))
    .filter((profile): profile is ConnectionProfile => profile !== undefined);
  if (open.length === 0) return null;
  return (
    <ScrollArea type="never" className={classes.bar} data-testid="open-connections">
      <Group gap={2} wrap="nowrap" px="xs">
        {open.map((profile) => (
          <ConnectionTab key={profile.id} profile={profile} selected={profile.id === selectedId} />
        ))}
      </Group>
    </ScrollArea>
  );
}
