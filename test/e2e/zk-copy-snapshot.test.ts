/**
 * A saved snapshot as the Copy view's source, in a real Chromium against the browser host and the two
 * test ZooKeeper servers (issue 5 item 5): the source picker says when there are no snapshots; a
 * subtree of the primary is captured through the API and then deleted from the server; the picker
 * lists the snapshot apart from the live connections, with its capture time; planning and copying
 * from it put the tree back on the secondary byte for byte with its ACLs (the ephemeral node
 * skipped), verify finds zero differences, and the run panel names the snapshot it read.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SnapshotView } from '../../shared/api/snapshots';
import { digestAcl } from '../../electron/zk/acl';
import { ZkSession } from '../../electron/zk/zk-session';
import { removeTree, uniqueTestRoot } from '../setup/zk-test-helpers';
import { screenshot } from './browser-host';
import { COPY_VIEWPORT, countOf, openCopyView, removeTreesAndClose } from './copy-view-helpers';
import { type E2eDesk, openE2eDesk } from './e2e-desk';
import { addReadWriteConnection, type HostApi } from './host-api';

const SRC = inject('zkPrimary');
const DST = inject('zkSecondary');
const source = uniqueTestRoot('e2e-snapcopy-src');
const target = uniqueTestRoot('e2e-snapcopy-dst');
const BINARY = Buffer.from([0x00, 0xff, 0x80, 0x0a, 0xc3, 0x28]);
const MIXED_ACL = [{ scheme: 'world', id: 'anyone', perms: 'r' }, digestAcl('admin', 'secret')];
const LABEL = 'before the move';
/** root, bin, empty, acl, dir, dir/a, dir/b (the ephemeral node is not copied). */
const PERSISTENT = 7;

let src: ZkSession;
let dst: ZkSession;
let desk: E2eDesk | undefined;
let page: Page;
let api: HostApi;
let snapshot: SnapshotView;

/** As the digest ACL's user, so getACL shows its hash (not 'admin:x'). */
const connect = (connectString: string) =>
  ZkSession.connect({
    connectString,
    sessionTimeoutMs: 10_000,
    connectTimeoutMs: 5000,
    digestAuth: ['admin:secret'],
  });

/** Leaves the Copy tab and comes back: the view mounts again and lists the snapshots afresh. */
async function reopenCopyView(): Promise<void> {
  await page.getByTestId('view-tab-explorer').click();
  await page.getByTestId('view-tab-copy').click();
  await page.getByTestId('zk-copy-view').waitFor({ timeout: 15_000 });
}

