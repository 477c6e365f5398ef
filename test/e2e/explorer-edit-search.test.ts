/**
 * Safe editing and subtree search in Chromium against the browser host and a real ZooKeeper:
 * read-only by default, the confirmed switch to read-write, create / edit / conflict / delete /
 * recursive delete / ACL, and search with streamed results, bounds, bad regexes and cancel.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ZkSession } from '../../electron/zk/zk-session';
import {
  childNodes,
  connectTestSession,
  createNodes,
  deleteTree,
  ensurePath,
} from '../setup/zk-tree-builder';
import { uniqueTestRoot } from '../setup/zk-test-helpers';
import { screenshot } from './browser-host';
import { type E2eDesk, openE2eDesk } from './e2e-desk';
import { addConnection, expandChain, row, selectNode } from './explorer-helpers';

const zk = inject('zkPrimary');
const root = uniqueTestRoot('e2e-edit');
let desk: E2eDesk | undefined;
let page: Page;
let session: ZkSession;

beforeAll(async () => {
  session = await connectTestSession(zk);
  await ensurePath(session, root);
  const nodes: { path: string; data?: Buffer }[] = [
    { path: `${root}/cfg`, data: Buffer.from('{"replicas":3}') },
    { path: `${root}/bin`, data: Buffer.from([0x00, 0xff, 0x10]) },
    { path: `${root}/sub` },
    { path: `${root}/acl-me` },
    { path: `${root}/apps` },
    { path: `${root}/many` },
  ];
  for (let a = 0; a < 5; a++) nodes.push({ path: `${root}/sub/a${a}` }, { path: `${root}/acl-me/n${a}` });
  for (let i = 0; i < 30; i++) {
    nodes.push({
      path: `${root}/apps/${i}`,
      data: Buffer.from(
        JSON.stringify({ app_name: `t${i}`, status: i % 10 === 3 ? 'AS_DROPPED' : 'AS_AVAILABLE' }),
      ),
    });
  }
  await createNodes(session, nodes);
  const deeper: { path: string }[] = [];
  for (let a = 0; a < 5; a++) for (let b = 0; b < 5; b++) deeper.push({ path: `${root}/sub/a${a}/b${b}` });
  await createNodes(session, deeper);
  await createNodes(
    session,
    childNodes(`${root}/many`, 20_000, (i) => Buffer.from(`payload-${i}`)),
  );
  desk = await openE2eDesk({ viewport: { width: 1400, height: 900 } });
  ({ page } = desk);
  await addConnection(page, 'edits', zk);
  await expandChain(page, root);
}, 120_000);

afterAll(async () => {
  await desk?.close();
  await deleteTree(session, root).catch(() => undefined);
  await session?.close();
});

/** Audit events through the same API the History view will use (the page holds the auth cookie). */
async function audit(prefix: string): Promise<{ action: string; detail: Record<string, unknown> }[]> {
  return page.evaluate(async (actionPrefix) => {
    const input = encodeURIComponent(JSON.stringify({ actionPrefix }));
    const response = await fetch(`/trpc/audit.list?input=${input}`);
    return (await response.json()).result.data;
  }, prefix);
}

/** Replaces the code editor's text the way typing would, without auto-indent getting in the way. */
async function replaceEditorText(text: string): Promise<void> {
  const content = page.locator('[data-testid="byte-editor-code"] .cm-content');
  await content.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(text);
}

