/**
 * The MetaProxy switch and rollback against a real ZooKeeper server and a real SQLite store: the bytes
 * another client (kazoo) reads back, the compare-and-set against a concurrent writer in another
 * session, refusals that leave the znode untouched, and the audit rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { DATABASE_FILE } from '../../../electron/host/start-host';
import {
  applyMetaProxyPlan,
  buildMetaProxyPayload,
  listMetaProxyRoutes,
  type MetaProxyAudit,
  type MetaProxyPlan,
  type MetaProxyRefusal,
  planMetaProxyRollback,
  planMetaProxySwitch,
  rollbackMetaProxyEntry,
  switchMetaProxyEntry,
} from '../../../electron/pegasus/meta-proxy-switch';
import { createSecretBox, loadOrCreateKeyFile } from '../../../electron/platform/secret-box';
import { openStore } from '../../../electron/store/open-store';
import type { Store } from '../../../electron/store/types';
import { ZkSession } from '../../../electron/zk/zk-session';
import { metaProxyEntryJson } from '../../fixtures/pegasus-cluster/payloads';
import { readWithKazoo, removeTree, uniqueTestRoot, writeWithKazoo } from '../../setup/zk-test-helpers';

const zk = inject('zkPrimary');
const root = `${uniqueTestRoot('metaproxy')}/pegasus-cluster`;
const SOURCE = { clusterName: 'c3srv-ad', metaAddrs: '10.0.0.1:34601,10.0.0.2:34601,10.0.0.3:34601' };
const TARGET = { clusterName: 'c4srv-ad', metaAddrs: '10.1.0.1:34601,10.1.0.2:34601' };
const sourceBytes = Buffer.from(metaProxyEntryJson(SOURCE.clusterName, SOURCE.metaAddrs.split(',')));
const dataDir = mkdtempSync(join(tmpdir(), 'mdesk-metaproxy-'));
const connect = () =>
  ZkSession.connect({ connectString: zk, sessionTimeoutMs: 10_000, connectTimeoutMs: 5_000 });

let session: ZkSession;
let other: ZkSession;
let store: Store;
let tableCounter = 0;
let table: string;
let path: string;
let audit: MetaProxyAudit;

function expectPlan(outcome: MetaProxyPlan | MetaProxyRefusal): MetaProxyPlan {
  if (!outcome.ok) throw new Error(`expected a plan, got: ${outcome.message}`);
  return outcome;
}

beforeAll(async () => {
  session = await connect();
  other = await connect();
  let parent = '';
  for (const part of root.split('/').slice(1)) {
    parent += `/${part}`;
    await session.create(parent, Buffer.alloc(0));
  }
  store = openStore({
    file: join(dataDir, DATABASE_FILE),
    secretBox: createSecretBox(loadOrCreateKeyFile(dataDir)),
  });
});

beforeEach(async () => {
  tableCounter += 1;
  table = `table_${tableCounter}`;
  path = `${root}/${table}`;
  await session.create(path, sourceBytes);
  audit = { events: store.events, actor: 'tester', target: `zk://${zk}${path}` };
});

afterAll(async () => {
  store?.close();
  if (session) {
    await removeTree(session, root.slice(0, root.lastIndexOf('/')));
    await session.close();
  }
  await other?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const eventsOf = () => store.events.list({ target: audit.target });

// kazoo (a Python process per call) is slow to start on a loaded machine: generous, bounded.
describe('MetaProxy switch against ZooKeeper', { timeout: 90_000 }, () => {
  it('switches and rolls back: exact bytes for another client, versions, audit rows, rollback record', async () => {
    const switched = await switchMetaProxyEntry(
      session,
      { root, table, next: TARGET, expectCluster: SOURCE.clusterName },
      { audit },
    );
    if (!switched.ok) throw new Error(switched.message);
    const written = await readWithKazoo(zk, path);
    expect(written?.equals(buildMetaProxyPayload(TARGET))).toBe(true);
    expect(written?.toString('utf8')).toBe(
      '{"cluster_name": "c4srv-ad", "meta_addrs": "10.1.0.1:34601,10.1.0.2:34601"}',
    );
    expect((await session.exists(path))?.version).toBe(1);
    expect(switched).toMatchObject({
      changed: true,
      previous: { version: 0, ...SOURCE },
      current: { version: 1, ...TARGET },
    });
    expect(switched.rollback?.previous.base64).toBe(sourceBytes.toString('base64'));
    expect(switched.rollback?.written.version).toBe(1);

    // Listing reads the new route.
    const listed = await listMetaProxyRoutes(session, root);
    expect(listed.rows.find((row) => row.table === table)).toEqual({
      table,
      clusterName: 'c4srv-ad',
      metaAddrs: TARGET.metaAddrs,
      valid: true,
      problem: null,
    });

    const back = await rollbackMetaProxyEntry(
      session,
      { root, table, restore: { record: switched.rollback! }, expectCluster: TARGET.clusterName },
      { audit },
    );
    if (!back.ok) throw new Error(back.message);
    expect((await readWithKazoo(zk, path))?.equals(sourceBytes)).toBe(true);
    expect(back).toMatchObject({
      changed: true,
      previous: { version: 1 },
      current: { version: 2, ...SOURCE },
    });
    expect(eventsOf().map((event) => event.action)).toEqual(['metaproxy.rolled-back', 'metaproxy.switched']);
    const [rolledBack, switchedEvent] = eventsOf();
    expect(switchedEvent?.detail).toMatchObject({
      before: { version: 0, json: sourceBytes.toString('utf8') },
      after: { version: 1, json: buildMetaProxyPayload(TARGET).toString('utf8') },
    });
    expect(rolledBack?.detail).toMatchObject({ before: { version: 1 }, after: { version: 2, ...SOURCE } });

    // Run again: the entry already holds the value, nothing is written.
    const again = await rollbackMetaProxyEntry(
      session,
      { root, table, restore: { value: SOURCE } },
      { audit },
    );
    expect(again).toMatchObject({ ok: true, changed: false });
    expect((await session.exists(path))?.version).toBe(2);
  });

  it('refuses when another client writes between the read and the compare-and-set', async () => {
    const theirs = Buffer.from(metaProxyEntryJson('c5srv-other', ['10.5.0.1:34601', '10.5.0.2:34601']));
    const outcome = await switchMetaProxyEntry(
      session,
      { root, table, next: TARGET, expectCluster: SOURCE.clusterName },
      // Held between the read and the write while kazoo (another client, another session) writes.
      { audit, beforeWrite: () => writeWithKazoo(zk, path, theirs) },
    );
    if (outcome.ok) throw new Error('expected a refusal');
    expect(outcome.code).toBe('changed-underneath');
    expect(outcome.message).toBe(
      `The entry changed underneath you: now cluster 'c5srv-other' at 10.5.0.1:34601,10.5.0.2:34601 (version 1), expected cluster 'c3srv-ad' at ${SOURCE.metaAddrs} (version 0); nothing was written. Someone else may be switching this table: look at the entry again before deciding.`,
    );
    expect((await readWithKazoo(zk, path))?.equals(theirs)).toBe(true);
    expect((await session.exists(path))?.version).toBe(1);
    const [event] = eventsOf();
    expect(event).toMatchObject({
      action: 'metaproxy.switch-refused',
      detail: {
        code: 'changed-underneath',
        written: false,
        expected: { version: 0, clusterName: 'c3srv-ad' },
        found: { version: 1, clusterName: 'c5srv-other', json: theirs.toString('utf8') },
      },
    });
  });

  it('refuses a plan applied after another session changed the entry (the preview-then-confirm gap)', async () => {
    const plan = expectPlan(
      await planMetaProxySwitch(session, { root, table, next: TARGET, expectCluster: SOURCE.clusterName }),
    );
    await other.setData(
      path,
      Buffer.from(metaProxyEntryJson('c3srv-ad', ['10.0.0.7:34601', '10.0.0.8:34601'])),
      -1,
    );
    const outcome = await applyMetaProxyPlan(session, plan, { audit });
    expect(outcome).toMatchObject({
      ok: false,
      code: 'changed-underneath',
      current: { version: 1, metaAddrs: '10.0.0.7:34601,10.0.0.8:34601' },
    });
    expect((await session.getData(path)).data.toString('utf8')).toMatch(/10\.0\.0\.7/);
  });

  it('refuses an invalid new entry and a wrong expected cluster, leaving the znode untouched', async () => {
    const invalid = await switchMetaProxyEntry(
      session,
      {
        root,
        table,
        next: { clusterName: TARGET.clusterName, metaAddrs: '10.1.0.1:34601' },
        expectCluster: SOURCE.clusterName,
      },
      { audit },
    );
    expect(invalid).toMatchObject({
      ok: false,
      code: 'invalid-entry',
      problems: [expect.stringMatching(/^only one meta server/)],
    });
    const wrong = await switchMetaProxyEntry(
      session,
      { root, table, next: TARGET, expectCluster: 'c9srv-nope' },
      { audit },
    );
    expect(wrong).toMatchObject({
      ok: false,
      code: 'wrong-cluster',
      current: { clusterName: 'c3srv-ad', version: 0 },
    });
    const { data, stat } = await session.getData(path);
    expect(data.equals(sourceBytes)).toBe(true);
    expect(stat.version).toBe(0);
    expect(eventsOf().map((event) => [event.action, event.detail.code])).toEqual([
      ['metaproxy.switch-refused', 'wrong-cluster'],
      ['metaproxy.switch-refused', 'invalid-entry'],
    ]);
  });

  it('refuses a rollback over a later change by someone else, and goes ahead with force', async () => {
    const switched = await switchMetaProxyEntry(
      session,
      { root, table, next: TARGET, expectCluster: SOURCE.clusterName },
      { audit },
    );
    if (!switched.ok) throw new Error(switched.message);
    // A colleague re-runs the same switch by hand: same value, new version.
    await other.setData(path, buildMetaProxyPayload(TARGET), 1);
    const input = { root, table, restore: { record: switched.rollback! } };
    const refused = await rollbackMetaProxyEntry(session, input, { audit });
    expect(refused).toMatchObject({ ok: false, code: 'changed-since-write' });
    expect((await session.exists(path))?.version).toBe(2);
    const plan = expectPlan(await planMetaProxyRollback(session, { ...input, force: true }));
    expect(plan.forced).toBe(true);
    expect(plan.notes[0]).toMatch(
      /^forced: The entry at .* changed since this tool wrote it: it wrote cluster 'c4srv-ad' at .* \(version 1\), it now holds cluster 'c4srv-ad' at .* \(version 2\)\.$/,
    );
    const forced = await applyMetaProxyPlan(session, plan, { audit });
    expect(forced).toMatchObject({
      ok: true,
      changed: true,
      forced: true,
      current: { version: 3, ...SOURCE },
    });
    expect((await readWithKazoo(zk, path))?.equals(sourceBytes)).toBe(true);
    expect(eventsOf()[0]).toMatchObject({
      action: 'metaproxy.rolled-back',
      detail: { forced: true, lastWrite: { version: 1 } },
    });
  });

  it('refuses when the entry is deleted before the write', async () => {
    const plan = expectPlan(
      await planMetaProxySwitch(session, { root, table, next: TARGET, expectCluster: SOURCE.clusterName }),
    );
    await other.remove(path, -1);
    expect(await applyMetaProxyPlan(session, plan, { audit })).toMatchObject({
      ok: false,
      code: 'deleted-underneath',
    });
    expect(await session.exists(path)).toBeNull();
  });
});
