/**
 * Explorer view state per connection: the session opening, the lazily loaded tree, which nodes are
 * expanded, the selected node and its details. Server data is cached here; the host stays the source
 * of truth (Refresh re-reads it). Every response checks a generation counter, so an answer that
 * arrives after the connection was reset or re-pointed is dropped instead of mixing two ensembles.
 */
import { create } from 'zustand';
import type { NodeChangeEvent, NodeChangeKind } from '../../../shared/api/node-watch';
import type { ExplorerMemory } from '../../../shared/api/workspace-state';
import { joinZkPath, parentZkPath } from '../../../shared/zk-path';
import { type ApiError, isNoNode, toApiError } from '../api/api-error';
import { api } from '../api/client';
import type { ZkNodeView, ZkStatView } from '../api/types';
import { READ_DEADLINE_MS, withDeadline } from '../api/with-timeout';
import { isOlderChildList } from '../features/explorer/child-list-order';
import type { TreeNodeState } from '../features/explorer/tree-model';
import { useSessionsStore } from './sessions-store';

export type SessionOpenStatus = 'idle' | 'opening' | 'open' | 'failed';

export interface NodeDetail {
  path: string;
  status: 'loading' | 'loaded' | 'error';
  view?: ZkNodeView;
  error?: ApiError;
  loadedAt?: number;
}

/** A change the live view saw on a node, shown until the operator looks at the node. */
export interface NodeMark {
  kind: NodeChangeKind;
  at: number;
  /** Found after a new session: it happened while nothing was watching. */
  missed: boolean;
}

export interface ConnectionExplorer {
  generation: number;
  session: { status: SessionOpenStatus; error: ApiError | null; startedAt: number | null };
  nodes: Record<string, TreeNodeState>;
  expanded: Record<string, boolean>;
  selectedPath: string | null;
  detail: NodeDetail | null;
  /** Child-name filter text per expanded node. */
  filters: Record<string, string>;
  marks: Record<string, NodeMark>;
}

interface ExplorerState {
  byConnection: Record<string, ConnectionExplorer>;
  /** Opens the ZooKeeper session, then loads the root. `connectTimeoutMs` bounds the wait. */
  openSession(connectionId: string, connectTimeoutMs: number): Promise<void>;
  toggle(connectionId: string, path: string): void;
  expand(connectionId: string, path: string): void;
  collapse(connectionId: string, path: string): void;
  loadChildren(connectionId: string, path: string): Promise<void>;
  select(connectionId: string, path: string): void;
  loadDetail(connectionId: string, path: string): Promise<void>;
  /** Re-reads the selected node and the children of an expanded node. */
  refresh(connectionId: string, path: string): void;
  /** From a node that no longer exists: select its parent and re-list the parent's children. */
  goToParent(connectionId: string, path: string): void;
  /** After the session came back: retry what failed while it was down. */
  recover(connectionId: string): void;
  /** Forget everything about the connection (edited to another ensemble, removed). */
  reset(connectionId: string): void;
  /** Filters the children of an expanded node as the operator types. */
  setFilter(connectionId: string, path: string, text: string): void;
  /** Child counts and ephemeral owners for children in view (never for a whole child list). */
  loadChildInfo(connectionId: string, parent: string, names: readonly string[]): Promise<void>;
  /** A change pushed by the live view: mark the node and re-read what is on screen. */
  applyChange(event: NodeChangeEvent): void;
  /**
   * Compares the stat a new watch was armed with against what is shown: a change made between the
   * read and the watch is applied like a pushed one.
   */
  reconcileArmed(connectionId: string, armed: { path: string; stat: ZkStatView | null }[]): void;
  clearMark(connectionId: string, path: string): void;
  /** The expanded paths and open node remembered from the last run, applied before the session opens. */
  restore(connectionId: string, memory: ExplorerMemory): void;
  /** Expands the ancestors of a path (loading their children) and selects it: a search result. */
  reveal(connectionId: string, path: string): void;
  /** Re-reads every expanded node's children and the open node (the toolbar's Refresh). */
  refreshAll(connectionId: string): void;
}

export const ROOT_PATH = '/';

/** How long past the connect timeout the host may take to answer before we stop waiting. */
const OPEN_GRACE_MS = 5000;

function emptyExplorer(generation = 0): ConnectionExplorer {
  return {
    generation,
    session: { status: 'idle', error: null, startedAt: null },
    nodes: {},
    expanded: { [ROOT_PATH]: true },
    selectedPath: null,
    detail: null,
    filters: {},
    marks: {},
  };
}

