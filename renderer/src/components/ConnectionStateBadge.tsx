import { Badge, Loader, type MantineSize, Tooltip } from '@mantine/core';
import type { SessionBadgeState } from '../stores/sessions-store';

const COLORS: Record<SessionBadgeState, string> = {
  connecting: 'blue',
  connected: 'green',
  reconnecting: 'yellow',
  expired: 'orange',
  'auth-failed': 'red',
  closed: 'gray',
  // The session never opened: red, the host's reason on hover.
  unreachable: 'red',
};

interface ConnectionStateBadgeProps {
  state: SessionBadgeState;
  /** Why the state is what it is (the host's message), shown on hover. */
  message?: string;
  size?: MantineSize;
  testId?: string;
}

/** The text content is exactly the state word ('connected'), so tests and screen readers can read it. */
export function ConnectionStateBadge({ state, message, size = 'sm', testId }: ConnectionStateBadgeProps) {
  const busy = state === 'connecting' || state === 'reconnecting';
  const badge = (
    <Badge
      color={COLORS[state]}
      variant={state === 'connected' ? 'filled' : 'light'}
      size={size}
      leftSection={busy ? <Loader size={10} color={COLORS[state]} /> : undefined}
      styles={{ root: { textTransform: 'none' } }}
      data-state={state}
      data-color={COLORS[state]}
    >
      <span data-testid={testId}>{state}</span>
    </Badge>
  );
  return message ? (
    <Tooltip label={message} multiline maw={360} withArrow>
      {badge}
    </Tooltip>
  ) : (
    badge
  );
}
