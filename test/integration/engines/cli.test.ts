/**
 * `mdesk zk copy|diff|export|import|rm` against the real servers, run in-process through the same
 * dispatcher the bin runs (the kill-and-resume test runs it as a child process): flags, SRC/DST
 * forms, credentials from MDESK_ZK_AUTH and saved connections, --json, exit codes, the store.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readExportFile } from '../../../electron/engines/zk-export/export-file';
import { createSecretBox, loadOrCreateKeyFile } from '../../../electron/platform/secret-box';
import { openStore } from '../../../electron/store/open-store';
import { digestAcl } from '../../../electron/zk/acl';
import type { ZkSession } from '../../../electron/zk/zk-session';
import { runMdeskOn } from '../../setup/cli-in-process';
import { readWithKazoo, uniqueTestRoot } from '../../setup/zk-test-helpers';
import { connect, createAll, readSubtree, removeSubtree } from './engine-test-kit';

const SRC = inject('zkPrimary');
const DST = inject('zkSecondary');
const source = uniqueTestRoot('cli-src');
const targets = uniqueTestRoot('cli-dst');
const dataDir = mkdtempSync(join(tmpdir(), 'mdesk-cli-'));
const files = mkdtempSync(join(tmpdir(), 'mdesk-cli-files-'));
const binary = randomBytes(2048);

let src: ZkSession;
let dst: ZkSession;

const mdesk = (args: string[], env: Record<string, string> = {}) =>
  runMdeskOn(dataDir, args, { MDESK_ZK_AUTH: '', ...env });
/** `mdesk zk copy` of the source tree into `${targets}/<into>` on the secondary, with `flags`. */
const copyInto = (into: string, ...flags: string[]) =>
  mdesk(['zk', 'copy', `zk://${SRC}${source}`, `zk://${DST}${targets}/${into}`, ...flags]);

beforeAll(async () => {
  src = await connect(SRC, ['admin:secret']);
  dst = await connect(DST, ['admin:secret']);
  await createAll(src, [
    { path: source, data: Buffer.from('root') },
    { path: `${source}/bin`, data: binary },
    { path: `${source}/empty` },
    { path: `${source}/conf`, data: Buffer.from('{"replicas":3}') },
    { path: `${source}/conf/zookeeper`, data: Buffer.from('an ordinary child') },
  ]);
});

afterAll(async () => {
  await removeSubtree(src, source);
  await removeSubtree(src, `${source}-private`);
  await removeSubtree(dst, targets);
  await Promise.allSettled([src.close(), dst.close()]);
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(files, { recursive: true, force: true });
});

