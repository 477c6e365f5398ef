/** Says, above the tree, that the session is not healthy and what happens next. */
import { Alert, Button } from '@mantine/core';
import { IconPlugConnectedX } from '@tabler/icons-react';
import type { SessionStateEvent } from '../../api/types';

interface SessionBannerProps {
  event: SessionStateEvent | undefined;
  onReconnect(): void;
}

const TEXT: Partial<Record<SessionStateEvent['state'], { title: string; color: string; detail: string }>> = {
  reconnecting: {
    title: 'Connection lost: reconnecting',
    color: 'yellow',
    detail:
      'The client is retrying the ensemble. What is shown may be stale; failed reads retry once it is back.',
  },
  expired: {
    title: 'Session expired',
    color: 'orange',
    detail:
      'ZooKeeper dropped the session (ephemeral nodes of this session are gone). A new session is needed.',
  },
  'auth-failed': {
    title: 'Authentication failed',
    color: 'red',
    detail: 'The ensemble refused the digest credential. Edit the connection to fix it.',
  },
  closed: { title: 'Session closed', color: 'gray', detail: 'Reads reopen the session; or reconnect now.' },
};

export function SessionBanner({ event, onReconnect }: SessionBannerProps) {
  const text = event ? TEXT[event.state] : undefined;
  if (!event || !text) return null;
  const canReconnect = event.state !== 'reconnecting';
  return (
    <Alert
      color={text.color}
      variant="light"
      icon={<IconPlugConnectedX />}
      title={text.title}
      data-testid="session-banner"
      py="xs"
      radius={0}
    >
      {event.message ?? text.detail}
      {canReconnect ? (
        <Button
          size="compact-xs"
          variant="light"
          color={text.color}
          ml="sm"
          onClick={onReconnect}
          data-testid="session-reconnect"
        >
          Reconnect
        </Button>
      ) : null}
    </Alert>
  );
}
