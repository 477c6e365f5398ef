/**
 * MetaProxy's routing table: every `<root>/<table>` entry, decoded, with the entries meta-proxy
 * would crash on or reject flagged (reference §3.2-3.3; decoders/meta-proxy-entry.ts). Independent
 * of any Pegasus cluster root: MetaProxy keeps its own root, often in another ensemble.
 */
import { joinZkPath, validateZkPath } from '../../shared/zk-path';
import { BoundedReads } from './bounded-reads';
import { decodeMetaProxyEntry } from './decoders/meta-proxy-entry';
import type { ModelWarning } from './model-warning';
import type { ZkReader } from './zk-reader';

/** ok: routes fine; rejected: answers ERR_INVALID_DATA; crash: the proxy panics re-reading it after a change. */
export type MetaProxyVerdict = 'ok' | 'rejected' | 'crash';

export interface MetaProxyRoute {
  table: string;
  path: string;
  verdict: MetaProxyVerdict;
  clusterName: string | null;
  metaAddrs: string[];
  /** Why the verdict is not 'ok'. */
  problem: string | null;
  notes: string[];
}

export interface MetaProxyRoutes {
  root: string;
  routes: MetaProxyRoute[];
  /** Distinct cluster names routed to, with their table counts. */
  clusters: { clusterName: string; tables: number }[];
  /** Root-level problems (a root meta-proxy cannot use) and unreadable entries. */
  warnings: ModelWarning[];
}

export async function loadMetaProxyRoutes(
  reader: ZkReader,
  root: string,
  options: { concurrency?: number; signal?: AbortSignal } = {},
): Promise<MetaProxyRoutes> {
  const problem = validateZkPath(root);
  if (problem) throw new Error(`Invalid MetaProxy root: ${problem}`);
  const reads = new BoundedReads(reader, options.concurrency ?? 64, options.signal);
  const warnings: ModelWarning[] = [];
  // meta-proxy derives the table name from the watched path and needs `/<root>/<table>` (§3.3).
  if (root === '/')
    warnings.push({ path: root, message: "meta-proxy needs a root below '/', e.g. /pegasus-cluster" });

  const rootRead = await reads.getData(root);
  if (rootRead.kind === 'missing') throw new Error(`There is no node at ${root}`);
  if (rootRead.kind === 'denied') throw new Error(`Cannot read ${root}: ${rootRead.message}`);
  const listed = await reads.childrenOf(root, rootRead.value.stat);
  if (listed.kind === 'denied')
    warnings.push({ path: root, message: `cannot list children: ${listed.message}` });
  const tables = listed.kind === 'ok' ? listed.value : [];

  const routes = await Promise.all(
    tables.map(async (table): Promise<MetaProxyRoute | null> => {
      const path = joinZkPath(root, table);
      const read = await reads.getData(path);
      if (read.kind === 'missing') return null;
      if (read.kind === 'denied') {
        warnings.push({ path, message: `cannot read: ${read.message}` });
        return null;
      }
      const entry = decodeMetaProxyEntry(read.value.data);
      if (!entry.ok) {
        warnings.push({ path, message: entry.error });
        return {
          table,
          path,
          verdict: 'crash',
          clusterName: null,
          metaAddrs: [],
          problem: entry.error,
          notes: [],
        };
      }
      const { clusterName, metaAddrs, rejection, notes } = entry.value;
      if (rejection) warnings.push({ path, message: rejection });
      return {
        table,
        path,
        verdict: rejection ? 'rejected' : 'ok',
        clusterName,
        metaAddrs,
        problem: rejection,
        notes,
      };
    }),
  );
  const found = routes.filter((route): route is MetaProxyRoute => route !== null);
  const perCluster = new Map<string, number>();
  for (const route of found) {
    if (route.verdict === 'ok' && route.clusterName !== null) {
      perCluster.set(route.clusterName, (perCluster.get(route.clusterName) ?? 0) + 1);
    }
  }
  return {
    root,
    routes: found,
    clusters: [...perCluster.entries()]
      .map(([clusterName, count]) => ({ clusterName, tables: count }))
      .sort((a, b) => a.clusterName.localeCompare(b.clusterName)),
    warnings: warnings.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  };
}
