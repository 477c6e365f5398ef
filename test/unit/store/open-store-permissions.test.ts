/** Permission errors, produced by wrapping node:fs (test/setup/fs-permission-faults.ts). */
import { randomBytes } from 'node:crypto';
import * as realFs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSecretBox } from '../../../electron/platform/secret-box';

const faults = vi.hoisted(() => ({ denied: new Map<string, string>() }));
const denied = faults.denied;

vi.mock('node:fs', async (importOriginal) =>
  (await import('../../setup/fs-permission-faults')).withPermissionFaults(await importOriginal(), faults),
);

const { openStore, StoreOpenError } = await import('../../../electron/store/open-store');

const secretBox = createSecretBox(randomBytes(32));
let root: string;

beforeEach(() => {
  root = realFs.mkdtempSync(join(tmpdir(), 'mdesk-store-perm-'));
});

afterEach(() => {
  denied.clear();
  realFs.rmSync(root, { recursive: true, force: true });
});

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('openStore permission errors', () => {
  it('names the folder it cannot create and what to do', () => {
    const dir = join(root, 'data');
    denied.set(dir, 'EACCES');
    const error = errorOf(() => openStore({ file: join(dir, 'desk.sqlite'), secretBox }));
    expect(error).toBeInstanceOf(StoreOpenError);
    expect(error.message).toBe(
      `Cannot create the folder for the store ${dir}: permission denied (EACCES). Make it readable and writable ` +
        'by your user (it may have been created with sudo), or start Migration Desk with another --data-dir.',
    );
  });

  it('names a folder it cannot write to (SQLite needs it for the -wal file)', () => {
    denied.set(root, 'EACCES');
    const error = errorOf(() => openStore({ file: join(root, 'desk.sqlite'), secretBox }));
    expect(error.message).toContain(`Cannot use the folder of the store ${root}: permission denied`);
    expect(realFs.existsSync(join(root, 'desk.sqlite'))).toBe(false);
  });

  it('names a store file it cannot write, instead of letting SQLite fall back to read-only', () => {
    const file = join(root, 'desk.sqlite');
    openStore({ file, secretBox }).close();
    denied.set(file, 'EPERM');
    const error = errorOf(() => openStore({ file, secretBox }));
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as InstanceType<typeof StoreOpenError>).path).toBe(file);
    expect(error.message).toContain(`Cannot open the store file ${file}: permission denied (EPERM)`);
    expect(error.message).toContain('--data-dir');
  });
});