describe('mdesk zk copy', () => {
  it('copies, verifies, prints one JSON object as the last line, progress on stderr, exit 0', async () => {
    const out = await copyInto('a', '--json');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout.trim().split('\n')).toHaveLength(1);
    expect(out.json).toMatchObject({
      status: 'completed',
      created: 5,
      updated: 0,
      unchanged: 0,
      deleted: 0,
      skippedEphemeral: 0,
      errors: 0,
      bytes: 4 + binary.length + 14 + 17,
      verify: { matching: 5, mismatched: 0, extraSource: 0, extraTarget: 0 },
    });
    expect(typeof out.json.runId).toBe('string');
    expect(typeof out.json.seconds).toBe('number');
    expect(out.stderr).toMatch(/^copy: /m);
    expect((await readWithKazoo(DST, `${targets}/a/bin`))?.equals(binary)).toBe(true);
  });

  it('reads no faster than --max-rate in every phase, and still copies everything', async () => {
    // Copy and verify each read the 5 source nodes: at 5 nodes/s those ten reads span at least
    // 1.7 s (nine intervals of 200 ms, less the 100 ms a pacer may spend at once), where an unpaced
    // copy of 5 nodes takes a fraction of a second.
    const out = await copyInto('paced', '--max-rate', '5', '--json');
    expect(out.code, out.stderr).toBe(0);
    expect(out.json).toMatchObject({ status: 'completed', created: 5, verify: { matching: 5 } });
    expect(out.json.seconds as number).toBeGreaterThanOrEqual(1.5);
  });

  it('exits 3 when verify finds differences (a create-only conflict)', async () => {
    await dst.setData(`${targets}/a/conf`, Buffer.from('edited on the target'), -1);
    const out = await copyInto('a', '--json');
    expect(out.code).toBe(3);
    expect(out.json).toMatchObject({
      status: 'completed',
      conflicts: 1,
      unchanged: 4,
      verify: { mismatched: 1 },
    });
  });

  it('plans with --dry-run and writes nothing', async () => {
    const out = await copyInto('dry', '--dry-run', '--json');
    expect(out.code).toBe(0);
    expect(out.json).toMatchObject({ dryRun: true, created: 5, verify: null });
    expect(await dst.exists(`${targets}/dry`)).toBeNull();
  });

  it('refuses mirror without --yes (exit 2), deletes the extras with it', async () => {
    await dst.create(`${targets}/a/extra`, Buffer.from('x'));
    const refused = await copyInto('a', '--mode', 'mirror');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('add --yes to confirm');
    expect(await dst.exists(`${targets}/a/extra`)).not.toBeNull();
    const out = await copyInto('a', '--mode', 'mirror', '--yes', '--json');
    expect(out.code, out.stderr).toBe(0);
    expect(out.json).toMatchObject({ deleted: 1, updated: 1, verify: { extraTarget: 0, mismatched: 0 } });
    expect(await dst.exists(`${targets}/a/extra`)).toBeNull();
  });

  it('takes credentials from MDESK_ZK_AUTH, and without them stops with the path (exit 1)', async () => {
    await createAll(src, [
      { path: `${source}-private`, data: Buffer.from('p'), acl: [digestAcl('admin', 'secret')] },
      { path: `${source}-private/inner`, data: Buffer.from('i'), acl: [digestAcl('admin', 'secret')] },
    ]);
    const denied = await mdesk([
      'zk',
      'copy',
      `zk://${SRC}${source}-private`,
      `zk://${DST}${targets}/p`,
      '--json',
    ]);
    expect(denied.code).toBe(1);
    expect(denied.json).toMatchObject({ status: 'failed' });
    expect(String(denied.json.error)).toContain(`Not authorized to read ${source}-private on the source`);
    // The ACL of an unreadable node cannot be read either: the hint says which credential to add where.
    expect(String(denied.json.needs)).toContain('MDESK_ZK_AUTH=digest:user:password');
    const out = await mdesk(
      ['zk', 'copy', `zk://${SRC}${source}-private`, `zk://${DST}${targets}/p`, '--json'],
      {
        MDESK_ZK_AUTH: 'digest:admin:secret',
      },
    );
    expect(out.code, out.stderr).toBe(0);
    expect(out.json).toMatchObject({ created: 2, verify: { matching: 2, aclMismatched: 0 } });
  });

  it('resolves @saved-name:/path with the saved credential, and refuses to write to a read-only one', async () => {
    const store = openStore({
      file: join(dataDir, 'migration-desk.db'),
      secretBox: createSecretBox(loadOrCreateKeyFile(dataDir)),
    });
    try {
      const saved = store.connections.create({
        name: 'target-zk',
        connectString: DST,
        chroot: null,
        sessionTimeoutMs: 10_000,
        connectTimeoutMs: 5000,
        digestAuth: 'admin:secret',
      });
      expect(saved.readOnly).toBe(true);
    } finally {
      store.close();
    }
    const refused = await mdesk([
      'zk',
      'copy',
      `zk://${SRC}${source}`,
      `@target-zk:${targets}/saved`,
      '--json',
    ]);
    expect(refused.code).toBe(1);
    expect(refused.json.error).toMatch(/read-only/);
    const reopened = openStore({
      file: join(dataDir, 'migration-desk.db'),
      secretBox: createSecretBox(loadOrCreateKeyFile(dataDir)),
    });
    try {
      const id = reopened.connections.list().find((c) => c.name === 'target-zk')!.id;
      reopened.connections.update(id, { readOnly: false });
    } finally {
      reopened.close();
    }
    // The saved credential (admin) reads the private tree on the target side of a diff.
    const out = await mdesk(['zk', 'diff', `@target-zk:${targets}/p`, `@TARGET-ZK:${targets}/p`, '--json']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.json).toMatchObject({ verify: { matching: 2, mismatched: 0 } });
  });

  it('rejects bad invocations with exit 2: unknown flags, credentials in URLs, unknown runs', async () => {
    expect((await mdesk(['zk', 'copy', 'zk://h:1/a', 'zk://h:2/b', '--modee', 'x'])).code).toBe(2);
    const withCredentials = await mdesk(['zk', 'copy', 'zk://u:p@h:1/a', 'zk://h:2/b']);
    expect(withCredentials.code).toBe(2);
    expect(withCredentials.stderr).toContain('MDESK_ZK_AUTH');
    expect((await mdesk(['zk', 'copy', '--mode', 'sideways', 'zk://h:1/a', 'zk://h:2/b'])).code).toBe(2);
    expect((await mdesk(['zk', 'copy', '--resume', 'no-such-run'])).code).toBe(2);
    for (const [command, rate] of [
      ['copy', '0'],
      ['copy', '2.5'],
      ['copy', 'fast'],
      ['diff', '0'],
    ] as const) {
      const badRate = await mdesk(['zk', command, 'zk://h:1/a', 'zk://h:2/b', '--max-rate', rate]);
      expect(badRate.code).toBe(2);
      expect(badRate.stderr).toContain('--max-rate takes a whole number of nodes per second');
    }
    expect((await mdesk(['zk', 'copy', 'zk://h:1/a', 'zk://h:2/b'], { MDESK_ZK_AUTH: 'plain' })).code).toBe(
      2,
    );
  });
});

