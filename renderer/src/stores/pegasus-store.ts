/**
 * Pegasus views' state per connection: the chosen cluster root, the detected roots, the loaded
 * overview (the host caches the model; Refresh reloads it), table details, the duplications list,
 * MetaProxy routes, meta HTTP facts, and the table filter and sort. Each answer checks a
 * generation counter, so an answer for a root the operator has since left is dropped.
 */
import { create } from 'zustand';
import { type ApiError, toApiError } from '../api/api-error';
import { api } from '../api/client';
import type { ApiOutputs } from '../api/types';
import { READ_DEADLINE_MS, withDeadline } from '../api/with-timeout';
import {
  DEFAULT_FILTER,
  DEFAULT_SORT,
  type TableFilter,
  type TableSort,
} from '../features/pegasus/table-rows';

type P = ApiOutputs['pegasus'];

export interface Loadable<T> {
  status: 'idle' | 'loading' | 'loaded' | 'error';
  data: T | null;
  error: ApiError | null;
}

const idle = <T>(): Loadable<T> => ({ status: 'idle', data: null, error: null });

export type PegasusTab = 'overview' | 'placement' | 'duplications' | 'metaproxy' | 'metahttp';

export interface PegasusConnectionState {
  generation: number;
  root: string | null;
  tab: PegasusTab;
  detection: Loadable<P['detectRoots']>;
  validation: Loadable<P['validateRoot']>;
  preferences: P['preferences'] | null;
  overview: Loadable<P['overview']>;
  refreshing: boolean;
  selectedTable: number | null;
  tables: Record<number, Loadable<P['table']>>;
  duplications: Loadable<P['duplications']>;
  metaProxyRoot: string;
  metaProxy: Loadable<P['metaProxyRoutes']>;
  metaServers: string;
  metaHttp: Loadable<P['metaHttp']>;
  filter: TableFilter;
  sort: TableSort;
  exporting: 'csv' | 'json' | null;
  exportError: ApiError | null;
}

function initial(generation = 0): PegasusConnectionState {
  return {
    generation,
    root: null,
    tab: 'overview',
    detection: idle(),
    validation: idle(),
    preferences: null,
    overview: idle(),
    refreshing: false,
    selectedTable: null,
    tables: {},
    duplications: idle(),
    metaProxyRoot: '',
    metaProxy: idle(),
    metaServers: '',
    metaHttp: idle(),
    filter: DEFAULT_FILTER,
    sort: DEFAULT_SORT,
    exporting: null,
    exportError: null,
  };
}

/** A whole cluster load can take seconds on a large cluster over a tunnel: allow more than a read. */
const LOAD_DEADLINE_MS = 120_000;

interface PegasusState {
  byConnection: Record<string, PegasusConnectionState>;
  /** Reads the remembered root/servers and detects roots; opens the remembered root if there is one. */
  start(connectionId: string): Promise<void>;
  detect(connectionId: string): Promise<void>;
  validate(connectionId: string, root: string): Promise<void>;
  openRoot(connectionId: string, root: string): Promise<void>;
  /** Back to the root picker. */
  leaveRoot(connectionId: string): void;
  refresh(connectionId: string): Promise<void>;
  setTab(connectionId: string, tab: PegasusTab): void;
  openTable(connectionId: string, appId: number): Promise<void>;
  closeTable(connectionId: string): void;
  loadDuplications(connectionId: string, force?: boolean): Promise<void>;
  setMetaProxyRoot(connectionId: string, root: string): void;
  loadMetaProxy(connectionId: string): Promise<void>;
  setMetaServers(connectionId: string, servers: string): void;
  loadMetaHttp(connectionId: string): Promise<void>;
  setFilter(connectionId: string, patch: Partial<TableFilter>): void;
  setSort(connectionId: string, sort: TableSort): void;
  exportOverview(connectionId: string, format: 'csv' | 'json'): Promise<P['exportOverview'] | null>;
}

