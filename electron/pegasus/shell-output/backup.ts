/**
 * Cold backup and restore output. admin-cli (`admin-cli/executor/backup_restore.go`): `backup`
 * prints `[hint]: …` and `BackupID: N`; `query-backup-status` prints `[hint]: …` and a bordered table
 * (olekukonko/tablewriter, bold ANSI headers) with BackupID, AppName, StartTime, EndTime, Status
 * (`in progress`, `completed`, `failed`), BackupProviderType, BackupPath; `restore` prints `new
 * AppID: N` then waits for the table. The shell's `restore_app` prints `sleep 1 second to wait
 * complete...` while it waits, then `new app_id = N` or `restore app failed: …`.
 */
import { commandFailed, type ParseResult, parsed, unrecognized } from './parse-result';
import { shellLines } from './shell-text';

export interface BackupStarted {
  backupId: number;
  hint: string | null;
}

export function parseBackupStarted(text: string): ParseResult<BackupStarted> {
  const lines = shellLines(text).map((line) => line.trim());
  const hint =
    lines.map((line) => /^\[hint\]: ?(.*)$/.exec(line)?.[1]).find((value) => value !== undefined) ?? null;
  const id = lines.map((line) => /^BackupID: (\d+)/.exec(line)?.[1]).find(Boolean);
  if (id) return parsed({ backupId: Number(id), hint: hint || null });
  const failure = lines.find((line) => /\bERR_[A-Z_]+/.test(line) || /^error:/i.test(line));
  if (failure) return commandFailed('backup', failure, 'The meta server refused the backup');
  return unrecognized('backup', lines, 'no "BackupID:" line');
}

export interface BackupItem {
  backupId: number;
  appName: string;
  startTime: string;
  endTime: string | null;
  /** 'in progress' | 'completed' | 'failed' as admin-cli words it. */
  status: string;
  providerType: string;
  backupPath: string;
}

export interface BackupStatus {
  hint: string | null;
  items: BackupItem[];
}

export function parseBackupStatus(text: string): ParseResult<BackupStatus> {
  const command = 'query-backup-status';
  const lines = shellLines(text).map((line) => line.trim());
  const hint = lines.map((line) => /^\[hint\]: ?(.*)$/.exec(line)?.[1]).find((value) => value !== undefined);
  const rows = lines
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .slice(1, line.endsWith('|') ? -1 : undefined)
        .split('|')
        .map((cell) => cell.trim()),
    );
  const [header, ...data] = rows;
  if (!header) {
    if (hint !== undefined) return parsed({ hint: hint || null, items: [] });
    const failure = lines.find((line) => /\bERR_[A-Z_]+/.test(line));
    if (failure) return commandFailed(command, failure, 'The meta server did not report the backup');
    return unrecognized(command, lines, 'no [hint] line and no table');
  }
  if (header.length === 1 && header[0] === 'result') return parsed({ hint: hint || null, items: [] });
  const column = (name: string) => header.findIndex((cell) => cell.toLowerCase() === name.toLowerCase());
  const index = {
    id: column('BackupID'),
    app: column('AppName'),
    start: column('StartTime'),
    end: column('EndTime'),
    status: column('Status'),
    provider: column('BackupProviderType'),
    path: column('BackupPath'),
  };
  if (index.id < 0 || index.status < 0)
    return unrecognized(command, [header.join(' | ')], 'no BackupID or Status column');
  const items = data.map(
    (cells): BackupItem => ({
      backupId: Number(cells[index.id]),
      appName: cells[index.app] ?? '',
      startTime: cells[index.start] ?? '',
      endTime: !cells[index.end] || cells[index.end] === '-' ? null : cells[index.end]!,
      status: cells[index.status] ?? '',
      providerType: cells[index.provider] ?? '',
      backupPath: cells[index.path] ?? '',
    }),
  );
  return parsed({ hint: hint || null, items });
}

export interface RestoreStarted {
  newAppId: number;
}

/** admin-cli `restore` and the shell's `restore_app`. */
export function parseRestore(text: string): ParseResult<RestoreStarted> {
  const lines = shellLines(text).map((line) => line.trim());
  const id = lines.map((line) => /^new (?:AppID: |app_id = )(\d+)/.exec(line)?.[1]).find(Boolean);
  if (id) return parsed({ newAppId: Number(id) });
  const failure = lines.find((line) => /^restore app .*failed/.test(line) || /\bERR_[A-Z_]+/.test(line));
  if (failure) return commandFailed('restore', failure, 'The restore was refused');
  return unrecognized('restore', lines, 'no "new app_id" line');
}