describe('mdesk zk diff, export, import, rm', () => {
  it('diff exits 0 for equal trees and 3 with the differences', async () => {
    await mdesk(['zk', 'copy', `zk://${SRC}${source}`, `zk://${DST}${targets}/d`]);
    expect(
      (await mdesk(['zk', 'diff', `zk://${SRC}${source}`, `zk://${DST}${targets}/d`, '--json'])).code,
    ).toBe(0);
    await dst.create(`${targets}/d/only-here`, Buffer.alloc(0));
    await dst.setData(`${targets}/d/bin`, Buffer.from('changed'), -1);
    const out = await mdesk(['zk', 'diff', `zk://${SRC}${source}`, `zk://${DST}${targets}/d`, '--json']);
    expect(out.code).toBe(3);
    expect(out.json).toMatchObject({
      verify: { matching: 4, mismatched: 1, extraTarget: 1, extraSource: 0 },
    });
  });

  it('exports to gzip JSON and imports it back byte for byte', async () => {
    const file = join(files, 'tree.json.gz');
    const exported = await mdesk(['zk', 'export', `zk://${SRC}${source}`, file]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(readFileSync(file).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    const tree = readExportFile(file);
    expect(tree).toMatchObject({ format: 'migration-desk', root: source, complete: true });
    expect(tree.nodes.get(`${source}/bin`)?.data.equals(binary)).toBe(true);
    expect(tree.nodes.get(`${source}/empty`)?.data.length).toBe(0);

    const imported = await mdesk(['zk', 'import', file, `zk://${DST}${targets}/imported`]);
    expect(imported.code, imported.stderr).toBe(0);
    const copied = await readSubtree(dst, `${targets}/imported`);
    const original = await readSubtree(src, source);
    expect([...copied.keys()].sort()).toEqual([...original.keys()].sort());
    for (const [rel, node] of original) expect(copied.get(rel)!.data.equals(node.data), rel).toBe(true);
  });

  it('imports a zk-shell JSON backup (base64 content, numeric perms)', async () => {
    const file = join(files, 'zkshell.json');
    writeFileSync(
      file,
      JSON.stringify({
        '/backup': {
          content: Buffer.from('top').toString('base64'),
          acls: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }],
        },
        '/backup/child': {
          content: Buffer.from([0, 1, 2]).toString('base64'),
          acls: [{ perms: 1, id: { scheme: 'world', id: 'anyone' } }],
        },
        '/backup/none': { content: null, acls: [] },
      }),
    );
    const out = await mdesk(['zk', 'import', file, `zk://${DST}${targets}/shell`]);
    expect(out.code, out.stderr).toBe(0);
    expect((await dst.getData(`${targets}/shell/child`)).data).toEqual(Buffer.from([0, 1, 2]));
    expect((await dst.getACL(`${targets}/shell/child`)).acl).toEqual([
      { scheme: 'world', id: 'anyone', perms: 'r' },
    ]);
    expect((await dst.getData(`${targets}/shell/none`)).data.length).toBe(0);
  });

  it('rm saves an export first, deletes nothing without --yes (exit 2), and all of it with --yes', async () => {
    await mdesk(['zk', 'copy', `zk://${SRC}${source}`, `zk://${DST}${targets}/doomed`]);
    const dry = await mdesk(['zk', 'rm', `zk://${DST}${targets}/doomed`]);
    expect(dry.code).toBe(2);
    const exportFile = /to (\S+\.json\.gz)/.exec(dry.stdout)?.[1];
    expect(exportFile && existsSync(exportFile)).toBe(true);
    expect(readExportFile(exportFile!).nodes.size).toBe(5);
    expect(await dst.exists(`${targets}/doomed`)).not.toBeNull();

    const out = await mdesk(['zk', 'rm', `zk://${DST}${targets}/doomed`, '--yes']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('Deleted 5 nodes');
    expect(await dst.exists(`${targets}/doomed`)).toBeNull();
  });
});
