/** Where Migration Desk keeps its store and key file, chosen once at start-up. */
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const DATA_DIR_ENV = 'MDESK_DATA_DIR';
export const DEFAULT_DATA_DIR_NAME = '.migration-desk';

/** The data folder cannot be used; the message names the folder and what to do. */
export class DataDirError extends Error {
  override name = 'DataDirError';
  constructor(
    message: string,
    readonly path: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The data folder: `explicit` (from --data-dir), else $MDESK_DATA_DIR, else ~/.migration-desk.
 * Returns an absolute path to a folder that exists and is writable; a folder created here gets mode
 * 0700 because it holds the audit trail and, in browser mode, the key that seals credentials.
 */
export function resolveDataDir(explicit?: string): string {
  const chosen =
    nonEmpty(explicit) ?? nonEmpty(process.env[DATA_DIR_ENV]) ?? join(homedir(), DEFAULT_DATA_DIR_NAME);
  const dir = resolve(expandHome(chosen));

  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new DataDirError(
      `The data folder ${dir} exists but is not a folder. Move it away, or start Migration Desk with another --data-dir.`,
      dir,
    );
  }
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw dataDirError(dir, 'create', error);
  }
  try {
    // An existing folder may belong to another user (created with sudo); better to say so now than
    // fail later on the first write to the store.
    accessSync(dir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (error) {
    throw dataDirError(dir, 'use', error);
  }
  return dir;
}

function dataDirError(dir: string, verb: 'create' | 'use', error: unknown): DataDirError {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const suggestion = `start Migration Desk with --data-dir <folder> (or set ${DATA_DIR_ENV}) to use another folder.`;
  let reason: string;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      reason = `permission denied (${code}). Make it writable by your user, or ${suggestion}`;
      break;
    case 'EROFS':
      reason = `the file system is read-only. ${capitalize(suggestion)}`;
      break;
    case 'ENOTDIR':
    case 'EEXIST':
      reason = `a part of this path is a file, not a folder. ${capitalize(suggestion)}`;
      break;
    default:
      reason = `${error instanceof Error ? error.message : String(error)}. ${capitalize(suggestion)}`;
  }
  return new DataDirError(`Cannot ${verb} the data folder ${dir}: ${reason}`, dir, { cause: error });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}

/** A shell expands `~` on the command line, but not inside an environment variable or a config file. */
function expandHome(path: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/') || path.startsWith('~\\')) return join(homedir(), path.slice(2));
  return path;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