describe('safe editing', () => {
  it('shows the write actions disabled on a read-only connection, saying why', async () => {
    await selectNode(page, `${root}/cfg`);
    expect(await page.getByTestId('node-actions').getAttribute('data-read-only')).toBe('true');
    expect(await page.getByTestId('node-edit').isDisabled()).toBe(true);
    expect(await page.getByTestId('node-delete').isDisabled()).toBe(true);
    await page.getByTestId('node-edit').hover({ force: true });
    await screenshot(page, 'edit-01-read-only');
  });

  it('switches to read-write only after the name is typed, and audits it', async () => {
    await page.getByTestId('connection-menu-edits').click();
    await page.getByTestId('connection-mode').click();
    await page.getByTestId('mode-switch-confirm-input').fill('edit');
    expect(await page.getByTestId('mode-switch-confirm').isDisabled()).toBe(true);
    await page.getByTestId('mode-switch-confirm-input').fill('edits');
    await screenshot(page, 'edit-02-switch-to-read-write');
    await page.getByTestId('mode-switch-confirm').click();
    await expect.poll(() => page.getByTestId('node-actions').getAttribute('data-read-only')).toBe('false');
    const events = await audit('connection.mode-changed');
    expect(events[0]?.detail).toMatchObject({ name: 'edits', from: 'read-only', to: 'read-write' });
  });

  it('creates a node, and warns that an ephemeral one lives only with the session', async () => {
    await selectNode(page, root);
    await page.getByTestId('node-create-child').click();
    await page.getByTestId('create-name').fill('fresh');
    await replaceEditorText('hello from the explorer');
    await page.getByTestId('create-submit').click();
    await expect.poll(() => page.getByTestId('node-path').first().textContent()).toBe(`${root}/fresh`);
    expect((await session.getData(`${root}/fresh`)).data.toString()).toBe('hello from the explorer');

    await selectNode(page, root);
    await page.getByTestId('node-create-child').click();
    await page.getByTestId('create-mode').click();
    await page.getByRole('option', { name: /^Ephemeral \(/ }).click();
    await page.getByTestId('create-ephemeral-warning').waitFor();
    expect(await page.getByTestId('create-ephemeral-warning').textContent()).toMatch(
      /disappears when the app closes/,
    );
    await screenshot(page, 'edit-03-create-ephemeral-warning');
    await page.keyboard.press('Escape');
    await page.getByTestId('create-modal').waitFor({ state: 'detached' });
  });

  it('saves JSON at the version it was based on', async () => {
    await selectNode(page, `${root}/cfg`);
    await page.getByTestId('node-edit').click();
    expect(await page.getByTestId('byte-editor').getAttribute('data-format')).toBe('json');
    await replaceEditorText('{"replicas":5}');
    await page.getByTestId('edit-save').click();
    await page.getByTestId('edit-data').waitFor({ state: 'detached' });
    const { data, stat } = await session.getData(`${root}/cfg`);
    expect(data.toString()).toBe('{"replicas":5}');
    expect(stat.version).toBe(1);
    const events = await audit('node.data-set');
    expect(events[0]?.detail).toMatchObject({ path: `${root}/cfg`, version: 0, newVersion: 1 });
    expect(String(events[0]?.detail.digestAfter)).toMatch(/^sha256:/);
  });

  it('shows theirs and yours side by side on a conflict, and never overwrites silently', async () => {
    await page.getByTestId('node-edit').click();
    await replaceEditorText('{"replicas":7}');
    // Someone else writes meanwhile; the live view tells the operator before they save.
    await session.setData(`${root}/cfg`, Buffer.from('{"replicas":6}'), 1);
    await page.getByTestId('edit-changed-meanwhile').waitFor({ timeout: 10_000 });
    await page.getByTestId('edit-save').click();
    const conflict = page.getByTestId('conflict-view');
    await conflict.waitFor({ timeout: 10_000 });
    await expect
      .poll(() => conflict.locator('.cm-merge-a .cm-content').textContent())
      .toContain('"replicas":6');
    expect(await conflict.locator('.cm-merge-b .cm-content').textContent()).toContain('"replicas":7');
    expect((await session.getData(`${root}/cfg`)).data.toString()).toBe('{"replicas":6}');
    await screenshot(page, 'edit-04-conflict-side-by-side');
    // The operator has seen theirs and chooses to put theirs under the edit: the next save is explicit.
    await page.getByTestId('conflict-keep-mine').click();
    expect(await page.getByTestId('edit-data').getAttribute('data-base-version')).toBe('2');
    await page.getByTestId('edit-save').click();
    await page.getByTestId('edit-data').waitFor({ state: 'detached' });
    expect((await session.getData(`${root}/cfg`)).data.toString()).toBe('{"replicas":7}');
    expect((await audit('node.write-conflict'))[0]?.detail).toMatchObject({
      path: `${root}/cfg`,
      version: 1,
      theirVersion: 2,
    });
  });

  it('edits binary data as hex, byte for byte', async () => {
    await selectNode(page, `${root}/bin`);
    await page.getByTestId('node-edit').click();
    expect(await page.getByTestId('byte-editor').getAttribute('data-format')).toBe('hex');
    // Text editing is refused for bytes a text editor would change.
    await page.getByTestId('byte-editor-format').getByText('Text').click();
    await page.getByTestId('byte-editor-switch-error').waitFor();
    await page.getByTestId('byte-editor-raw').fill('00 ff 10 c3 28');
    await page.getByTestId('edit-save').click();
    await page.getByTestId('edit-data').waitFor({ state: 'detached' });
    expect((await session.getData(`${root}/bin`)).data).toEqual(Buffer.from([0x00, 0xff, 0x10, 0xc3, 0x28]));
  });

  it('deletes a subtree after the node count is typed, with progress', async () => {
    await selectNode(page, `${root}/sub`);
    await page.getByTestId('node-delete').click();
    await expect
      .poll(() => page.getByTestId('delete-count').textContent(), { timeout: 10_000 })
      .toMatch(/This deletes a whole subtree31 nodes \(/);
    await page.getByTestId('delete-confirm-input').fill('30');
    expect(await page.getByTestId('delete-submit').isDisabled()).toBe(true);
    await page.getByTestId('delete-confirm-input').fill('31');
    await screenshot(page, 'edit-05-recursive-delete-confirm');
    await page.getByTestId('delete-submit').click();
    await expect
      .poll(() => page.getByTestId('job-done').textContent(), { timeout: 20_000 })
      .toMatch(/Deleted 31 of 31/);
    await screenshot(page, 'edit-06-recursive-delete-done');
    expect(await session.exists(`${root}/sub`)).toBeNull();
    await page.getByTestId('delete-close').click();
    await expect.poll(() => row(page, `${root}/sub`).count(), { timeout: 10_000 }).toBe(0);
    expect((await audit('node.tree-deleted'))[0]?.detail).toMatchObject({
      path: `${root}/sub`,
      nodes: 31,
      outcome: 'completed',
    });
  });

  it('deletes a leaf at the version that was reviewed', async () => {
    await selectNode(page, `${root}/fresh`);
    await page.getByTestId('node-delete').click();
    await page.getByTestId('delete-submit').click();
    await page.getByTestId('delete-modal').waitFor({ state: 'detached' });
    expect(await session.exists(`${root}/fresh`)).toBeNull();
  });

  it('sets an ACL on a node and everything below it', async () => {
    await selectNode(page, `${root}/acl-me`);
    await page.getByTestId('node-edit-acl').click();
    // world:anyone loses delete (d): children can no longer be removed by anyone.
    await page.getByTestId('acl-perm-d').uncheck();
    await page.getByTestId('acl-recursive').check();
    await screenshot(page, 'edit-07-acl-editor');
    await page.getByTestId('acl-apply').click();
    await expect
      .poll(() => page.getByTestId('job-done').textContent(), { timeout: 20_000 })
      .toMatch(/Changed 6 of 6/);
    for (const path of [`${root}/acl-me`, `${root}/acl-me/n4`]) {
      expect((await session.getACL(path)).acl).toEqual([{ scheme: 'world', id: 'anyone', perms: 'crwa' }]);
    }
    await page.getByTestId('acl-close').click();
  });
});

describe('search within a subtree', () => {
  it('finds paths by glob, streams the results, and opens one in the tree', async () => {
    await selectNode(page, `${root}/apps`);
    await page.locator('[data-testid="connection-workspace"]:visible [data-testid="tree-search"]').click();
    expect(await page.getByTestId('search-root').inputValue()).toBe(`${root}/apps`);
    await page.getByTestId('search-path-pattern').fill('2?');
    await page.getByTestId('search-run').click();
    await expect
      .poll(() => page.getByTestId('search-results').getAttribute('data-status'), { timeout: 15_000 })
      .toBe('done');
    expect(await page.getByTestId('search-result').count()).toBe(10);
    await page.locator(`[data-testid="search-result"][data-path="${root}/apps/27"]`).click();
    await expect.poll(() => page.getByTestId('node-path').first().textContent()).toBe(`${root}/apps/27`);
    expect(await row(page, `${root}/apps/27`).getAttribute('aria-selected')).toBe('true');
    await screenshot(page, 'search-01-glob-results');
  });

  it('finds content, showing where it matched', async () => {
    await page.getByTestId('search-path-mode').getByText('Any path').click();
    await page.getByTestId('search-content-mode').getByText('Contains').click();
    await page.getByTestId('search-content-pattern').fill('AS_DROPPED');
    await page.getByTestId('search-run').click();
    await expect
      .poll(() => page.getByTestId('search-results').getAttribute('data-status'), { timeout: 15_000 })
      .toBe('done');
    const paths = await page
      .getByTestId('search-result')
      .evaluateAll((elements) => elements.map((e) => e.getAttribute('data-path')));
    expect(paths.sort()).toEqual([3, 13, 23].map((i) => `${root}/apps/${i}`).sort());
    expect(await page.getByTestId('search-result').first().textContent()).toContain('"status":"AS_DROPPED"');
    await screenshot(page, 'search-02-content');
  });

  it('says why a regex does not compile, before anything runs', async () => {
    await page.getByTestId('search-content-mode').getByText('Content regex').click();
    await page.getByTestId('search-content-pattern').fill('"status":"(AS_');
    await expect
      .poll(() => page.locator('[data-testid="search-panel"]').textContent())
      .toMatch(/is not a valid regular expression: Unterminated group/);
    expect(await page.getByTestId('search-run').isDisabled()).toBe(true);
    await screenshot(page, 'search-03-bad-regex');
  });

  it('stops at the node limit and says so', async () => {
    await page.getByTestId('search-content-pattern').fill('"status":"AS_(DROPPED|AVAILABLE)"');
    await page.getByTestId('search-max-nodes').fill('12');
    await page.getByTestId('search-run').click();
    await expect
      .poll(() => page.getByTestId('search-note').textContent(), { timeout: 15_000 })
      .toMatch(/Stopped after 12 nodes \(the node limit\)/);
    await screenshot(page, 'search-04-node-limit');
  });

  it('cancels a search in progress and says how far it got', async () => {
    await page.getByTestId('search-root').fill(`${root}/many`);
    await page.getByTestId('search-max-nodes').fill('100000');
    await page.getByTestId('search-content-mode').getByText('Contains').click();
    await page.getByTestId('search-content-pattern').fill('payload-1');
    // The multiRead walk reads 20k nodes in well under a second on an idle machine, so hold the
    // search stream back briefly to cancel it deterministically while it runs. The host side of
    // cancellation (closing the stream stops the walk) is covered in test/integration/explorer.
    await page.route('**/trpc/search.run**', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue().catch(() => {});
    });
    await page.getByTestId('search-run').click();
    await page.getByTestId('search-cancel').click({ timeout: 5000 });
    await page.unroute('**/trpc/search.run**');
    await expect.poll(() => page.getByTestId('search-results').getAttribute('data-status')).toBe('cancelled');
    const found = await page.getByTestId('search-summary').textContent();
    expect(found).not.toMatch(/^20,001 nodes read/);
    await screenshot(page, 'search-05-cancelled');
  });
});
