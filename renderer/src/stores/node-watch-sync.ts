/**
 * Keeps the host's watches in step with what this window shows: per connection, the expanded nodes
 * and the open node, sent whenever they change (debounced), and again whenever the event stream
 * (re)starts. Changes come back over the `watch.events` subscription and go to the explorer store,
 * which marks the node and re-reads what is on screen.
 */
import { MAX_WATCHED_EXPANDED } from '../../../shared/api/node-watch';
import { api } from '../api/client';
import { type ConnectionExplorer, useExplorerStore } from './explorer-store';

const SYNC_DEBOUNCE_MS = 150;
const MAX_BACKOFF_MS = 10_000;

function randomClientId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** What to watch on one connection; nothing while its session is not open. */
function watchSetOf(explorer: ConnectionExplorer): { expanded: string[]; open: string[] } {
  if (explorer.session.status !== 'open') return { expanded: [], open: [] };
  const expanded = Object.keys(explorer.expanded)
    .filter((path) => explorer.expanded[path] && explorer.nodes[path]?.status !== 'error')
    // Shallow paths first: if there are too many, the ones near the root matter most.
    .sort((a, b) => a.split('/').length - b.split('/').length)
    .slice(0, MAX_WATCHED_EXPANDED);
  return { expanded, open: explorer.selectedPath === null ? [] : [explorer.selectedPath] };
}

/** Starts syncing (once, for the app's lifetime); returns a stop function. */
export function startNodeWatchSync(): () => void {
  const clientId = randomClientId();
  /** Last set sent per connection, as a comparable key. */
  const sent = new Map<string, string>();
  let live = false;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let unsubscribe: (() => void) | undefined;

  const sync = () => {
    if (!live || stopped) return;
    const byConnection = useExplorerStore.getState().byConnection;
    for (const [connectionId, explorer] of Object.entries(byConnection)) {
      const set = watchSetOf(explorer);
      const key = JSON.stringify(set);
      const previous = sent.get(connectionId);
      if (previous === key || (previous === undefined && set.expanded.length === 0 && set.open.length === 0))
        continue;
      sent.set(connectionId, key);
      // First set since the stream (re)started or since a set failed: events may have been missed
      // meanwhile (none flow while the stream is down), so ask for every stat, not just new ones.
      const resync = previous === undefined;
      api.watch.set
        .mutate({ connectionId, clientId, ...set, resync })
        .then((result) => useExplorerStore.getState().reconcileArmed(connectionId, result.armed))
        .catch(() => {
          // Sent again on the next change or stream restart.
          sent.delete(connectionId);
        });
    }
  };

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(sync, SYNC_DEBOUNCE_MS);
  };

  const subscribe = () => {
    if (stopped) return;
    const subscription = api.watch.events.subscribe(
      { clientId },
      {
        onStarted: () => {
          failures = 0;
          live = true;
          // A new stream may reach a restarted host that knows nothing: send everything again.
          sent.clear();
          sync();
        },
        onData: (event) => useExplorerStore.getState().applyChange(event),
        onError: () => restart(),
        onComplete: () => restart(),
      },
    );
    unsubscribe = () => subscription.unsubscribe();
  };

  const restart = () => {
    if (stopped) return;
    live = false;
    unsubscribe?.();
    clearTimeout(retryTimer);
    retryTimer = setTimeout(subscribe, Math.min(MAX_BACKOFF_MS, 500 * 2 ** failures++));
  };

  const stopListening = useExplorerStore.subscribe(schedule);
  subscribe();
  return () => {
    stopped = true;
    clearTimeout(timer);
    clearTimeout(retryTimer);
    stopListening();
    unsubscribe?.();
  };
}
