import {
  ActionIcon,
  Badge,
  Group,
  Text,
  Title,
  Tooltip,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core';
import { IconMoon, IconSun, IconTopologyStar3 } from '@tabler/icons-react';
import { AreaNav } from './AreaNav';
import { HostInfo } from './HostInfo';
import { ConnectionStateBadge } from '../components/ConnectionStateBadge';
import { ReadOnlyBadge } from '../components/ReadOnlyBadge';
import { isOfflineProfile } from '../features/snapshots/offline-profile';
import { useSelectedConnection } from '../stores/connections-store';
import { sessionBadgeStateOf, useSessionState, useSessionsStore } from '../stores/sessions-store';

function SelectedConnectionStatus() {
  const connection = useSelectedConnection();
  const session = useSessionState(connection?.id);
  if (!connection) {
    return (
      <Text size="sm" c="dimmed" data-testid="no-connection-selected">
        No connection selected
      </Text>
    );
  }
  return (
    <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
      <Text size="sm" fw={600} truncate="end" data-testid="header-connection-name">
        {connection.name}
      </Text>
      <Text size="xs" c="dimmed" ff="monospace" truncate="end" visibleFrom="md">
        {connection.connectString}
        {connection.chroot ?? ''}
      </Text>
      {isOfflineProfile(connection) ? (
        <Badge color="grape" variant="light" data-testid="connection-offline">
          snapshot · offline · read-only
        </Badge>
      ) : (
        <>
          <ReadOnlyBadge readOnly={connection.readOnly} />
          <ConnectionStateBadge
            state={sessionBadgeStateOf(session)}
            message={session?.message}
            size="md"
            testId="connection-state"
          />
        </>
      )}
    </Group>
  );
}

/** Shown only when the event stream from the host is down: session states may be stale then. */
function HostLinkStatus() {
  const stream = useSessionsStore((state) => state.stream);
  if (stream !== 'reconnecting') return null;
  return (
    <Tooltip
      label="The live event stream from the Migration Desk host dropped; retrying. States may be stale."
      withArrow
    >
      <Badge color="red" variant="light" data-testid="host-link-lost">
        host link lost
      </Badge>
    </Tooltip>
  );
}

function ColorSchemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme('dark');
  return (
    <ActionIcon
      variant="subtle"
      color="gray"
      onClick={() => setColorScheme(scheme === 'dark' ? 'light' : 'dark')}
      aria-label="Toggle color scheme"
    >
      {scheme === 'dark' ? <IconSun size={18} /> : <IconMoon size={18} />}
    </ActionIcon>
  );
}

export function AppHeader() {
  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap">
      <Group gap="lg" wrap="nowrap" style={{ minWidth: 0 }}>
        <Group gap={8} wrap="nowrap">
          <IconTopologyStar3 size={22} color="var(--mantine-color-teal-5)" />
          <Title order={4} style={{ whiteSpace: 'nowrap' }}>
            Migration Desk
          </Title>
        </Group>
        <AreaNav />
        <SelectedConnectionStatus />
      </Group>
      <Group gap="xs" wrap="nowrap">
        <HostLinkStatus />
        <HostInfo />
        <ColorSchemeToggle />
      </Group>
    </Group>
  );
}
