/**
 * `nodes [-d] [-o file] [-s status] [-j]` (`src/shell/commands/node_management.cpp`): with `-o` or
 * `-s` first a `[parameters]` table (`status`, `out_file`), ignored here: two runs name different
 * files, which is why `pegasus_migrate_zookeeper.sh`'s diff of the raw files never matched
 * (reference §4 step 11). Then `[details]` (`address status [replica_count primary_count
 * secondary_count] ...`, the counts right-aligned) and `[summary]`. Shells before 2019 print the two
 * tables without names.
 */
import { commandFailed, type ParseResult, parsed, unrecognized } from './parse-result';
import { columnRows, firstJson, keyValueRows, numberOrNull, shellLines, tableNamed } from './shell-text';

export interface ShellNode {
  address: string;
  /** ALIVE or UNALIVE (NS_ prefix removed by the shell). */
  status: string;
  /** With -d. */
  replicaCount: number | null;
  primaryCount: number | null;
  secondaryCount: number | null;
  /** Further columns (-u resource usage, -q qps), as printed. */
  extra: Record<string, string>;
}

export interface ShellNodeList {
  nodes: ShellNode[];
  totalNodeCount: number | null;
  aliveNodeCount: number | null;
  unaliveNodeCount: number | null;
  unaliveNodes: string[];
}

const COMMAND = 'nodes';
const KNOWN = new Set(['address', 'status', 'replica_count', 'primary_count', 'secondary_count']);

function nodeOf(row: Record<string, string>): ShellNode {
  const extra: Record<string, string> = {};
  for (const [key, value] of Object.entries(row)) if (!KNOWN.has(key)) extra[key] = value;
  return {
    address: row.address ?? '',
    status: row.status ?? '',
    replicaCount: numberOrNull(row.replica_count),
    primaryCount: numberOrNull(row.primary_count),
    secondaryCount: numberOrNull(row.secondary_count),
    extra,
  };
}

function summaryOf(entries: [string, string][]): Record<string, number | null> {
  return Object.fromEntries(entries.map(([key, value]) => [key, numberOrNull(value)]));
}

export function parseNodeList(text: string): ParseResult<ShellNodeList> {
  const lines = shellLines(text);
  const failure = lines.find((line) => /^list (nodes|apps?|app \S+) failed/.test(line.trim()));
  if (failure) return commandFailed(COMMAND, failure, 'The meta server did not list the nodes');

  let rows: Record<string, string>[] | null = null;
  let summary: Record<string, number | null> = {};
  const details = tableNamed(lines, 'details');
  if (details) {
    const table = columnRows(details.rows);
    if (table.bad.length > 0)
      return unrecognized(COMMAND, table.bad, 'a [details] row does not fit the columns');
    rows = table.rows;
    const summaryTable = tableNamed(lines, 'summary');
    if (summaryTable) summary = summaryOf(keyValueRows(summaryTable.rows).entries);
  } else {
    const json = firstJson(lines)?.value as Record<string, unknown> | undefined;
    if (json && typeof json === 'object' && 'details' in json) {
      rows = Object.entries((json.details ?? {}) as Record<string, Record<string, unknown>>).map(
        ([key, row]) => ({
          address: key,
          ...Object.fromEntries(Object.entries(row ?? {}).map(([k, v]) => [k, String(v)])),
        }),
      );
      summary = Object.fromEntries(
        Object.entries((json.summary ?? {}) as Record<string, unknown>).map(([k, v]) => [
          k,
          numberOrNull(String(v)),
        ]),
      );
    } else {
      const start = lines.findIndex((line) => /^address\s+status\b/.test(line.trim()));
      if (start >= 0) {
        const end = lines.findIndex((line, i) => i > start && line.trim() === '');
        const table = columnRows(lines.slice(start, end < 0 ? undefined : end));
        if (table.bad.length > 0) return unrecognized(COMMAND, table.bad, 'a row does not fit the columns');
        rows = table.rows;
        summary = summaryOf(
          keyValueRows(lines.filter((line) => /^(total|alive|unalive)_node_count\s*:/.test(line.trim())))
            .entries,
        );
      }
    }
  }
  if (rows === null) return unrecognized(COMMAND, lines, 'no [details] table');
  const nodes = rows.map(nodeOf);
  const broken = nodes.find((node) => !node.address || !node.status);
  if (broken) return unrecognized(COMMAND, [JSON.stringify(broken)], 'a node has no address or status');
  return parsed({
    nodes,
    totalNodeCount: summary.total_node_count ?? null,
    aliveNodeCount: summary.alive_node_count ?? null,
    unaliveNodeCount: summary.unalive_node_count ?? null,
    unaliveNodes: nodes.filter((node) => node.status !== 'ALIVE').map((node) => node.address),
  });
}

export interface NodeListDifference {
  /** In `expected` but not in `actual`. */
  missing: string[];
  /** In `actual` but not in `expected`. */
  unexpected: string[];
  /** Same address, different status or replica count. */
  changed: { address: string; expected: string; actual: string }[];
}

/**
 * The recovery wait's test (reference §4 step 11, without the `[parameters]` block the script's diff
 * tripped on): same addresses, statuses and replica counts.
 */
export function compareNodeLists(expected: ShellNodeList, actual: ShellNodeList): NodeListDifference {
  const describe = (node: ShellNode) => `${node.status} ${node.replicaCount ?? '-'}`;
  const byAddress = new Map(actual.nodes.map((node) => [node.address, node]));
  const expectedAddresses = new Set(expected.nodes.map((node) => node.address));
  const difference: NodeListDifference = { missing: [], unexpected: [], changed: [] };
  for (const node of expected.nodes) {
    const other = byAddress.get(node.address);
    if (!other) difference.missing.push(node.address);
    else if (describe(node) !== describe(other))
      difference.changed.push({ address: node.address, expected: describe(node), actual: describe(other) });
  }
  for (const node of actual.nodes)
    if (!expectedAddresses.has(node.address)) difference.unexpected.push(node.address);
  return difference;
}

export function sameNodeLists(expected: ShellNodeList, actual: ShellNodeList): boolean {
  const difference = compareNodeLists(expected, actual);
  return difference.missing.length + difference.unexpected.length + difference.changed.length === 0;
}
