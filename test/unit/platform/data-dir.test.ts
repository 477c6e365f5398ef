import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DataDirError, resolveDataDir } from '../../../electron/platform/data-dir';

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'mdesk-dir-'));
  vi.stubEnv('HOME', join(root, 'home'));
  vi.stubEnv('MDESK_DATA_DIR', undefined);
});

afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(root, { recursive: true, force: true });
});

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('resolveDataDir', () => {
  it('uses the explicit folder first and creates it (and missing parents) with mode 0700', () => {
    vi.stubEnv('MDESK_DATA_DIR', join(root, 'from-env'));
    const dir = resolveDataDir(join(root, 'a', 'b', 'explicit'));
    expect(dir).toBe(join(root, 'a', 'b', 'explicit'));
    expect(statSync(dir).isDirectory()).toBe(true);
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(join(root, 'a'))).toBe(0o700);
  });

  it('falls back to MDESK_DATA_DIR', () => {
    vi.stubEnv('MDESK_DATA_DIR', join(root, 'from-env'));
    expect(resolveDataDir()).toBe(join(root, 'from-env'));
    expect(modeOf(join(root, 'from-env'))).toBe(0o700);
  });

  it('falls back to ~/.migration-desk, ignoring an empty MDESK_DATA_DIR', () => {
    vi.stubEnv('MDESK_DATA_DIR', '');
    const dir = resolveDataDir('  ');
    expect(dir).toBe(join(root, 'home', '.migration-desk'));
    expect(modeOf(dir)).toBe(0o700);
  });

  it('expands a leading ~ from the environment', () => {
    vi.stubEnv('MDESK_DATA_DIR', '~/desk');
    expect(resolveDataDir()).toBe(join(root, 'home', 'desk'));
  });

  it('keeps an existing folder and its mode', () => {
    const first = resolveDataDir(join(root, 'existing'));
    expect(resolveDataDir(join(root, 'existing'))).toBe(first);
  });

  it('names the path and suggests --data-dir when the path is a file', () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    expect(() => resolveDataDir(file)).toThrow(DataDirError);
    expect(() => resolveDataDir(file)).toThrow(`The data folder ${file} exists but is not a folder`);
    expect(() => resolveDataDir(file)).toThrow(/--data-dir/);
  });

  it('names the path and suggests --data-dir when a parent is a file', () => {
    writeFileSync(join(root, 'blocker'), 'x');
    const dir = join(root, 'blocker', 'data');
    let error: unknown;
    try {
      resolveDataDir(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataDirError);
    expect((error as DataDirError).path).toBe(dir);
    expect((error as Error).message).toContain(`Cannot create the data folder ${dir}`);
    expect((error as Error).message).toContain('--data-dir');
  });
});
