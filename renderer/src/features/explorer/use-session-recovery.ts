/**
 * When the selected connection's session comes back (reconnecting -> connected, or a new session
 * after expiry), retry whatever failed while it was down, so the operator does not have to.
 */
import { useEffect, useRef } from 'react';
import type { SessionState } from '../../api/types';
import { useExplorerStore } from '../../stores/explorer-store';

export function useSessionRecovery(connectionId: string, state: SessionState): void {
  const previous = useRef<SessionState>(state);
  useEffect(() => {
    const before = previous.current;
    previous.current = state;
    if (state === 'connected' && before !== 'connected' && before !== 'connecting') {
      useExplorerStore.getState().recover(connectionId);
    }
  }, [connectionId, state]);
}
