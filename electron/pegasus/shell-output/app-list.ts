/**
 * `ls [-d] [-a] [-o file] [-j]` (`replication_ddl_client::list_apps`): a `[general_info]` table, with
 * `-d` a `[healthy_info]` table, then `[summary]`. With `-o` the same text goes to the file (read it
 * and parse it here). Older shells print the general table without its `[general_info]` line; `-j`
 * prints the same tables as JSON objects keyed by app id, every value a string.
 */
import { commandFailed, type ParseResult, parsed, unrecognized } from './parse-result';
import { columnRows, firstJson, keyValueRows, numberOrNull, shellLines, tableNamed } from './shell-text';

export interface ShellAppHealth {
  fullyHealthy: number | null;
  unhealthy: number | null;
  writeUnhealthy: number | null;
  readUnhealthy: number | null;
}

export interface ShellApp {
  appId: number;
  /** Without the AS_ prefix: AVAILABLE, DROPPED, CREATING, DROPPING... */
  status: string;
  appName: string;
  appType: string | null;
  partitionCount: number | null;
  /** The table's max replica count (the column is named replica_count). */
  replicaCount: number | null;
  isStateful: boolean | null;
  /** `YYYY-MM-DD_hh:mm:ss` as printed (the meta's local time), or null for '-'. */
  createTime: string | null;
  dropTime: string | null;
  dropExpire: string | null;
  envsCount: number | null;
  /** master only. */
  atomicIdempotent: boolean | null;
  /** With `ls -d`, for available tables. */
  health: ShellAppHealth | null;
}

export interface ShellAppList {
  apps: ShellApp[];
  totalAppCount: number | null;
  /** Every `[summary]` row (with -d: fully_healthy_app_count, unhealthy_app_count, ...). */
  summary: Record<string, number | null>;
}

const COMMAND = 'ls';

const bool = (text: string | undefined) =>
  text === undefined || text === '' ? null : text === 'true' || text === '1';
const dash = (text: string | undefined) => (text === undefined || text === '' || text === '-' ? null : text);

function appOf(row: Record<string, string>, health: Map<string, ShellAppHealth>): ShellApp | null {
  const appId = numberOrNull(row.app_id);
  if (appId === null || !row.app_name) return null;
  return {
    appId,
    status: row.status ?? '',
    appName: row.app_name,
    appType: dash(row.app_type),
    partitionCount: numberOrNull(row.partition_count),
    replicaCount: numberOrNull(row.replica_count),
    isStateful: bool(row.is_stateful),
    createTime: dash(row.create_time),
    dropTime: dash(row.drop_time),
    dropExpire: dash(row.drop_expire),
    envsCount: numberOrNull(row.envs_count),
    atomicIdempotent: bool(row.atomic_idempotent),
    health: health.get(row.app_id ?? '') ?? null,
  };
}

function healthOf(row: Record<string, string>): ShellAppHealth {
  return {
    fullyHealthy: numberOrNull(row.fully_healthy),
    unhealthy: numberOrNull(row.unhealthy),
    writeUnhealthy: numberOrNull(row.write_unhealthy),
    readUnhealthy: numberOrNull(row.read_unhealthy),
  };
}

function stringRecords(value: unknown): Record<string, string>[] {
  if (!value || typeof value !== 'object') return [];
  return Object.values(value as Record<string, unknown>).map((row) =>
    Object.fromEntries(
      Object.entries((row ?? {}) as Record<string, unknown>).map(([key, cell]) => [key, String(cell)]),
    ),
  );
}

export function parseAppList(text: string): ParseResult<ShellAppList> {
  const lines = shellLines(text);
  const failure = lines.find((line) => /^list apps? failed/.test(line.trim()));
  if (failure) return commandFailed(COMMAND, failure, 'The meta server did not list the tables');

  let generalRows: Record<string, string>[] | null = null;
  let healthRows: Record<string, string>[] = [];
  let summary: Record<string, number | null> = {};

  const general = tableNamed(lines, 'general_info');
  if (general) {
    const table = columnRows(general.rows);
    if (table.bad.length > 0)
      return unrecognized(COMMAND, table.bad, 'a [general_info] row does not fit the columns');
    generalRows = table.rows;
    const healthy = tableNamed(lines, 'healthy_info');
    if (healthy) healthRows = columnRows(healthy.rows).rows;
    const summaryTable = tableNamed(lines, 'summary');
    if (summaryTable) {
      summary = Object.fromEntries(
        keyValueRows(summaryTable.rows).entries.map(([k, v]) => [k, numberOrNull(v)]),
      );
    }
  } else {
    const json = firstJson(lines)?.value as Record<string, unknown> | undefined;
    if (json && typeof json === 'object' && 'general_info' in json) {
      generalRows = stringRecords(json.general_info);
      healthRows = stringRecords(json.healthy_info);
      summary = Object.fromEntries(
        Object.entries((json.summary ?? {}) as Record<string, unknown>).map(([k, v]) => [
          k,
          numberOrNull(String(v)),
        ]),
      );
    } else {
      // Older shells: the general table without its [general_info] line.
      const start = lines.findIndex((line) => /^app_id\s+status\s+app_name\b/.test(line.trim()));
      if (start >= 0) {
        const end = lines.findIndex((line, i) => i > start && line.trim() === '');
        const table = columnRows(lines.slice(start, end < 0 ? undefined : end));
        if (table.bad.length > 0)
          return unrecognized(COMMAND, table.bad, 'a table row does not fit the columns');
        generalRows = table.rows;
        const total = lines.map((line) => /^total_app_count\s*:\s*(\d+)/.exec(line.trim())).find(Boolean);
        if (total) summary = { total_app_count: Number(total[1]) };
      }
    }
  }
  if (generalRows === null) return unrecognized(COMMAND, lines, 'no [general_info] table');

  const health = new Map(healthRows.map((row) => [row.app_id ?? '', healthOf(row)]));
  const apps: ShellApp[] = [];
  for (const row of generalRows) {
    const app = appOf(row, health);
    if (!app) return unrecognized(COMMAND, [JSON.stringify(row)], 'a table row has no app_id or app_name');
    apps.push(app);
  }
  return parsed({ apps, totalAppCount: summary.total_app_count ?? null, summary });
}
