/**
 * The cleanup's view of its export: path digests read as a stream from what ExportWriter writes
 * (plain and gzip), the whole-file fallback for other layouts (a zk-shell backup), and a file whose
 * count does not match what it lists refused as damaged.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DigestSet, indexExportPaths, pathDigest } from '../../../electron/engines/zk-copy/export-path-index';
import { ExportWriter } from '../../../electron/engines/zk-export/export-file';

const open = [{ scheme: 'world', id: 'anyone', perms: 'cdrwa' }];
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mdesk-export-index-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function write(file: string, paths: string[], complete = true): Promise<void> {
  const writer = ExportWriter.open(file, { root: paths[0] ?? '/app', source: 'zk://h:1', exportedAt: 1 });
  for (const path of paths) {
    await writer.add({ path, data: Buffer.from([0, 10, 13, 255]), acl: open, ephemeral: false });
  }
  await writer.finish({ complete, unreadable: complete ? [] : ['/app/secret'] });
}

describe('DigestSet', () => {
  it('holds what was added, nothing else, and grows past its first size', () => {
    const set = new DigestSet(4);
    const paths = Array.from({ length: 5000 }, (_, i) => `/app/n${i}`);
    for (const path of paths) set.add(pathDigest(path));
    set.add(pathDigest('/app/n0'));
    expect(set.size).toBe(5000);
    expect(paths.every((path) => set.has(pathDigest(path)))).toBe(true);
    expect(set.has(pathDigest('/app/n5000'))).toBe(false);
    expect(set.has(pathDigest('/app'))).toBe(false);
  });

  it('digests paths to whole numbers below 2^52, different for similar paths', () => {
    const a = pathDigest('/a/b');
    expect(Number.isSafeInteger(a) && a >= 0 && a < 2 ** 52).toBe(true);
    expect(pathDigest('/a/b')).toBe(a);
    expect(pathDigest('/a/c')).not.toBe(a);
  });
});

describe('indexExportPaths', () => {
  for (const name of ['tree.json', 'tree.json.gz']) {
    it(`streams an export written by ExportWriter (${name})`, async () => {
      const file = join(dir, name);
      const paths = ['/app', '/app/a', '/app/a/x', '/app/b', '/app/weird "name", with, commas'];
      await write(file, paths);
      const index = await indexExportPaths(file);
      expect(index).toMatchObject({ root: '/app', complete: true, unreadable: 0, nodeCount: 5 });
      expect(paths.every((path) => index.has(path))).toBe(true);
      expect(index.has('/app/c')).toBe(false);
    });
  }

  it('reads an empty and an incomplete export', async () => {
    const empty = join(dir, 'empty.json');
    await write(empty, []);
    expect(await indexExportPaths(empty)).toMatchObject({ nodeCount: 0, complete: true });
    const partial = join(dir, 'partial.json');
    await write(partial, ['/app', '/app/a'], false);
    expect(await indexExportPaths(partial)).toMatchObject({ nodeCount: 2, complete: false, unreadable: 1 });
  });

  it('falls back to reading a zk-shell backup whole', async () => {
    const file = join(dir, 'shell.json');
    const content = {
      content: Buffer.from('x').toString('base64'),
      acls: [{ perms: 31, scheme: 'world', id: 'anyone' }],
    };
    writeFileSync(file, JSON.stringify({ '/svc': content, '/svc/a': content }));
    const index = await indexExportPaths(file);
    expect(index).toMatchObject({ root: '/svc', nodeCount: 2, complete: true });
    expect(index.has('/svc/a')).toBe(true);
  });

  it('refuses an export whose count does not match the paths it lists', async () => {
    const file = join(dir, 'damaged.json');
    await write(file, ['/app', '/app/a', '/app/b']);
    const text = readFileSync(file, 'utf8').replace('"nodeCount":3', '"nodeCount":4');
    writeFileSync(file, text);
    await expect(indexExportPaths(file)).rejects.toThrow(/says it holds 4 nodes but lists 3/);
  });
});
