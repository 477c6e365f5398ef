import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExportWriter, readExportFile } from '../../../electron/engines/zk-export/export-file';
import { ExportFormatError, parseExport } from '../../../electron/engines/zk-export/export-format';
import { SnapshotReader } from '../../../electron/engines/zk-export/snapshot-reader';

const open = [{ scheme: 'world', id: 'anyone', perms: 'cdrwa' }];
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mdesk-export-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function write(file: string, gzip?: boolean) {
  const writer = ExportWriter.open(file, { root: '/app', source: 'zk://h:1/app', exportedAt: 1 }, { gzip });
  await writer.add({ path: '/app', data: Buffer.from('root'), acl: open, ephemeral: false });
  await writer.add({ path: '/app/bin', data: Buffer.from([0, 255, 10, 13]), acl: open, ephemeral: false });
  await writer.add({ path: '/app/empty', data: Buffer.alloc(0), acl: open, ephemeral: false });
  await writer.add({ path: '/app/lock', data: Buffer.from('l'), acl: open, ephemeral: true });
  await writer.finish({ complete: true, unreadable: [] });
}

describe('export files', () => {
  for (const gzip of [false, true]) {
    it(`round-trips bytes, ACLs and ephemeral flags (${gzip ? 'gzip' : 'plain'})`, async () => {
      const file = join(dir, gzip ? 'tree.json.gz' : 'tree.json');
      await write(file, gzip);
      expect(readFileSync(file)[0] === 0x1f).toBe(gzip);
      const tree = readExportFile(file);
      expect(tree).toMatchObject({
        format: 'migration-desk',
        root: '/app',
        source: 'zk://h:1/app',
        complete: true,
      });
      expect(tree.nodes.get('/app/bin')?.data).toEqual(Buffer.from([0, 255, 10, 13]));
      expect(tree.nodes.get('/app/empty')?.data.length).toBe(0);
      expect(tree.nodes.get('/app/lock')?.ephemeral).toBe(true);
      expect(tree.nodes.get('/app')?.children).toEqual(['bin', 'empty', 'lock']);
      // No temporary file left behind.
      expect(readdirSync(dir)).toEqual([gzip ? 'tree.json.gz' : 'tree.json']);
    });
  }

  it('leaves nothing that looks like an export after an abort', async () => {
    const file = join(dir, 'aborted.json');
    const writer = ExportWriter.open(file, { root: '/a', source: 's', exportedAt: 1 });
    await writer.add({ path: '/a', data: Buffer.alloc(1), acl: open, ephemeral: false });
    await writer.abort();
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reads zk-shell backups: base64 content, null data, numeric perms, missing parents', () => {
    const tree = parseExport(
      {
        '/s/a/b': {
          content: Buffer.from('deep').toString('base64'),
          acls: [{ perms: 5, id: { scheme: 'digest', id: 'u:x' } }],
        },
        '/s': { content: null, acls: [] },
      },
      'backup.json',
    );
    expect(tree.format).toBe('zk-shell');
    expect(tree.root).toBe('/s');
    expect(tree.nodes.get('/s/a/b')?.acl).toEqual([{ scheme: 'digest', id: 'u:x', perms: 'cr' }]);
    expect(tree.nodes.get('/s')?.acl).toEqual(open);
    // /s/a was not in the file: added empty so the tree stays connected.
    expect(tree.nodes.get('/s/a')?.children).toEqual(['b']);
    expect(tree.nodes.get('/s')?.children).toEqual(['a']);
  });

  it('refuses what it cannot read, saying what it is', () => {
    const file = join(dir, 'truncated.json');
    writeFileSync(file, '{"format":"migration-desk.zk-export","version":1,"root":"/a","nodes":[');
    expect(() => readExportFile(file)).toThrow(/not valid JSON .*truncated/);
    expect(() => parseExport({ format: 'migration-desk.zk-export', version: 9, root: '/' }, 'f')).toThrow(
      /version 9/,
    );
    expect(() => parseExport([1, 2], 'f')).toThrow(ExportFormatError);
    expect(() => parseExport({ hello: 1 }, 'f')).toThrow(/neither a Migration Desk export/);
  });

  it('serves as a copy source with a root inside the export', async () => {
    const file = join(dir, 'tree.json');
    await write(file);
    const reader = new SnapshotReader(readExportFile(file), '/app', 'snapshot');
    const bin = await reader.read('/bin', 0, true);
    expect(bin).toMatchObject({ state: 'present', node: { numChildren: 0, acl: open, ephemeral: false } });
    expect(await reader.read('/missing', 0, false)).toEqual({ state: 'absent' });
    expect(await reader.children('', 0)).toEqual(['bin', 'empty', 'lock']);
    await expect(reader.children('/missing', 0)).rejects.toMatchObject({ code: 'NO_NODE' });
  });
});
