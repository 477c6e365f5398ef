/**
 * Where a table's MetaProxy entry lives: `<root>/<table>` (reference §3.2). meta-proxy derives the
 * table name from the watched path and needs a root below '/' (§3.3), so `/<table>` is refused here
 * rather than written where the proxy can never use it.
 */
import { joinZkPath, validateZkPath } from '../../../shared/zk-path';

export type EntryTarget =
  | { ok: true; root: string; table: string; path: string }
  | { ok: false; problem: string };

export function metaProxyEntryTarget(root: string, table: string): EntryTarget {
  const rootProblem = validateZkPath(root);
  if (rootProblem) return { ok: false, problem: `the MetaProxy root is not a valid path: ${rootProblem}` };
  if (root === '/') {
    return {
      ok: false,
      problem:
        "meta-proxy reads <root>/<table> and needs a root below '/' (its zookeeper.root, e.g. /pegasus-cluster)",
    };
  }
  if (table === '') return { ok: false, problem: 'the table name is empty' };
  if (table.includes('/')) {
    return {
      ok: false,
      problem: `the table name '${table}' contains '/': give the table name alone, not a path`,
    };
  }
  const path = joinZkPath(root, table);
  const pathProblem = validateZkPath(path);
  if (pathProblem)
    return { ok: false, problem: `the table name cannot be a ZooKeeper node name: ${pathProblem}` };
  return { ok: true, root, table, path };
}
