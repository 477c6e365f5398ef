/**
 * `mdesk zk copy @snapshot:<name-or-id>[:/path] DST` and `mdesk zk diff @snapshot:... B` (issue 5
 * item 5): a snapshot saved in the data dir's store (captured from the primary server, whose tree is
 * then deleted) copied onto the secondary, offline and byte-exact; the summary names the snapshot;
 * bad specs are usage errors that say what to do; the help documents the form.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseSnapshotSpec } from '../../../electron/cli/snapshot-spec';
import { captureSnapshot } from '../../../electron/engines/snapshots/capture-snapshot';
import { DATABASE_FILE } from '../../../electron/host/start-host';
import { createSecretBox, loadOrCreateKeyFile } from '../../../electron/platform/secret-box';
import { openStore } from '../../../electron/store/open-store';
import { digestAcl } from '../../../electron/zk/acl';
import type { ZkSession } from '../../../electron/zk/zk-session';
import { runMdeskOn } from '../../setup/cli-in-process';
import { uniqueTestRoot } from '../../setup/zk-test-helpers';
import { connect, createAll, readSubtree, removeSubtree } from '../engines/engine-test-kit';

const SRC = inject('zkPrimary');
const DST = inject('zkSecondary');
const source = uniqueTestRoot('cli-snap-src');
const targets = uniqueTestRoot('cli-snap-dst');
const dataDir = mkdtempSync(join(tmpdir(), 'mdesk-cli-snap-'));
const BINARY = Buffer.from([0xde, 0xad, 0x00, 0xbe, 0xef, 0xff]);

let src: ZkSession;
let dst: ZkSession;
let snapshotId = '';

const mdesk = (args: string[]) => runMdeskOn(dataDir, args, { MDESK_ZK_AUTH: 'digest:admin:secret' });

beforeAll(async () => {
  src = await connect(SRC, ['admin:secret']);
  dst = await connect(DST, ['admin:secret']);
  await createAll(src, [
    { path: source, data: Buffer.from('root') },
    { path: `${source}/bin`, data: BINARY },
    { path: `${source}/empty` },
    { path: `${source}/locked`, data: Buffer.from('admin'), acl: [digestAcl('admin', 'secret')] },
    { path: `${source}/conf`, data: Buffer.from('{"replicas":3}') },
    { path: `${source}/conf/leaf`, data: Buffer.from('leaf') },
  ]);
  const store = openStore({
    file: join(dataDir, DATABASE_FILE),
    secretBox: createSecretBox(loadOrCreateKeyFile(dataDir)),
  });
  try {
    const captured = await captureSnapshot({
      store: { snapshots: store.snapshots, events: store.events },
      actor: 'tester',
      sessions: [src],
      root: source,
      source: { connectionId: null, connectionName: 'primary', connectString: SRC },
      reason: 'manual',
      label: 'pre-move: 10:30',
    });
    snapshotId = captured.snapshot.id;
  } finally {
    store.close();
  }
}, 60_000);

afterAll(async () => {
  await removeSubtree(src, source).catch(() => undefined);
  await removeSubtree(dst, targets).catch(() => undefined);
  await Promise.allSettled([src.close(), dst.close()]);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('@snapshot:<name-or-id>[:/path] as SRC', () => {
  it('parses names with colons, a path, no path, and leaves @snapshot:/path to a saved connection', () => {
    expect(parseSnapshotSpec('@snapshot:pre-move: 10:30:/a/b', 'SRC')).toEqual({
      nameOrId: 'pre-move: 10:30',
      path: '/a/b',
    });
    expect(parseSnapshotSpec('@snapshot:abc123', 'SRC')).toEqual({ nameOrId: 'abc123' });
    expect(parseSnapshotSpec('@snapshot:/a', 'SRC')).toBeNull();
    expect(parseSnapshotSpec('@prod:/a', 'SRC')).toBeNull();
    expect(() => parseSnapshotSpec('@snapshot:x:/a//b', 'SRC')).toThrow(/empty segment/);
  });

  it('copies the deleted tree back from the snapshot by name, byte-exact with ACLs, and names it', async () => {
    const expected = await readSubtree(src, source);
    await removeSubtree(src, source);
    const out = await mdesk([
      'zk',
      'copy',
      '@snapshot:pre-move: 10:30',
      `zk://${DST}${targets}/all`,
      '--json',
    ]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.json).toMatchObject({
      status: 'completed',
      created: 6,
      errors: 0,
      verify: { matching: 6, mismatched: 0, aclMismatched: 0, extraSource: 0, extraTarget: 0 },
      sourceSnapshot: { snapshotId, name: 'pre-move: 10:30', path: source },
    });
    const copied = await readSubtree(dst, `${targets}/all`);
    expect([...copied.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [rel, node] of expected) {
      expect(copied.get(rel)?.data.equals(node.data), rel).toBe(true);
      expect(copied.get(rel)?.acl, rel).toEqual(node.acl);
    }
    expect(copied.get('/empty')?.data.length).toBe(0);
  }, 60_000);

  it('copies a part of the snapshot by id, and the text summary says which snapshot it was', async () => {
    const out = await mdesk([
      'zk',
      'copy',
      `@snapshot:${snapshotId}:${source}/conf`,
      `zk://${DST}${targets}/conf`,
    ]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain(`source: snapshot 'pre-move: 10:30' (${snapshotId}), captured `);
    expect(out.stdout).toContain(`path ${source}/conf`);
    expect((await dst.getData(`${targets}/conf/leaf`)).data.toString()).toBe('leaf');
  }, 60_000);

  it('diffs a live tree against the snapshot (exit 3 on a difference)', async () => {
    const equal = await mdesk([
      'zk',
      'diff',
      `@snapshot:${snapshotId}`,
      `zk://${DST}${targets}/all`,
      '--json',
    ]);
    expect(equal.code, equal.stderr).toBe(0);
    await dst.setData(`${targets}/all/bin`, Buffer.from('changed'), -1);
    const differs = await mdesk([
      'zk',
      'diff',
      `@snapshot:${snapshotId}`,
      `zk://${DST}${targets}/all`,
      '--json',
    ]);
    expect(differs.code).toBe(3);
    expect(differs.json).toMatchObject({ verify: { mismatched: 1 } });
  }, 60_000);

  it('refuses an unknown name, a path outside the snapshot and a snapshot as DST with usage errors', async () => {
    const unknown = await mdesk(['zk', 'copy', '@snapshot:no-such', `zk://${DST}${targets}/x`]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/No snapshot named 'no-such' \(newest: 'pre-move: 10:30'/);
    const outside = await mdesk([
      'zk',
      'copy',
      `@snapshot:${snapshotId}:/elsewhere`,
      `zk://${DST}${targets}/x`,
    ]);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/\/elsewhere is not in the snapshot .* choose a path there/);
    const asTarget = await mdesk(['zk', 'copy', `zk://${DST}${targets}/all`, `@snapshot:${snapshotId}`]);
    expect(asTarget.code).toBe(2);
    expect(asTarget.stderr).toMatch(/is a snapshot, and snapshots are read-only/);
    expect(await dst.exists(`${targets}/x`)).toBeNull();
  });

  it('documents the form in the help of zk copy and zk diff', async () => {
    const copyHelp = await mdesk(['zk', 'copy', '--help']);
    expect(copyHelp.stdout).toContain('@snapshot:<name-or-id>[:/path]');
    const diffHelp = await mdesk(['zk', 'diff', '--help']);
    expect(diffHelp.stdout).toContain('@snapshot:<name-or-id>[:/path]');
  });
});
