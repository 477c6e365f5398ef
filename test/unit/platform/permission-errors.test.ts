/** Permission errors, produced by wrapping node:fs (test/setup/fs-permission-faults.ts). */
import * as realFs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const faults = vi.hoisted(() => ({
  denied: new Map<string, string>(),
  beforeLink: undefined as undefined | ((target: string) => void),
}));

vi.mock('node:fs', async (importOriginal) =>
  (await import('../../setup/fs-permission-faults')).withPermissionFaults(await importOriginal(), faults),
);

const { DataDirError, resolveDataDir } = await import('../../../electron/platform/data-dir');
const { createSecretBox, loadOrCreateKeyFile, KEY_FILE_NAME } = await import(
  '../../../electron/platform/secret-box'
);

let root: string;

beforeEach(() => {
  root = realFs.mkdtempSync(join(tmpdir(), 'mdesk-perm-'));
});

afterEach(() => {
  faults.denied.clear();
  faults.beforeLink = undefined;
  realFs.rmSync(root, { recursive: true, force: true });
});

describe('data folder permission errors', () => {
  it('says which folder could not be created and suggests --data-dir', () => {
    const dir = join(root, 'data');
    faults.denied.set(dir, 'EACCES');
    expect(() => resolveDataDir(dir)).toThrow(DataDirError);
    expect(() => resolveDataDir(dir)).toThrow(
      `Cannot create the data folder ${dir}: permission denied (EACCES). Make it writable by your user, or start Migration Desk with --data-dir <folder>`,
    );
    expect(realFs.existsSync(dir)).toBe(false);
  });

  it('says when an existing folder is not writable', () => {
    const dir = join(root, 'data');
    realFs.mkdirSync(dir);
    faults.denied.set(dir, 'EPERM');
    expect(() => resolveDataDir(dir)).toThrow(`Cannot use the data folder ${dir}: permission denied (EPERM)`);
  });

  it('says when the file system is read-only', () => {
    const dir = join(root, 'data');
    faults.denied.set(dir, 'EROFS');
    expect(() => resolveDataDir(dir)).toThrow(/read-only\. Start Migration Desk with --data-dir/);
  });
});

describe('key file permission errors', () => {
  it('names an unreadable key file and what to do', () => {
    loadOrCreateKeyFile(root, { warn: () => {} });
    const keyPath = join(root, KEY_FILE_NAME);
    faults.denied.set(keyPath, 'EACCES');
    expect(() => loadOrCreateKeyFile(root)).toThrow(`Cannot read the key file ${keyPath}: permission denied`);
    expect(() => loadOrCreateKeyFile(root)).toThrow(/another --data-dir/);
  });

  it('names the key file it cannot create', () => {
    const dataDir = join(root, 'data');
    faults.denied.set(dataDir, 'EACCES');
    expect(() => loadOrCreateKeyFile(dataDir)).toThrow(
      `Cannot create the key file ${join(dataDir, KEY_FILE_NAME)}: permission denied`,
    );
  });

  it('keeps the key another process created first instead of replacing it', () => {
    const keyPath = join(root, KEY_FILE_NAME);
    const theirs = Buffer.alloc(32, 7);
    faults.beforeLink = (target) => {
      if (target === keyPath) realFs.writeFileSync(keyPath, theirs, { mode: 0o600 });
    };
    const key = loadOrCreateKeyFile(root, { warn: () => {} });
    expect(key.equals(theirs)).toBe(true);
    expect(realFs.readFileSync(keyPath).equals(theirs)).toBe(true);
    expect(realFs.readdirSync(root)).toEqual([KEY_FILE_NAME]);
    expect(createSecretBox(key).open(createSecretBox(theirs).seal('a:b'))).toBe('a:b');
  });
});
