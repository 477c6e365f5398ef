/**
 * `cluster_info` (reference §6.2): a `[cluster_info]` single-column table, or with `-j` pretty JSON
 * `{"cluster_info": {...}}`. Keys as `meta_service::on_query_cluster_info` sends them; unlike HTTP
 * `/meta/cluster`, the RPC also carries `cluster_name`. Failure: `get cluster info failed, error=ERR_*`.
 */
import { type MetaClusterInfo, parseMetaCluster } from '../meta-http';
import { commandFailed, type ParseResult, parsed, unrecognized } from './parse-result';
import { firstJson, keyValueRows, shellLines, tableNamed } from './shell-text';

export interface ShellClusterInfo extends MetaClusterInfo {
  /** The cluster's own name, as the meta servers know it (the RPC has it; HTTP does not). */
  clusterName: string | null;
}

const COMMAND = 'cluster_info';

export function parseClusterInfo(text: string): ParseResult<ShellClusterInfo> {
  const lines = shellLines(text);
  const failure = lines.find((line) => /^get cluster info failed/.test(line.trim()));
  if (failure) return commandFailed(COMMAND, failure, 'The meta server did not answer cluster_info');

  let record: Record<string, string> | null = null;
  const table = tableNamed(lines, 'cluster_info');
  if (table) {
    const { entries, bad } = keyValueRows(table.rows);
    if (bad.length > 0) return unrecognized(COMMAND, bad, 'a [cluster_info] row is not "key : value"');
    record = Object.fromEntries(entries);
  } else {
    const json = firstJson(lines);
    const inner = (json?.value as { cluster_info?: unknown } | undefined)?.cluster_info;
    if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
      record = Object.fromEntries(
        Object.entries(inner as Record<string, unknown>).map(([key, value]) => [
          key,
          typeof value === 'string' ? value : JSON.stringify(value),
        ]),
      );
    }
  }
  if (!record) return unrecognized(COMMAND, lines, 'no [cluster_info] table and no {"cluster_info": …} JSON');
  if (!('meta_servers' in record) && !('primary_meta_server' in record)) {
    return unrecognized(COMMAND, lines, 'neither meta_servers nor primary_meta_server is listed');
  }
  const info = parseMetaCluster(record);
  const { cluster_name: clusterName = null, ...extra } = info.extra;
  return parsed({ ...info, extra, clusterName: clusterName || null });
}
