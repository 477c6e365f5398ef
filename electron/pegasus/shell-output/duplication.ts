/**
 * Duplication commands, in the shell (`src/shell/commands/duplication.cpp`) and in admin-cli
 * (`admin-cli/executor/duplication.go`):
 * - add: shell `adding duplication succeed [app_name: …, dupid: N, …]` (v2.5: `[app: …, dupid: N],
 *   checkpoint: …`), failures `adding duplication failed [… error: ERR_*]` + `detail:` hint;
 *   admin-cli `successfully add duplication [dupid: N]`.
 * - list: shell `query_dup` prints its table again after every row (rows repeat: read once per
 *   dup_id); `query_dup -d` prints the JSON of `duplication_query_response_to_string`; admin-cli `dup
 *   list` prints the entry list as indented JSON.
 * - pause/start/remove/fail mode: shell `<operation>(<dupid>) for app <app> succeed|failed,
 *   error=…`; admin-cli `DS_PAUSE table "app" done [dupid: N]`.
 */
import { commandFailed, type ParseResult, parsed, unrecognized } from './parse-result';
import { columnRows, firstJson, shellLines } from './shell-text';

export interface AddDupResult {
  dupid: number;
  appId: number | null;
  /** Whether a checkpoint (full copy) is duplicated first, when the tool said. */
  checkpoint: boolean | null;
  remoteAppName: string | null;
  remoteReplicaCount: number | null;
  /** WARNING lines (an older meta that ignores remote_app_name / remote_replica_count). */
  warnings: string[];
}

export function parseAddDup(text: string): ParseResult<AddDupResult> {
  const lines = shellLines(text).map((line) => line.trim());
  const warnings = lines.filter((line) => /^WARNING: /.test(line));
  for (const [index, line] of lines.entries()) {
    const adminCli = /^successfully add duplication \[dupid: (\d+)\]/.exec(line);
    if (adminCli) {
      return parsed({
        dupid: Number(adminCli[1]),
        appId: null,
        checkpoint: null,
        remoteAppName: null,
        remoteReplicaCount: null,
        warnings,
      });
    }
    const shell = /^adding duplication succeed \[(.*)$/.exec(line);
    if (shell) {
      const fields = Object.fromEntries(
        [...shell[1]!.matchAll(/([a-z_]+): ([^,\]]+)/g)].map((match) => [match[1]!, match[2]!.trim()]),
      );
      const dupid = Number(fields.dupid);
      if (!Number.isFinite(dupid)) return unrecognized('add_dup', [line], 'no dupid in the success line');
      const checkpoint = fields.is_duplicating_checkpoint ?? fields.checkpoint;
      return parsed({
        dupid,
        appId: fields.appid === undefined ? null : Number(fields.appid),
        checkpoint: checkpoint === undefined ? null : checkpoint === 'true',
        remoteAppName: fields.remote_app_name ?? null,
        remoteReplicaCount:
          fields.remote_replica_count === undefined ? null : Number(fields.remote_replica_count),
        warnings,
      });
    }
    if (
      /^(adding duplication failed|illegal operation|missing param|unknown flag|too many params)/.test(line)
    ) {
      const detail = lines[index + 1] === 'detail:' ? ` — ${lines[index + 2] ?? ''}` : '';
      return commandFailed('add_dup', `${line}${detail}`, 'The meta server refused the duplication');
    }
  }
  return unrecognized(
    'add_dup',
    lines,
    'no "adding duplication succeed" or "successfully add duplication" line',
  );
}

export interface DuplicationEntry {
  dupid: number;
  /** DS_INIT, DS_PREPARE, DS_APP, DS_LOG, DS_PAUSE, DS_REMOVED. */
  status: string;
  remote: string;
  /** As printed: a date text (shell) or epoch ms (admin-cli, JSON). */
  createTime: string | number | null;
  failMode: string | null;
  remoteAppName: string | null;
  remoteReplicaCount: number | null;
  /** pidx -> progress, when the tool printed it (query_dup -d on 2.6+). */
  partitions: Record<string, { confirmedDecree: number | null; lastCommittedDecree: number | null }> | null;
}

function entryFromJson(raw: Record<string, unknown>): DuplicationEntry | null {
  const dupid = Number(raw.dupid);
  if (!Number.isFinite(dupid)) return null;
  const states = raw.partition_states as Record<string, Record<string, unknown>> | undefined;
  return {
    dupid,
    status: String(raw.status ?? ''),
    remote: String(raw.remote ?? ''),
    createTime: (raw.create_ts as string | number | undefined) ?? null,
    failMode: raw.fail_mode === undefined ? null : String(raw.fail_mode),
    remoteAppName: raw.remote_app_name === undefined ? null : String(raw.remote_app_name),
    remoteReplicaCount: raw.remote_replica_count === undefined ? null : Number(raw.remote_replica_count),
    partitions: states
      ? Object.fromEntries(
          Object.entries(states).map(([pidx, state]) => [
            pidx,
            {
              confirmedDecree: state?.confirmed_decree === undefined ? null : Number(state.confirmed_decree),
              lastCommittedDecree:
                state?.last_committed_decree === undefined ? null : Number(state.last_committed_decree),
            },
          ]),
        )
      : null,
  };
}

