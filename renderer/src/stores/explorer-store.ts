/**
 * Explorer view state per connection: the session opening, the lazily loaded tree, which nodes are
 * expanded, the selected node and its details. Server data is cached here; the host stays the source
 * of truth (Refresh re-reads it). Every response checks a generation counter, so an answer that
 * arrives after the connection was reset or re-pointed is dropped instead of mixing two ensembles.
 */
import { create } from 'zustand';
import { parentZkPath } from '../../../shared/zk-path';
import { type ApiError, isNoNode, toApiError } from '../api/api-error';
import { api } from '../api/client';
import type { ZkNodeView } from '../api/types';
import { READ_DEADLINE_MS, withDeadline } from '../api/with-timeout';
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

export interface ConnectionExplorer {
  generation: number;
  session: { status: SessionOpenStatus; error: ApiError | null; startedAt: number | null };
  nodes: Record<string, TreeNodeState>;
  expanded: Record<string, boolean>;
  selectedPath: string | null;
  detail: NodeDetail | null;
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
  };
}

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
        if (explorer.expanded[ROOT_PATH] && explorer.nodes[ROOT_PATH]?.status !== 'loaded') {
          await get().loadChildren(connectionId, ROOT_PATH);
        }
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
            patchNode(current, path, {
              status: 'loaded',
              children: result.children,
              numChildren: result.stat.numChildren,
            }),
          generation,
        );
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
            ...patchNode(current, path, { numChildren: view.stat.numChildren }),
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

    reset(connectionId) {
      set((state) => {
        const generation = (state.byConnection[connectionId]?.generation ?? 0) + 1;
        return { byConnection: { ...state.byConnection, [connectionId]: emptyExplorer(generation) } };
      });
    },
  };
});
