/**
 * Live ZooKeeper session states, fed by the host's `sessions.events` subscription. The subscription
 * itself can drop (host restarted, laptop slept): the link retries the EventSource on its own, and
 * when the subscription ends or fails we start a new one with backoff. Each (re)start re-reads the
 * full list, so states missed while the stream was down are not lost.
 */
import { create } from 'zustand';
import { api } from '../api/client';
import type { SessionState, SessionStateEvent } from '../api/types';

export type EventStreamStatus = 'connecting' | 'live' | 'reconnecting';

interface SessionsState {
  byConnection: Record<string, SessionStateEvent>;
  stream: EventStreamStatus;
  apply(event: SessionStateEvent): void;
  /** Replaces everything with a full snapshot, keeping any event newer than the snapshot's entry. */
  replaceAll(events: SessionStateEvent[]): void;
}

export const useSessionsStore = create<SessionsState>()((set) => ({
  byConnection: {},
  stream: 'connecting',
  apply(event) {
    set((state) => {
      const previous = state.byConnection[event.connectionId];
      if (previous && previous.at > event.at) return state;
      return { byConnection: { ...state.byConnection, [event.connectionId]: event } };
    });
  },
  replaceAll(events) {
    set((state) => {
      const next: Record<string, SessionStateEvent> = {};
      for (const event of events) {
        const current = state.byConnection[event.connectionId];
        next[event.connectionId] = current && current.at > event.at ? current : event;
      }
      return { byConnection: next };
    });
  },
}));

/** A connection that was never opened in this run of the host is simply closed. */
export function useSessionState(connectionId: string | null | undefined): SessionStateEvent | undefined {
  return useSessionsStore((state) => (connectionId ? state.byConnection[connectionId] : undefined));
}

export function sessionStateOf(event: SessionStateEvent | undefined): SessionState {
  return event?.state ?? 'closed';
}

/** What the badges show: the session's state, with a session that never opened told apart from one closed. */
export type SessionBadgeState = SessionState | 'unreachable';

export function sessionBadgeStateOf(event: SessionStateEvent | undefined): SessionBadgeState {
  return event?.state === 'closed' && event.openFailed ? 'unreachable' : sessionStateOf(event);
}

const MAX_BACKOFF_MS = 10_000;

/** Starts the subscription (once); returns a stop function. */
export function startSessionEvents(): () => void {
  const store = useSessionsStore.getState;
  let stopped = false;
  let failures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let unsubscribe: (() => void) | undefined;
  /** Callbacks of a subscription we already replaced must not schedule yet another restart. */
  let current = 0;

  const resync = () => {
    api.sessions.states
      .query()
      .then((events) => store().replaceAll(events))
      .catch(() => {
        // The stream's own first events carry the same states; a failed resync only costs freshness.
      });
  };

  const scheduleRestart = () => {
    if (stopped) return;
    current++;
    unsubscribe?.();
    unsubscribe = undefined;
    useSessionsStore.setState({ stream: 'reconnecting' });
    const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** failures);
    failures++;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(subscribe, delay);
  };

  const subscribe = () => {
    if (stopped) return;
    const id = ++current;
    const restartIfCurrent = () => {
      if (id === current) scheduleRestart();
    };
    const subscription = api.sessions.events.subscribe(undefined, {
      onStarted: () => {
        failures = 0;
        useSessionsStore.setState({ stream: 'live' });
        resync();
      },
      onData: (event) => store().apply(event),
      onConnectionStateChange: (state) => {
        // 'connecting' with an error: the EventSource dropped and the link is retrying it.
        if (state.state === 'connecting' && state.error)
          useSessionsStore.setState({ stream: 'reconnecting' });
        if (state.state === 'pending') useSessionsStore.setState({ stream: 'live' });
      },
      onError: restartIfCurrent,
      onComplete: restartIfCurrent,
    });
    unsubscribe = () => subscription.unsubscribe();
  };

  subscribe();
  return () => {
    stopped = true;
    clearTimeout(retryTimer);
    unsubscribe?.();
  };
}