export interface DuplicationList {
  appName: string | null;
  entries: DuplicationEntry[];
}

export function parseDuplicationList(text: string): ParseResult<DuplicationList> {
  const command = 'query_dup';
  const lines = shellLines(text);
  const failure = lines.find((line) => /^querying duplications of app .* failed/.test(line.trim()));
  if (failure) return commandFailed(command, failure, 'The meta server did not list the duplications');
  const appName =
    lines.map((line) => /^duplications of app \[([^\]]+)\]/.exec(line.trim())?.[1]).find(Boolean) ?? null;

  // admin-cli `dup list`: a JSON array of entries.
  const array = firstJson(lines, '[');
  if (array && Array.isArray(array.value)) {
    const entries = (array.value as Record<string, unknown>[]).map(entryFromJson);
    if (entries.some((entry) => entry === null)) return unrecognized(command, lines, 'an entry has no dupid');
    return parsed({ appName, entries: entries as DuplicationEntry[] });
  }
  // query_dup -d: {"<dupid>": {...}, "appid": N}.
  const object = firstJson(lines, '{');
  if (object?.value && typeof object.value === 'object') {
    const entries = Object.entries(object.value as Record<string, unknown>)
      .filter(([key, value]) => /^\d+$/.test(key) && value && typeof value === 'object')
      .map(([, value]) => entryFromJson(value as Record<string, unknown>))
      .filter((entry): entry is DuplicationEntry => entry !== null);
    return parsed({ appName, entries });
  }
  // query_dup: tables repeated after each row; the last sighting of a dup_id wins.
  const byId = new Map<number, DuplicationEntry>();
  let sawHeader = false;
  for (let index = 0; index < lines.length; index += 1) {
    if (!/^dup_id\s+status\b/.test(lines[index]!.trim())) continue;
    sawHeader = true;
    let end = index + 1;
    while (end < lines.length && lines[end]!.trim() !== '' && !/^dup_id\s/.test(lines[end]!.trim())) end += 1;
    const table = columnRows(lines.slice(index, end));
    if (table.bad.length > 0) return unrecognized(command, table.bad, 'a row does not fit the columns');
    for (const row of table.rows) {
      const dupid = Number(row.dup_id);
      if (!Number.isFinite(dupid)) return unrecognized(command, [JSON.stringify(row)], 'a row has no dup_id');
      byId.set(dupid, {
        dupid,
        status: row.status ?? '',
        remote: row['remote cluster'] ?? '',
        createTime: row['create time'] ?? null,
        failMode: null,
        remoteAppName: null,
        remoteReplicaCount: null,
        partitions: null,
      });
    }
    index = end - 1;
  }
  if (!sawHeader && appName === null) return unrecognized(command, lines, 'no duplication table and no JSON');
  return parsed({ appName, entries: [...byId.values()] });
}

export interface DupChangeResult {
  dupid: number;
  /** What the tool reported doing: 'pause', 'start', 'remove', 'fail-mode'. */
  operation: 'pause' | 'start' | 'remove' | 'fail-mode';
}

const OPERATIONS: Record<string, DupChangeResult['operation']> = {
  'pausing duplication': 'pause',
  'starting duplication': 'start',
  'removing duplication': 'remove',
  DS_PAUSE: 'pause',
  DS_LOG: 'start',
  DS_REMOVED: 'remove',
};

/** pause_dup / start_dup / remove_dup / set_dup_fail_mode, and admin-cli `dup pause|start|remove`. */
export function parseDupChange(text: string): ParseResult<DupChangeResult> {
  const command = 'duplication change';
  const lines = shellLines(text).map((line) => line.trim());
  for (const line of lines) {
    const shell =
      /^(pausing duplication|starting duplication|removing duplication)\((\d+)\) for app \S+ (succeed|failed.*)$/.exec(
        line,
      );
    const failMode = /^set duplication\((\d+)\) fail_mode \((\w+)\) for app \S+ (succeed|failed.*)$/.exec(
      line,
    );
    const adminCli = /^(DS_[A-Z]+) table "[^"]*" done \[dupid: (\d+)\]/.exec(line);
    if (shell) {
      if (shell[3] !== 'succeed') return commandFailed(command, line, `The meta server refused ${shell[1]}`);
      return parsed({ dupid: Number(shell[2]), operation: OPERATIONS[shell[1]!]! });
    }
    if (failMode) {
      if (failMode[3] !== 'succeed')
        return commandFailed(command, line, 'The meta server refused the fail mode');
      return parsed({ dupid: Number(failMode[1]), operation: 'fail-mode' });
    }
    if (adminCli && OPERATIONS[adminCli[1]!])
      return parsed({ dupid: Number(adminCli[2]), operation: OPERATIONS[adminCli[1]!]! });
    if (/^(parsing .* as positive int failed|invalid dup_id|fail_mode must be)/.test(line)) {
      return commandFailed(command, line, 'The shell refused the arguments');
    }
  }
  return unrecognized(command, lines, 'no "… succeed" or "… done [dupid: N]" line');
}
