/**
 * The entries under a MetaProxy root as rows: table, cluster, meta addresses, whether the entry is
 * one meta-proxy routes properly, and why not. Reads through loadMetaProxyRoutes (the routes view's
 * loader) and applies the same address rules a new entry must pass, so `valid` means "an entry this
 * tool would write": meta-proxy itself accepts a repeated address or one with spaces, but they do not
 * give the failover the list promises.
 */
import { loadMetaProxyRoutes, type MetaProxyRoute } from '../meta-proxy-routes';
import type { ModelWarning } from '../model-warning';
import type { ZkReader } from '../zk-reader';
import { storedEntryProblems } from './entry-validation';

export interface MetaProxyRouteRow {
  table: string;
  /** null when the entry does not decode. */
  clusterName: string | null;
  /** `meta_addrs` exactly as stored (comma-separated); null when the entry does not decode. */
  metaAddrs: string | null;
  valid: boolean;
  problem: string | null;
}

export interface MetaProxyRouteList {
  root: string;
  rows: MetaProxyRouteRow[];
  /** Root-level problems and entries that could not be read. */
  warnings: ModelWarning[];
}

export function routeRow(route: MetaProxyRoute): MetaProxyRouteRow {
  if (route.verdict === 'crash' || route.clusterName === null) {
    return { table: route.table, clusterName: null, metaAddrs: null, valid: false, problem: route.problem };
  }
  const metaAddrs = route.metaAddrs.join(',');
  const problems = storedEntryProblems({ clusterName: route.clusterName, metaAddrs });
  return {
    table: route.table,
    clusterName: route.clusterName,
    metaAddrs,
    valid: problems.length === 0,
    problem: problems.length > 0 ? problems.join('; ') : null,
  };
}

export async function listMetaProxyRoutes(
  reader: ZkReader,
  root: string,
  options: { signal?: AbortSignal } = {},
): Promise<MetaProxyRouteList> {
  const loaded = await loadMetaProxyRoutes(reader, root, options);
  return {
    root: loaded.root,
    rows: loaded.routes.map(routeRow).sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0)),
    warnings: loaded.warnings.filter(
      (warning) => !loaded.routes.some((route) => route.path === warning.path),
    ),
  };
}