export const usePegasusStore = create<PegasusState>()((set, get) => {
  const stateOf = (connectionId: string) => get().byConnection[connectionId] ?? initial();

  /** Applies a patch unless the connection moved to another root (a new generation) meanwhile. */
  const update = (
    connectionId: string,
    fn: (current: PegasusConnectionState) => Partial<PegasusConnectionState>,
    generation?: number,
  ) =>
    set((state) => {
      const current = state.byConnection[connectionId] ?? initial();
      if (generation !== undefined && current.generation !== generation) return state;
      return { byConnection: { ...state.byConnection, [connectionId]: { ...current, ...fn(current) } } };
    });

  /** Runs a call and stores its outcome in the Loadable that `key` names. */
  async function load<
    K extends 'detection' | 'validation' | 'overview' | 'duplications' | 'metaProxy' | 'metaHttp',
  >(
    connectionId: string,
    key: K,
    call: (signal: AbortSignal) => Promise<NonNullable<PegasusConnectionState[K]['data']>>,
    what: string,
    deadline = READ_DEADLINE_MS,
  ): Promise<void> {
    const { generation } = stateOf(connectionId);
    update(connectionId, (current) => ({
      [key]: { status: 'loading', data: current[key].data, error: null },
    }));
    try {
      const data = await withDeadline(deadline, what, call);
      update(connectionId, () => ({ [key]: { status: 'loaded', data, error: null } }), generation);
    } catch (error) {
      update(
        connectionId,
        (current) => ({ [key]: { status: 'error', data: current[key].data, error: toApiError(error) } }),
        generation,
      );
    }
  }

  return {
    byConnection: {},

    async start(connectionId) {
      const current = stateOf(connectionId);
      if (current.detection.status !== 'idle') return;
      update(connectionId, () => ({ detection: { status: 'loading', data: null, error: null } }));
      let preferences: P['preferences'] | null = null;
      try {
        preferences = await withDeadline(READ_DEADLINE_MS, 'Reading saved Pegasus settings', (signal) =>
          api.pegasus.preferences.query({ connectionId }, { signal }),
        );
        update(connectionId, () => ({
          preferences,
          metaProxyRoot: preferences?.metaProxyRoot ?? '',
        }));
      } catch {
        // Nothing remembered is not a problem: the picker still detects roots.
      }
      if (preferences?.lastRoot) void get().openRoot(connectionId, preferences.lastRoot);
      await get().detect(connectionId);
    },

    detect(connectionId) {
      return load(
        connectionId,
        'detection',
        (signal) => api.pegasus.detectRoots.query({ connectionId }, { signal }),
        'Looking for Pegasus cluster roots',
        LOAD_DEADLINE_MS,
      );
    },

    validate(connectionId, root) {
      return load(
        connectionId,
        'validation',
        (signal) => api.pegasus.validateRoot.query({ connectionId, root }, { signal }),
        `Checking ${root}`,
      );
    },

    async openRoot(connectionId, root) {
      const current = stateOf(connectionId);
      const generation = current.generation + 1;
      const preferences = current.preferences;
      set((state) => ({
        byConnection: {
          ...state.byConnection,
          [connectionId]: {
            ...initial(generation),
            // What the picker knows survives a change of root.
            detection: current.detection,
            preferences,
            metaProxyRoot: current.metaProxyRoot,
            root,
            metaServers: preferences?.metaServers[root] ?? '',
            filter: current.root === root ? current.filter : DEFAULT_FILTER,
          },
        },
      }));
      await load(
        connectionId,
        'overview',
        (signal) => api.pegasus.overview.query({ connectionId, root }, { signal }),
        `Loading the cluster at ${root}`,
        LOAD_DEADLINE_MS,
      );
    },

    leaveRoot(connectionId) {
      const current = stateOf(connectionId);
      update(connectionId, () => ({
        ...initial(current.generation + 1),
        detection: current.detection,
        preferences: current.preferences,
        metaProxyRoot: current.metaProxyRoot,
      }));
    },

    async refresh(connectionId) {
      const { root, generation } = stateOf(connectionId);
      if (!root) return;
      update(connectionId, () => ({ refreshing: true }));
      try {
        const overview = await withDeadline(LOAD_DEADLINE_MS, `Reloading ${root}`, (signal) =>
          api.pegasus.refresh.mutate({ connectionId, root }, { signal }),
        );
        update(
          connectionId,
          (current) => ({
            refreshing: false,
            overview: { status: 'loaded', data: overview, error: null },
            // Details and lists came from the old load: read them again when shown.
            tables: {},
            duplications: idle(),
            selectedTable: current.selectedTable,
          }),
          generation,
        );
        const { selectedTable, tab } = stateOf(connectionId);
        if (selectedTable !== null) void get().openTable(connectionId, selectedTable);
        if (tab === 'duplications') void get().loadDuplications(connectionId);
      } catch (error) {
        update(
          connectionId,
          (current) => ({
            refreshing: false,
            overview: { ...current.overview, error: toApiError(error) },
          }),
          generation,
        );
      }
    },

    setTab(connectionId, tab) {
      update(connectionId, () => ({ tab, selectedTable: null }));
      if (tab === 'duplications') void get().loadDuplications(connectionId);
    },

    async openTable(connectionId, appId) {
      const { root, generation } = stateOf(connectionId);
      if (!root) return;
      update(connectionId, (current) => ({
        selectedTable: appId,
        tables: {
          ...current.tables,
          [appId]: { status: 'loading', data: current.tables[appId]?.data ?? null, error: null },
        },
      }));
      try {
        const detail = await withDeadline(LOAD_DEADLINE_MS, `Loading table ${appId}`, (signal) =>
          api.pegasus.table.query({ connectionId, root, appId }, { signal }),
        );
        update(
          connectionId,
          (current) => ({
            tables: { ...current.tables, [appId]: { status: 'loaded', data: detail, error: null } },
          }),
          generation,
        );
      } catch (error) {
        update(
          connectionId,
          (current) => ({
            tables: {
              ...current.tables,
              [appId]: {
                status: 'error',
                data: current.tables[appId]?.data ?? null,
                error: toApiError(error),
              },
            },
          }),
          generation,
        );
      }
    },

    closeTable(connectionId) {
      update(connectionId, () => ({ selectedTable: null }));
    },

    async loadDuplications(connectionId, force = false) {
      const { root, duplications } = stateOf(connectionId);
      if (!root || (!force && (duplications.status === 'loaded' || duplications.status === 'loading')))
        return;
      await load(
        connectionId,
        'duplications',
        (signal) => api.pegasus.duplications.query({ connectionId, root }, { signal }),
        'Listing duplications',
        LOAD_DEADLINE_MS,
      );
    },

    setMetaProxyRoot(connectionId, root) {
      update(connectionId, () => ({ metaProxyRoot: root }));
    },

    async loadMetaProxy(connectionId) {
      const metaProxyRoot = stateOf(connectionId).metaProxyRoot.trim();
      if (!metaProxyRoot) return;
      await load(
        connectionId,
        'metaProxy',
        (signal) => api.pegasus.metaProxyRoutes.query({ connectionId, metaProxyRoot }, { signal }),
        `Reading MetaProxy routes at ${metaProxyRoot}`,
      );
    },

    setMetaServers(connectionId, servers) {
      update(connectionId, () => ({ metaServers: servers }));
    },

    async loadMetaHttp(connectionId) {
      const { root, metaServers } = stateOf(connectionId);
      if (!root || !metaServers.trim()) return;
      await load(
        connectionId,
        'metaHttp',
        (signal) =>
          api.pegasus.metaHttp.query({ connectionId, root, metaServers: metaServers.trim() }, { signal }),
        'Asking the meta servers',
      );
    },

    setFilter(connectionId, patch) {
      update(connectionId, (current) => ({ filter: { ...current.filter, ...patch } }));
    },

    setSort(connectionId, sort) {
      update(connectionId, () => ({ sort }));
    },

    async exportOverview(connectionId, format) {
      const { root } = stateOf(connectionId);
      if (!root) return null;
      update(connectionId, () => ({ exporting: format, exportError: null }));
      try {
        const file = await withDeadline(LOAD_DEADLINE_MS, 'Exporting the overview', (signal) =>
          api.pegasus.exportOverview.mutate({ connectionId, root, format }, { signal }),
        );
        update(connectionId, () => ({ exporting: null }));
        return file;
      } catch (error) {
        update(connectionId, () => ({ exporting: null, exportError: toApiError(error) }));
        return null;
      }
    },
  };
});
