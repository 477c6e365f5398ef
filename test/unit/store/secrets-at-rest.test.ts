import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSecretBox, loadOrCreateKeyFile } from '../../../electron/platform/secret-box';
import { openStore } from '../../../electron/store/open-store';

let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'mdesk-secrets-'));
});

afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

/** Every byte of every file in the data folder, as one buffer per file. */
function allFiles(): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(path, readFileSync(path));
    }
  };
  walk(dataDir);
  return files;
}

function filesContaining(needle: string): string[] {
  const found: string[] = [];
  for (const [path, bytes] of allFiles()) {
    if (bytes.includes(Buffer.from(needle, 'utf8')) || bytes.includes(Buffer.from(needle, 'utf16le'))) {
      found.push(path);
    }
  }
  return found;
}

describe('digest credentials at rest', () => {
  it('never appear in clear in the store, its -wal file or any file of the data folder', () => {
    const first = 'Pw-first-7f3a9c1e';
    const second = 'Pw-second-b84d2e60';
    const file = join(dataDir, 'desk.sqlite');
    const store = openStore({
      file,
      secretBox: createSecretBox(loadOrCreateKeyFile(dataDir, { warn: () => {} })),
    });

    const created = store.connections.create({
      name: 'prod-cluster-marker',
      connectString: 'zk-marker-host:2181',
      chroot: null,
      sessionTimeoutMs: 15000,
      connectTimeoutMs: 8000,
      digestAuth: `alice:${first}`,
    });
    store.connections.update(created.id, { digestAuth: `alice:${second}` });
    store.events.append({ actor: 'op', action: 'connection.updated', target: created.id });

    // While open, the rows live in the -wal file: the search must see it, so check it holds the
    // connection (proving the search would find clear text there) but not the passwords.
    expect(readdirSync(dataDir)).toContain('desk.sqlite-wal');
    expect(filesContaining('zk-marker-host:2181')).toContain(`${file}-wal`);
    expect(filesContaining(first)).toEqual([]);
    expect(filesContaining(second)).toEqual([]);

    expect(store.connections.digestAuth(created.id)).toBe(`alice:${second}`);
    store.close();

    // After the checkpoint the rows are in the main file.
    expect(filesContaining('zk-marker-host:2181')).toEqual([file]);
    expect(filesContaining(first)).toEqual([]);
    expect(filesContaining(second)).toEqual([]);
    expect(filesContaining('alice:')).toEqual([]);
  });
});