/** Polls the host (bounded) until the capture of `root` is complete. */
async function waitForSnapshot(root: string): Promise<SnapshotView> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const found = (await api.snapshots.list.query()).find((item) => item.root === root);
    if (found?.state === 'complete') return found;
    if (found?.state === 'failed') throw new Error(`capture failed: ${found.error}`);
    if (Date.now() > deadline) throw new Error(`capture of ${root} not complete after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  src = await connect(SRC);
  dst = await connect(DST);
  await src.create(source, Buffer.from('root'));
  await src.create(`${source}/bin`, BINARY);
  await src.create(`${source}/empty`, Buffer.alloc(0));
  await src.create(`${source}/acl`, Buffer.from('mixed'), { acl: MIXED_ACL });
  await src.create(`${source}/dir`, Buffer.from('{"a":1}'));
  await src.create(`${source}/dir/a`, Buffer.from('a'));
  await src.create(`${source}/dir/b`, Buffer.from('b'));
  await src.create(`${source}/session`, Buffer.from('owned by a session'), { mode: 'ephemeral' });

  desk = await openE2eDesk({
    viewport: COPY_VIEWPORT,
    // Both authenticate as the digest ACL's user: ZooKeeper hides its hash from anyone else ('admin:x'),
    // and a snapshot of a hidden hash cannot be copied (the engine refuses it, see the integration test).
    setup: async (hostApi) => {
      await hostApi.connections.create.mutate({
        name: 'primary',
        connectString: SRC,
        digestAuth: 'admin:secret',
      });
      await addReadWriteConnection(hostApi, 'secondary', DST, { digestAuth: 'admin:secret' });
    },
  });
  ({ page, api } = desk);
  await openCopyView(page, 'primary');
}, 120_000);

afterAll(async () => {
  await desk?.close();
  await removeTreesAndClose(src, [source]);
  await removeTreesAndClose(dst, [target]);
}, 60_000);

describe('Copy view with a saved snapshot as the source', () => {
  it('says there are no saved snapshots yet, and copies from this connection by default', async () => {
    await page.getByTestId('copy-source-snapshots-empty').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('copy-source').inputValue()).toBe('primary (this connection)');
  });

  it('lists a captured snapshot apart from the live connections, with its capture time', async () => {
    const profiles = await api.connections.list.query();
    const primary = profiles.find((profile) => profile.name === 'primary')!;
    await api.snapshots.capture.mutate({ connectionId: primary.id, path: source, label: LABEL });
    snapshot = await waitForSnapshot(source);
    expect(snapshot.nodeCount).toBe(PERSISTENT + 1);
    // The live tree goes away: only the snapshot has it now.
    await removeTree(src, source);
    expect(await src.exists(source)).toBeNull();

    await reopenCopyView();
    await page.getByTestId('copy-source').click();
    const option = page.getByTestId(`copy-source-snapshot-${snapshot.id}`);
    await option.waitFor({ timeout: 15_000 });
    const groups = await page.locator('.mantine-Select-groupLabel').allTextContents();
    expect(groups).toEqual(['Live connections', 'Saved snapshots (read offline, as captured)']);
    expect(await option.textContent()).toContain(LABEL);
    expect(await option.textContent()).toMatch(/captured \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} from primary/);
    await screenshot(page, 'copy-snapshot-01-picker');
    await option.click();
    await page.getByTestId('copy-source-snapshot-summary').waitFor();
    expect(await page.getByTestId('copy-source').inputValue()).toMatch(
      new RegExp(`^Snapshot '${LABEL}' · \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}$`),
    );
    // Picking it starts the path at the snapshot's root.
    expect(await page.getByTestId('copy-source-path').inputValue()).toBe(source);
  });

  it('refuses a path outside the snapshot before asking the host', async () => {
    await page.getByTestId('copy-source-path').fill('/elsewhere');
    await page.getByTestId('copy-plan').click();
    await page.getByText(`The snapshot holds ${source} and below: choose a path there`).waitFor();
    await page.getByTestId('copy-source-path').fill(source);
  });

  it('plans and copies from the snapshot: the deleted tree is back, byte for byte, verified', async () => {
    await page.getByTestId('copy-target-connection').click();
    await page.getByTestId('copy-target-option-secondary').click();
    await page.getByTestId('copy-target-path').fill(target);
    await page.getByTestId('copy-plan').click();
    await page.getByTestId('plan-report').waitFor({ timeout: 30_000 });
    expect(await countOf(page, 'plan-report', 'creates')).toBe(PERSISTENT);
    expect(await dst.exists(target)).toBeNull();

    await page.getByTestId('run-start').click();
    await page.locator('[data-testid="copy-run-panel"][data-state="completed"]').waitFor({ timeout: 45_000 });
    await page.getByTestId('verify-report').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('verify-report').getAttribute('data-differences')).toBe('0');
    expect(await countOf(page, 'verify-report', 'matching')).toBe(PERSISTENT);
    for (const key of ['mismatched', 'aclMismatched', 'extraSource', 'extraTarget']) {
      expect(await countOf(page, 'verify-report', key), key).toBe(0);
    }
    const named = await page.getByTestId('copy-run-source-snapshot').textContent();
    expect(named).toContain(`snapshot '${LABEL}' (${snapshot.id})`);
    expect(named).toContain('verify compared the target with it');
    await screenshot(page, 'copy-snapshot-02-copied');

    expect((await dst.getData(`${target}/bin`)).data.equals(BINARY)).toBe(true);
    expect((await dst.getData(`${target}/empty`)).data.length).toBe(0);
    expect((await dst.getACL(`${target}/acl`)).acl).toEqual(MIXED_ACL);
    expect((await dst.getData(`${target}/dir/b`)).data.toString()).toBe('b');
    expect(await dst.exists(`${target}/session`)).toBeNull();
    const runs = await api.zkCopy.list.query({ kind: 'zk-copy' });
    expect(runs[0]?.params.source).toMatchObject({
      kind: 'stored-snapshot',
      snapshotId: snapshot.id,
      snapshotName: LABEL,
      capturedAt: snapshot.createdAt,
    });
  });
});