/** '/a/b/c' -> ['/', '/a', '/a/b'] */
function ancestorsOf(path: string): string[] {
  const out: string[] = [];
  let current = path;
  while (current !== ROOT_PATH) {
    current = parentZkPath(current);
    out.unshift(current);
  }
  return out;
}

/**
 * Child lists re-read because of a watch: one read at a time per node, and one more after it if
 * changes kept coming meanwhile (a node with 100k children must not be re-listed per change).
 */
const childReloads = new Map<string, { again: boolean }>();

/**
 * A child watch armed while that node's list was still being read: the read may have been answered
 * before the watch was set, so a change in between would reach neither. The armed stat's pzxid is
 * kept here and compared with the list once it lands (a big list can take longer than the set).
 */
const armedWhileLoading = new Map<string, string>();

export const useExplorerStore = create<ExplorerState>()((set, get) => {
  const explorerOf = (connectionId: string) => get().byConnection[connectionId] ?? emptyExplorer();

  /** Applies fn to the connection's state unless it was reset since `generation` was read. */
  const update = (
    connectionId: string,
    fn: (current: ConnectionExplorer) => Partial<ConnectionExplorer>,
    generation?: number,
  ) => {
    set((state) => {
      const current = state.byConnection[connectionId] ?? emptyExplorer();
      if (generation !== undefined && current.generation !== generation) return state;
      return { byConnection: { ...state.byConnection, [connectionId]: { ...current, ...fn(current) } } };
    });
  };

  const patchNode = (current: ConnectionExplorer, path: string, patch: Partial<TreeNodeState>) => ({
    nodes: { ...current.nodes, [path]: { status: 'idle' as const, ...current.nodes[path], ...patch } },
  });

  return {
    byConnection: {},

    async openSession(connectionId, connectTimeoutMs) {
      const { generation } = explorerOf(connectionId);
      update(connectionId, () => ({ session: { status: 'opening', error: null, startedAt: Date.now() } }));
      try {
        const state = await withDeadline(connectTimeoutMs + OPEN_GRACE_MS, 'Opening the session', (signal) =>
          api.sessions.open.mutate({ connectionId }, { signal }),
        );
        // The event stream will say the same; applying it now avoids showing a stale state meanwhile.
        useSessionsStore.getState().apply(state);
        update(
          connectionId,
          () => ({ session: { status: 'open', error: null, startedAt: null } }),
          generation,
        );
        const explorer = explorerOf(connectionId);
        // The root, and whatever was expanded before a restart, parents first.
        const expanded = Object.keys(explorer.expanded)
          .filter((path) => explorer.expanded[path] && explorer.nodes[path]?.status !== 'loaded')
          .sort((a, b) => a.split('/').length - b.split('/').length);
        if (explorer.selectedPath !== null && explorer.detail === null) {
          void get().loadDetail(connectionId, explorer.selectedPath);
        }
        await Promise.all(expanded.map((path) => get().loadChildren(connectionId, path)));
      } catch (error) {
        update(
          connectionId,
          () => ({ session: { status: 'failed', error: toApiError(error), startedAt: null } }),
          generation,
        );
      }
    },

    toggle(connectionId, path) {
      if (explorerOf(connectionId).expanded[path]) get().collapse(connectionId, path);
      else get().expand(connectionId, path);
    },

    expand(connectionId, path) {
      update(connectionId, (current) => ({ expanded: { ...current.expanded, [path]: true } }));
      const status = explorerOf(connectionId).nodes[path]?.status;
      if (status !== 'loaded' && status !== 'loading') void get().loadChildren(connectionId, path);
    },

    collapse(connectionId, path) {
      update(connectionId, (current) => {
        const { [path]: _dropped, ...expanded } = current.expanded;
        return { expanded };
      });
    },

    async loadChildren(connectionId, path) {
      const { generation } = explorerOf(connectionId);
      update(connectionId, (current) => patchNode(current, path, { status: 'loading', error: undefined }));
      try {
        const result = await withDeadline(READ_DEADLINE_MS, `Listing ${path}`, (signal) =>
          api.nodes.children.query({ connectionId, path }, { signal }),
        );
        update(
          connectionId,
          (current) =>
            // A newer list already landed (reads can answer out of order): keep it.
            isOlderChildList(current.nodes[path]?.pzxid, result.stat.pzxid)
              ? {}
              : patchNode(current, path, {
                  status: 'loaded',
                  children: result.children,
                  numChildren: result.stat.numChildren,
                  pzxid: result.stat.pzxid,
                }),
          generation,
        );
        const key = `${connectionId}\u0000${path}`;
        const armedPzxid = armedWhileLoading.get(key);
        armedWhileLoading.delete(key);
        if (armedPzxid !== undefined && isOlderChildList(armedPzxid, result.stat.pzxid)) {
          get().applyChange({
            connectionId,
            path,
            kind: 'children-changed',
            stat: null,
            missed: false,
            at: Date.now(),
          });
        }
      } catch (error) {
        const problem = toApiError(error);
        const message = isNoNode(problem)
          ? 'This node no longer exists (deleted since it was listed).'
          : problem.message;
        update(
          connectionId,
          (current) => patchNode(current, path, { status: 'error', error: message }),
          generation,
        );
      }
    },

    select(connectionId, path) {
      if (explorerOf(connectionId).marks[path]) get().clearMark(connectionId, path);
      if (
        explorerOf(connectionId).selectedPath === path &&
        explorerOf(connectionId).detail?.status !== 'error'
      )
        return;
      update(connectionId, () => ({ selectedPath: path }));
      void get().loadDetail(connectionId, path);
    },

    async loadDetail(connectionId, path) {
      const { generation } = explorerOf(connectionId);
      update(connectionId, (current) => ({
        // Keep the old view while re-reading the same node: no flash of a spinner on Refresh.
        detail: {
          ...(current.detail?.path === path ? current.detail : {}),
          path,
          status: 'loading',
          error: undefined,
        },
      }));
      const stillSelected = () => explorerOf(connectionId).selectedPath === path;
      try {
        const view = await withDeadline(READ_DEADLINE_MS, `Reading ${path}`, (signal) =>
          api.nodes.get.query({ connectionId, path }, { signal }),
        );
        if (!stillSelected()) return;
        update(
          connectionId,
          (current) => ({
            detail: { path, status: 'loaded', view, loadedAt: Date.now() },
            ...patchNode(current, path, {
              numChildren: view.stat.numChildren,
              ephemeralOwner: view.stat.ephemeralOwner === '0x0' ? null : view.stat.ephemeralOwner,
            }),
          }),
          generation,
        );
      } catch (error) {
        if (!stillSelected()) return;
        const problem = toApiError(error);
        update(
          connectionId,
          (current) => ({
            detail: {
              ...(current.detail?.path === path ? current.detail : {}),
              path,
              status: 'error',
              error: problem,
            },
          }),
          generation,
        );
        if (isNoNode(problem)) {
          // The node is gone: it has nothing left to expand, and its parent's list is stale.
          update(
            connectionId,
            (current) => patchNode(current, path, { status: 'idle', children: undefined, numChildren: 0 }),
            generation,
          );
          const parent = parentZkPath(path);
          if (path !== ROOT_PATH && explorerOf(connectionId).nodes[parent]?.status === 'loaded')
            void get().loadChildren(connectionId, parent);
        }
      }
    },

    refresh(connectionId, path) {
      const explorer = explorerOf(connectionId);
      if (explorer.selectedPath === path) void get().loadDetail(connectionId, path);
      if (explorer.expanded[path] || explorer.nodes[path]?.status === 'loaded')
        void get().loadChildren(connectionId, path);
    },

    goToParent(connectionId, path) {
      const parent = parentZkPath(path);
      update(connectionId, (current) => ({ expanded: { ...current.expanded, [parent]: true } }));
      get().select(connectionId, parent);
      void get().loadChildren(connectionId, parent);
    },

    recover(connectionId) {
      const explorer = explorerOf(connectionId);
      if (explorer.session.status === 'failed' || explorer.session.status === 'idle') {
        update(connectionId, () => ({ session: { status: 'open', error: null, startedAt: null } }));
      }
      for (const [path, state] of Object.entries(explorer.nodes)) {
        if (state.status === 'error' && explorer.expanded[path]) void get().loadChildren(connectionId, path);
      }
      if (explorer.expanded[ROOT_PATH] && !explorer.nodes[ROOT_PATH])
        void get().loadChildren(connectionId, ROOT_PATH);
      const detail = explorer.detail;
      if (detail?.status === 'error' && detail.error && !isNoNode(detail.error))
        void get().loadDetail(connectionId, detail.path);
    },

    setFilter(connectionId, path, text) {
      update(connectionId, (current) => {
        const { [path]: _previous, ...rest } = current.filters;
        return { filters: text === '' ? rest : { ...rest, [path]: text } };
      });
    },

    async loadChildInfo(connectionId, parent, names) {
      if (names.length === 0) return;
      const { generation } = explorerOf(connectionId);
      try {
        const infos = await withDeadline(READ_DEADLINE_MS, `Reading details of ${parent}`, (signal) =>
          api.nodes.childInfo.query({ connectionId, parent, names: [...names] }, { signal }),
        );
        update(
          connectionId,
          (current) => {
            const nodes = { ...current.nodes };
            for (const info of infos) {
              if (!info.exists) continue;
              const path = joinZkPath(parent, info.name);
              nodes[path] = {
                status: 'idle',
                ...nodes[path],
                numChildren: info.numChildren,
                ephemeralOwner: info.ephemeralOwner,
              };
            }
            return { nodes };
          },
          generation,
        );
      } catch {
        // Details are a nicety for rows in view: the row still works without them.
      }
    },

    applyChange(event) {
      const { connectionId, path, kind, stat } = event;
      const explorer = get().byConnection[connectionId];
      if (!explorer) return;
      update(connectionId, (current) => {
        const patch: Partial<TreeNodeState> = {};
        if (stat) {
          patch.numChildren = stat.numChildren;
          patch.ephemeralOwner = stat.ephemeralOwner === '0x0' ? null : stat.ephemeralOwner;
        } else if (kind === 'deleted') {
          patch.numChildren = 0;
        }
        return {
          marks: { ...current.marks, [path]: { kind, at: event.at, missed: event.missed } },
          ...(current.nodes[path] || stat ? patchNode(current, path, patch) : {}),
        };
      });
      const shown = explorer.expanded[path] || explorer.nodes[path]?.status === 'loaded';
      if ((kind === 'children-changed' || kind === 'created') && shown) {
        const key = `${connectionId}\u0000${path}`;
        const running = childReloads.get(key);
        if (running) running.again = true;
        else {
          const slot = { again: false };
          childReloads.set(key, slot);
          void (async () => {
            try {
              do {
                slot.again = false;
                await get().loadChildren(connectionId, path);
              } while (slot.again);
            } finally {
              childReloads.delete(key);
            }
          })();
        }
      }
      // The open node: re-read it in place (the panel keeps the old view until the new one is in).
      if (explorer.selectedPath === path && (kind === 'data-changed' || kind === 'created')) {
        void get().loadDetail(connectionId, path);
      }
    },

    reconcileArmed(connectionId, armed) {
      const explorer = get().byConnection[connectionId];
      if (!explorer) return;
      for (const { path, stat } of armed) {
        const change = (kind: NodeChangeKind) =>
          get().applyChange({ connectionId, path, kind, stat, missed: false, at: Date.now() });
        const node = explorer.nodes[path];
        const shown = explorer.detail?.path === path ? explorer.detail.view : undefined;
        if (stat === null) {
          if (node?.status === 'loaded' || shown) change('deleted');
          continue;
        }
        if (shown && shown.stat.mzxid !== stat.mzxid) change('data-changed');
        if (node?.status === 'loaded' && node.pzxid !== undefined && node.pzxid !== stat.pzxid)
          change('children-changed');
        else if (node?.status === 'loading')
          armedWhileLoading.set(`${connectionId}\u0000${path}`, stat.pzxid);
      }
    },

    clearMark(connectionId, path) {
      update(connectionId, (current) => {
        if (!current.marks[path]) return {};
        const { [path]: _cleared, ...marks } = current.marks;
        return { marks };
      });
    },

    restore(connectionId, memory) {
      update(connectionId, (current) => {
        // Only before anything was loaded: a live explorer is never overwritten by a memory.
        if (Object.keys(current.nodes).length > 0) return {};
        const expanded: Record<string, boolean> = { [ROOT_PATH]: true };
        for (const path of memory.expanded) expanded[path] = true;
        return { expanded, selectedPath: memory.selectedPath };
      });
    },

    reveal(connectionId, path) {
      const ancestors = ancestorsOf(path);
      update(connectionId, (current) => {
        const expanded = { ...current.expanded };
        const filters = { ...current.filters };
        for (const ancestor of ancestors) {
          expanded[ancestor] = true;
          // A filter that hides the way to the node would make the reveal look broken.
          delete filters[ancestor];
        }
        return { expanded, filters };
      });
      const explorer = explorerOf(connectionId);
      for (const ancestor of ancestors) {
        const status = explorer.nodes[ancestor]?.status;
        if (status !== 'loaded' && status !== 'loading') void get().loadChildren(connectionId, ancestor);
      }
      get().select(connectionId, path);
    },

    refreshAll(connectionId) {
      const explorer = explorerOf(connectionId);
      for (const [path, isExpanded] of Object.entries(explorer.expanded)) {
        if (isExpanded) void get().loadChildren(connectionId, path);
      }
      if (explorer.selectedPath !== null) void get().loadDetail(connectionId, explorer.selectedPath);
    },

    reset(connectionId) {
      set((state) => {
        const generation = (state.byConnection[connectionId]?.generation ?? 0) + 1;
        return { byConnection: { ...state.byConnection, [connectionId]: emptyExplorer(generation) } };
      });
    },
  };
});
