import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSecretBox, KEY_FILE_NAME, loadOrCreateKeyFile } from '../../../electron/platform/secret-box';

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'mdesk-key-'));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('loadOrCreateKeyFile', () => {
  it('creates a 32-byte key with mode 0600, creating the folder, and leaves no temp file', () => {
    const dataDir = join(root, 'data');
    const warnings: string[] = [];
    const key = loadOrCreateKeyFile(dataDir, { warn: (m) => warnings.push(m) });

    const keyPath = join(dataDir, KEY_FILE_NAME);
    expect(key.length).toBe(32);
    expect(readFileSync(keyPath).equals(key)).toBe(true);
    expect(modeOf(keyPath)).toBe(0o600);
    expect(modeOf(dataDir)).toBe(0o700);
    expect(readdirSync(dataDir)).toEqual([KEY_FILE_NAME]);
    expect(warnings).toEqual([]);
  });

  it('returns the same key on the next start, so sealed secrets still open', () => {
    const first = loadOrCreateKeyFile(root, { warn: () => {} });
    const sealed = createSecretBox(first).seal('alice:s3cret');
    const second = loadOrCreateKeyFile(root, { warn: () => {} });
    expect(second.equals(first)).toBe(true);
    expect(createSecretBox(second).open(sealed)).toBe('alice:s3cret');
  });

  it('gives different installations different keys', () => {
    const other = mkdtempSync(join(tmpdir(), 'mdesk-key-'));
    try {
      expect(loadOrCreateKeyFile(root).equals(loadOrCreateKeyFile(other))).toBe(false);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('tightens a key file readable by group or others to 0600 and reports it', () => {
    const key = loadOrCreateKeyFile(root, { warn: () => {} });
    const keyPath = join(root, KEY_FILE_NAME);
    chmodSync(keyPath, 0o644);

    const warnings: string[] = [];
    const again = loadOrCreateKeyFile(root, { warn: (m) => warnings.push(m) });

    expect(again.equals(key)).toBe(true);
    expect(modeOf(keyPath)).toBe(0o600);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(keyPath);
    expect(warnings[0]).toContain('644');
  });

  it('does not warn about a key file that is already private', () => {
    loadOrCreateKeyFile(root, { warn: () => {} });
    chmodSync(join(root, KEY_FILE_NAME), 0o400);
    const warnings: string[] = [];
    loadOrCreateKeyFile(root, { warn: (m) => warnings.push(m) });
    expect(warnings).toEqual([]);
    expect(modeOf(join(root, KEY_FILE_NAME))).toBe(0o400);
  });

  it('refuses a key file of the wrong size and leaves it as it was', () => {
    const keyPath = join(root, KEY_FILE_NAME);
    writeFileSync(keyPath, 'not a key\n', { mode: 0o600 });
    expect(() => loadOrCreateKeyFile(root)).toThrow(
      `The key file ${keyPath} holds 10 bytes, not a 32-byte key`,
    );
    expect(() => loadOrCreateKeyFile(root)).toThrow(/It was not changed/);
    expect(readFileSync(keyPath, 'utf8')).toBe('not a key\n');
  });
});
