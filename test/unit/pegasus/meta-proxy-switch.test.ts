/**
 * The MetaProxy switch without a server: entry validation and every refusal message, the payload
 * bytes, plans, the compare-and-set outcomes (including a lost answer) and the audit events, over a
 * small in-test ZooKeeper double with version-checked setData and a real SQLite store.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataDigest } from '../../../electron/host/services/data-digest';
import { decodeMetaProxyEntry } from '../../../electron/pegasus/decoders/meta-proxy-entry';
import {
  applyMetaProxyPlan,
  buildMetaProxyPayload,
  clusterNameProblem,
  findLastMetaProxyWrite,
  listMetaProxyRoutes,
  type MetaProxyAudit,
  type MetaProxyPlan,
  type MetaProxyRefusal,
  type MetaProxyWriteResult,
  MetaProxyWriteError,
  metaAddrsProblems,
  metaProxyEntryTarget,
  newEntryProblems,
  normalizeMetaAddrsInput,
  planMetaProxyRollback,
  planMetaProxySwitch,
  rollbackMetaProxyEntry,
  storedEntryProblems,
  switchMetaProxyEntry,
} from '../../../electron/pegasus/meta-proxy-switch';
import { createSecretBox } from '../../../electron/platform/secret-box';
import { openStore } from '../../../electron/store/open-store';
import type { Store } from '../../../electron/store/types';
import { InMemoryZk, InMemoryZkError } from '../../fixtures/pegasus-cluster/in-memory-zk';
import { bytes, metaProxyEntryJson, REFERENCE_PAYLOADS } from '../../fixtures/pegasus-cluster/payloads';

const ROOT = '/pegasus-cluster';
const PATH = `${ROOT}/user_profile`;
const SOURCE = { clusterName: 'c3srv-ad', metaAddrs: '10.0.0.1:34601,10.0.0.2:34601,10.0.0.3:34601' };
const TARGET = { clusterName: 'c4srv-ad', metaAddrs: '10.1.0.1:34601,10.1.0.2:34601' };

/**
 * The calls the switch makes, over InMemoryZk: setData checks the version like ZooKeeper does, and a
 * test can make the next setData lose its answer (after or before applying) or run a hook first.
 */
class CasZk {
  readonly tree = new InMemoryZk({ asyncReads: false });
  setDataCalls = 0;
  loseNextAnswer: 'after-apply' | 'before-apply' | null = null;
  failNextWrite: string | null = null;
  failReads = false;

  async getData(path: string): Promise<{ data: Buffer; stat: { version: number } }> {
    if (this.failReads) throw new InMemoryZkError('CONNECTION_LOSS', 'connection lost');
    const { data, stat } = await this.tree.getData(path);
    return { data, stat: { version: stat.version ?? 0 } };
  }

  async setData(path: string, data: Buffer, version: number): Promise<{ version: number }> {
    this.setDataCalls += 1;
    if (this.failNextWrite) {
      const code = this.failNextWrite;
      this.failNextWrite = null;
      throw new InMemoryZkError(code, `${code} writing ${path}`);
    }
    const lose = this.loseNextAnswer;
    this.loseNextAnswer = null;
    if (lose === 'before-apply') throw new InMemoryZkError('CONNECTION_LOSS', 'connection lost');
    const { stat } = await this.getData(path);
    if (stat.version !== version)
      throw new InMemoryZkError('BAD_VERSION', `version ${version} != ${stat.version}`);
    this.tree.setDataSync(path, data);
    if (lose === 'after-apply') throw new InMemoryZkError('CONNECTION_LOSS', 'connection lost');
    return { version: version + 1 };
  }

  seed(path: string, text: string): void {
    let parent = '';
    for (const part of path.split('/').slice(1, -1)) {
      parent += `/${part}`;
      if (!this.tree.has(parent)) this.tree.createSync(parent, Buffer.alloc(0));
    }
    this.tree.createSync(path, bytes(text));
  }

  bytesAt(path: string): Promise<Buffer> {
    return this.tree.getData(path).then((read) => read.data);
  }
}

let dir: string;
let store: Store;
let zk: CasZk;
let audit: MetaProxyAudit;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mdesk-metaproxy-unit-'));
  store = openStore({ file: join(dir, 'desk.sqlite'), secretBox: createSecretBox(randomBytes(32)) });
  zk = new CasZk();
  zk.seed(PATH, metaProxyEntryJson(SOURCE.clusterName, SOURCE.metaAddrs.split(',')));
  audit = { events: store.events, actor: 'tester', target: `zk://127.0.0.1:2181${PATH}` };
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function expectPlan(outcome: MetaProxyPlan | MetaProxyRefusal): MetaProxyPlan {
  if (!outcome.ok) throw new Error(`expected a plan, got a refusal: ${outcome.message}`);
  return outcome;
}

function expectRefusal(outcome: MetaProxyPlan | MetaProxyRefusal | MetaProxyWriteResult): MetaProxyRefusal {
  if (outcome.ok) throw new Error('expected a refusal');
  return outcome;
}

const planSwitch = (overrides: Partial<Parameters<typeof planMetaProxySwitch>[1]> = {}) =>
  planMetaProxySwitch(zk, {
    root: ROOT,
    table: 'user_profile',
    next: TARGET,
    expectCluster: SOURCE.clusterName,
    ...overrides,
  });

describe('entry validation', () => {
  it('accepts two or more distinct host:port addresses and a plain cluster name', () => {
    expect(newEntryProblems(TARGET)).toEqual([]);
    expect(
      newEntryProblems({ clusterName: 'onebox', metaAddrs: 'meta-1.example.com:34601,[::1]:34601' }),
    ).toEqual([]);
  });

  it('explains every refusal of the addresses', () => {
    expect(metaAddrsProblems('')).toEqual([
      'meta_addrs is empty: list the meta servers of the cluster as host:port,host:port (at least two)',
    ]);
    expect(metaAddrsProblems('10.0.0.1:34601')).toEqual([
      "only one meta server (10.0.0.1:34601): meta-proxy rejects a meta_addrs with fewer than 2 comma-separated addresses (ERR_INVALID_DATA); list at least two of the cluster's meta servers",
    ]);
    expect(metaAddrsProblems('10.0.0.1:34601,,10.0.0.2:34601')).toEqual([
      'address 2 of 3 is empty (a comma at the start or end, or two in a row): remove the extra comma',
    ]);
    expect(metaAddrsProblems('10.0.0.1:34601, 10.0.0.2:34601')).toEqual([
      '" 10.0.0.2:34601" has spaces around it: meta-proxy does not trim them and would dial the spaces too; remove them',
    ]);
    expect(metaAddrsProblems('10.0.0.1,10.0.0.2:99999')).toEqual([
      '"10.0.0.1" is not host:port (for example 10.0.0.1:34601; the port is 1-65535, an IPv6 host goes in brackets)',
      '"10.0.0.2:99999" is not host:port (for example 10.0.0.1:34601; the port is 1-65535, an IPv6 host goes in brackets)',
    ]);
    expect(metaAddrsProblems('Meta-1:34601,meta-1:34601')).toEqual([
      '"meta-1:34601" is listed twice: meta-proxy would count it as two meta servers, but it is one; list each meta server once',
    ]);
  });

  it('explains every refusal of the cluster name', () => {
    expect(clusterNameProblem('')).toBe(
      "the cluster name is empty: give the target cluster's name as its meta servers report it (cluster_info: cluster_name)",
    );
    expect(clusterNameProblem('c4 "ad"')).toBe(
      `the cluster name "c4 \\"ad\\"" may only hold letters, digits, '.', '_' and '-' and must start with a letter or digit: it is the name listed in [pegasus.clusters]`,
    );
    expect(clusterNameProblem('x'.repeat(129))).toBe('the cluster name is 129 characters long: at most 128');
    expect(clusterNameProblem('c4srv-ad_2.x')).toBeNull();
  });

  it('holds existing entries only to what breaks routing', () => {
    expect(storedEntryProblems({ clusterName: 'odd name', metaAddrs: SOURCE.metaAddrs })).toEqual([]);
    expect(storedEntryProblems({ clusterName: '', metaAddrs: SOURCE.metaAddrs })).toEqual([
      'cluster_name is empty',
    ]);
    expect(storedEntryProblems({ clusterName: '', metaAddrs: '' })).toEqual([
      'no cluster_name and no meta_addrs: meta-proxy reads only these two keys (the RFC draft\'s "cluster"/"meta-addrs" layout was never implemented), so this entry routes nowhere',
    ]);
  });

  it('normalizes pasted operator input but keeps empty parts for validation', () => {
    expect(normalizeMetaAddrsInput(' 10.1.0.1:34601 , 10.1.0.2:34601 ')).toBe(
      '10.1.0.1:34601,10.1.0.2:34601',
    );
    expect(normalizeMetaAddrsInput('a:1,,b:2')).toBe('a:1,,b:2');
  });

  it('refuses roots and table names meta-proxy cannot use', () => {
    expect(metaProxyEntryTarget('/', 't')).toEqual({
      ok: false,
      problem:
        "meta-proxy reads <root>/<table> and needs a root below '/' (its zookeeper.root, e.g. /pegasus-cluster)",
    });
    expect(metaProxyEntryTarget(ROOT, 'a/b')).toEqual({
      ok: false,
      problem: "the table name 'a/b' contains '/': give the table name alone, not a path",
    });
    expect(metaProxyEntryTarget(ROOT, '')).toEqual({ ok: false, problem: 'the table name is empty' });
    expect(metaProxyEntryTarget('pegasus', 't')).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/must start with/),
    });
    expect(metaProxyEntryTarget(ROOT, '..')).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/relative segment/),
    });
    expect(metaProxyEntryTarget(ROOT, 't')).toEqual({ ok: true, root: ROOT, table: 't', path: `${ROOT}/t` });
  });
});

describe('payload bytes', () => {
  it('are exactly what admin-cli writes, key order and spacing included', () => {
    const payload = buildMetaProxyPayload({
      clusterName: 'c3srv-ad',
      metaAddrs: '10.0.0.1:34601,10.0.0.2:34601,10.0.0.3:34601',
    });
    expect(payload.equals(bytes(REFERENCE_PAYLOADS.metaProxyEntry))).toBe(true);
    expect(payload.toString('hex')).toBe(
      Buffer.from(REFERENCE_PAYLOADS.metaProxyEntry, 'utf8').toString('hex'),
    );
    const decoded = decodeMetaProxyEntry(payload);
    expect(decoded.ok && decoded.value).toMatchObject({
      clusterName: 'c3srv-ad',
      rejection: null,
      notes: [],
    });
    expect(decoded.ok && decoded.unknownKeys).toEqual([]);
  });

  it('refuses to build an invalid entry', () => {
    expect(() => buildMetaProxyPayload({ clusterName: 'c', metaAddrs: 'a:1' })).toThrow(
      /only one meta server/,
    );
  });
});

describe('planning a switch', () => {
  it('shows the current entry, its version and the exact new bytes', async () => {
    const plan = expectPlan(await planSwitch());
    expect(plan.current).toMatchObject({ path: PATH, version: 0, ...SOURCE, problems: [] });
    expect(plan.next.text).toBe(
      `{"cluster_name": "c4srv-ad", "meta_addrs": "10.1.0.1:34601,10.1.0.2:34601"}`,
    );
    expect(plan.next.digest).toBe(dataDigest(buildMetaProxyPayload(TARGET)));
    expect(plan).toMatchObject({ unchanged: false, expectCluster: 'c3srv-ad', notes: [] });
    expect(zk.setDataCalls).toBe(0);
  });

  it('refuses an invalid new entry with every reason, before reading anything', async () => {
    const refused = expectRefusal(
      await planSwitch({ next: { clusterName: '', metaAddrs: '10.1.0.1:34601' } }),
    );
    expect(refused.code).toBe('invalid-entry');
    expect(refused.problems).toHaveLength(2);
    expect(refused.message).toBe(
      `The new entry for user_profile is refused, nothing was written: ${refused.problems.join('; ')}.`,
    );
    expect(expectRefusal(await planSwitch({ expectCluster: '' })).message).toBe(
      'The expected current cluster is empty: name the cluster the entry routes to now (the source of the migration). Nothing was written.',
    );
  });

  it('refuses an entry that names another cluster', async () => {
    const refused = expectRefusal(await planSwitch({ expectCluster: 'c9srv-other' }));
    expect(refused).toMatchObject({
      code: 'wrong-cluster',
      path: PATH,
      current: { clusterName: 'c3srv-ad' },
    });
    expect(refused.message).toBe(
      `The entry at ${PATH} routes user_profile to cluster 'c3srv-ad' at ${SOURCE.metaAddrs} (version 0), not to 'c9srv-other' as expected. Someone may have switched it already, or the plan names the wrong source. Nothing was written.`,
    );
  });

  it('refuses a missing entry, an undecodable one and a bad target', async () => {
    const missing = expectRefusal(await planSwitch({ table: 'no_such_table' }));
    expect(missing.code).toBe('missing-entry');
    expect(missing.message).toBe(
      `There is no MetaProxy entry at ${ROOT}/no_such_table: table 'no_such_table' is not routed through this root, so there is nothing to switch. Check the root (meta-proxy's zookeeper.root) and the table name against the listed entries. Nothing was written.`,
    );
    zk.seed(`${ROOT}/broken`, '{"cluster_name": "c3srv-ad", "meta_addrs": ');
    const broken = expectRefusal(await planSwitch({ table: 'broken' }));
    expect(broken.code).toBe('unreadable-entry');
    expect(broken.message).toMatch(
      /^The entry at \/pegasus-cluster\/broken does not decode \(invalid JSON, meta-proxy would crash re-reading it after a change: .*\), so it cannot be checked against the expected cluster 'c3srv-ad'\. meta-proxy crashes re-reading such an entry: restore a known value first \(rollback with the value from your ticket\)\. Nothing was written\.$/,
    );
    const target = expectRefusal(await planSwitch({ root: '/' }));
    expect(target).toMatchObject({ code: 'invalid-target', path: null });
    expect(target.message).toBe(
      "Cannot switch user_profile: meta-proxy reads <root>/<table> and needs a root below '/' (its zookeeper.root, e.g. /pegasus-cluster). Nothing was written.",
    );
  });

  it('plans nothing to write when the entry already routes there, however it is formatted', async () => {
    zk.tree.setDataSync(
      PATH,
      bytes(JSON.stringify({ cluster_name: TARGET.clusterName, meta_addrs: TARGET.metaAddrs })),
    );
    const plan = expectPlan(await planSwitch());
    expect(plan.unchanged).toBe(true);
    expect(plan.notes).toEqual([
      `${PATH} already routes to c4srv-ad at 10.1.0.1:34601,10.1.0.2:34601: nothing to write`,
    ]);
  });

  it('notes a switch that only moves the meta servers of the same cluster', async () => {
    const plan = expectPlan(
      await planSwitch({
        next: { clusterName: SOURCE.clusterName, metaAddrs: '10.9.0.1:34601,10.9.0.2:34601' },
      }),
    );
    expect(plan.notes).toEqual([
      "the cluster name stays 'c3srv-ad': only the meta server list changes (meta servers moved?)",
    ]);
  });
});

describe('applying a switch', () => {
  it('writes the new bytes with a compare-and-set, audits both values, and keeps the rollback record', async () => {
    const before = await zk.bytesAt(PATH);
    const result = await switchMetaProxyEntry(
      zk,
      { root: ROOT, table: 'user_profile', next: TARGET, expectCluster: 'c3srv-ad' },
      { audit },
    );
    if (!result.ok) throw new Error(result.message);
    expect((await zk.bytesAt(PATH)).equals(buildMetaProxyPayload(TARGET))).toBe(true);
    expect(result).toMatchObject({
      changed: true,
      previous: { version: 0, ...SOURCE },
      current: { version: 1, ...TARGET },
      forced: false,
    });
    expect(result.rollback).toEqual({
      root: ROOT,
      table: 'user_profile',
      path: PATH,
      previous: {
        version: 0,
        ...SOURCE,
        text: before.toString('utf8'),
        base64: before.toString('base64'),
        digest: dataDigest(before),
      },
      written: { version: 1, ...TARGET, digest: dataDigest(buildMetaProxyPayload(TARGET)) },
      auditEventId: result.auditEventId,
    });
    const [event] = store.events.list();
    expect(event).toMatchObject({
      id: result.auditEventId,
      action: 'metaproxy.switched',
      actor: 'tester',
      target: audit.target,
    });
    expect(event?.detail).toMatchObject({
      path: PATH,
      expectCluster: 'c3srv-ad',
      expectedVersion: 0,
      before: {
        version: 0,
        ...SOURCE,
        json: before.toString('utf8'),
        digest: dataDigest(before),
        bytes: before.length,
      },
      after: { version: 1, ...TARGET, json: buildMetaProxyPayload(TARGET).toString('utf8') },
    });
  });

  it('refuses when the entry changed between the read and the write: nothing written, refusal audited', async () => {
    const plan = expectPlan(await planSwitch());
    const theirs = bytes(metaProxyEntryJson('c5srv-other', ['10.5.0.1:34601', '10.5.0.2:34601']));
    const refused = expectRefusal(
      await applyMetaProxyPlan(zk, plan, {
        audit,
        beforeWrite: async () => zk.tree.setDataSync(PATH, theirs),
      }),
    );
    expect(refused.code).toBe('changed-underneath');
    expect(refused.message).toBe(
      `The entry changed underneath you: now cluster 'c5srv-other' at 10.5.0.1:34601,10.5.0.2:34601 (version 1), expected cluster 'c3srv-ad' at ${SOURCE.metaAddrs} (version 0); nothing was written. Someone else may be switching this table: look at the entry again before deciding.`,
    );
    expect((await zk.bytesAt(PATH)).equals(theirs)).toBe(true);
    const [event] = store.events.list();
    expect(event?.action).toBe('metaproxy.switch-refused');
    expect(event?.detail).toMatchObject({
      code: 'changed-underneath',
      written: false,
      expected: { version: 0, clusterName: 'c3srv-ad' },
      found: { version: 1, clusterName: 'c5srv-other' },
      attempted: { clusterName: 'c4srv-ad' },
    });
  });

  it('refuses when the entry was deleted between the read and the write', async () => {
    const plan = expectPlan(await planSwitch());
    const refused = expectRefusal(
      await applyMetaProxyPlan(zk, plan, { audit, beforeWrite: async () => zk.tree.removeSync(PATH) }),
    );
    expect(refused.code).toBe('deleted-underneath');
    expect(refused.message).toBe(
      `The entry was deleted underneath you: expected cluster 'c3srv-ad' at ${SOURCE.metaAddrs} (version 0); nothing was written. meta-proxy cannot route user_profile until an entry exists again.`,
    );
  });

  it('reads back after a lost answer: a write that landed is a success', async () => {
    const plan = expectPlan(await planSwitch());
    zk.loseNextAnswer = 'after-apply';
    const result = await applyMetaProxyPlan(zk, plan, { audit });
    expect(result).toMatchObject({
      ok: true,
      changed: true,
      current: { version: 1, clusterName: 'c4srv-ad' },
    });
    expect(store.events.list()[0]?.action).toBe('metaproxy.switched');
  });

  it('reads back after a lost answer: a write that did not land fails with "nothing was written"', async () => {
    const plan = expectPlan(await planSwitch());
    zk.loseNextAnswer = 'before-apply';
    const error = await applyMetaProxyPlan(zk, plan, { audit }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MetaProxyWriteError);
    expect((error as MetaProxyWriteError).written).toBe(false);
    expect((error as Error).message).toBe(
      `Could not write ${PATH}: connection lost. The entry was read back unchanged, so nothing was written: retry when the connection is back.`,
    );
    expect(store.events.list()[0]).toMatchObject({
      action: 'metaproxy.switch-failed',
      detail: { written: false },
    });
  });

  it('says the outcome is unknown when the entry cannot be read back', async () => {
    const plan = expectPlan(await planSwitch());
    zk.loseNextAnswer = 'after-apply';
    const write = applyMetaProxyPlan(zk, plan, {
      audit,
      beforeWrite: async () => {
        // The read-back after the lost answer fails too.
        const original = zk.getData.bind(zk);
        zk.getData = async (path) => {
          if (zk.setDataCalls > 0) throw new InMemoryZkError('CONNECTION_LOSS', 'still lost');
          return original(path);
        };
      },
    });
    const error = (await write.catch((caught: unknown) => caught)) as MetaProxyWriteError;
    expect(error.written).toBe('unknown');
    expect(error.message).toMatch(
      /the write may or may not have landed\. Read the entry before doing anything else; it should hold either cluster 'c3srv-ad' at .* or cluster 'c4srv-ad' at /,
    );
    expect(store.events.list()[0]).toMatchObject({
      action: 'metaproxy.switch-failed',
      detail: { written: 'unknown' },
    });
  });

  it('fails a write ZooKeeper refuses (no permission) with the reason, audited, nothing written', async () => {
    const plan = expectPlan(await planSwitch());
    zk.failNextWrite = 'NO_AUTH';
    await expect(applyMetaProxyPlan(zk, plan, { audit })).rejects.toThrow(
      `Could not write ${PATH}: NO_AUTH writing ${PATH}. Nothing was written.`,
    );
    expect(store.events.list()[0]).toMatchObject({
      action: 'metaproxy.switch-failed',
      detail: { error: { code: 'NO_AUTH' }, written: false },
    });
  });

  it('records a switch with nothing to write, and refuses it if the entry moved since the plan', async () => {
    zk.tree.setDataSync(PATH, buildMetaProxyPayload(TARGET));
    const plan = expectPlan(await planSwitch());
    const result = await applyMetaProxyPlan(zk, plan, { audit });
    expect(result).toMatchObject({ ok: true, changed: false, rollback: null });
    expect(zk.setDataCalls).toBe(0);
    expect(store.events.list()[0]?.action).toBe('metaproxy.switch-unchanged');
    zk.tree.setDataSync(PATH, buildMetaProxyPayload(SOURCE));
    expect(expectRefusal(await applyMetaProxyPlan(zk, plan, { audit })).code).toBe('changed-underneath');
  });
});

describe('rolling back', () => {
  async function switched(): Promise<MetaProxyWriteResult> {
    const result = await switchMetaProxyEntry(
      zk,
      { root: ROOT, table: 'user_profile', next: TARGET, expectCluster: 'c3srv-ad' },
      { audit },
    );
    if (!result.ok) throw new Error(result.message);
    return result;
  }

  it('restores the recorded previous value byte for byte, compare-and-set against our write', async () => {
    // The previous value was written compactly by another tool: the rollback restores those exact bytes.
    const compact = bytes(JSON.stringify({ cluster_name: SOURCE.clusterName, meta_addrs: SOURCE.metaAddrs }));
    zk.tree.setDataSync(PATH, compact);
    const result = await switched();
    const back = await rollbackMetaProxyEntry(
      zk,
      { root: ROOT, table: 'user_profile', restore: { record: result.rollback! } },
      { audit },
    );
    if (!back.ok) throw new Error(back.message);
    expect((await zk.bytesAt(PATH)).equals(compact)).toBe(true);
    expect(back).toMatchObject({
      changed: true,
      previous: { version: 2, clusterName: 'c4srv-ad' },
      current: { version: 3, clusterName: 'c3srv-ad' },
    });
    expect(store.events.list()[0]).toMatchObject({
      action: 'metaproxy.rolled-back',
      detail: {
        lastWrite: { version: 2 },
        forced: false,
        before: { clusterName: 'c4srv-ad' },
        after: { json: compact.toString('utf8') },
      },
    });
  });

  it('refuses when someone changed the entry after our write, showing both values; --force goes ahead', async () => {
    const result = await switched();
    const theirs = bytes(metaProxyEntryJson('c5srv-other', ['10.5.0.1:34601', '10.5.0.2:34601']));
    zk.tree.setDataSync(PATH, theirs);
    const input = { root: ROOT, table: 'user_profile', restore: { record: result.rollback! } };
    const refused = expectRefusal(await rollbackMetaProxyEntry(zk, input, { audit }));
    expect(refused.code).toBe('changed-since-write');
    expect(refused.message).toBe(
      `The entry at ${PATH} changed since this tool wrote it: it wrote cluster 'c4srv-ad' at 10.1.0.1:34601,10.1.0.2:34601 (version 1), it now holds cluster 'c5srv-other' at 10.5.0.1:34601,10.5.0.2:34601 (version 2). Someone or something switched it after us, and restoring cluster 'c3srv-ad' at ${SOURCE.metaAddrs} would overwrite that change. Find out who changed it; if restoring is still right, run the rollback again with --force (still a compare-and-set against the version read then). Nothing was written.`,
    );
    expect((await zk.bytesAt(PATH)).equals(theirs)).toBe(true);
    expect(store.events.list()[0]?.action).toBe('metaproxy.rollback-refused');

    const forced = await rollbackMetaProxyEntry(zk, { ...input, force: true }, { audit });
    expect(forced).toMatchObject({
      ok: true,
      changed: true,
      forced: true,
      current: { clusterName: 'c3srv-ad' },
    });
    expect(store.events.list()[0]).toMatchObject({
      action: 'metaproxy.rolled-back',
      detail: { forced: true },
    });
  });

  it('restores a value typed from a ticket, checking the expected current cluster', async () => {
    await switched();
    const wrong = expectRefusal(
      await planMetaProxyRollback(zk, {
        root: ROOT,
        table: 'user_profile',
        restore: { value: SOURCE },
        expectCluster: 'c3srv-ad',
      }),
    );
    expect(wrong.code).toBe('wrong-cluster');
    expect(wrong.message).toBe(
      `The entry at ${PATH} routes user_profile to cluster 'c4srv-ad' at 10.1.0.1:34601,10.1.0.2:34601 (version 1), not to 'c3srv-ad' as expected. Nothing was written.`,
    );
    const plan = expectPlan(
      await planMetaProxyRollback(zk, {
        root: ROOT,
        table: 'user_profile',
        restore: { value: SOURCE },
        expectCluster: 'c4srv-ad',
      }),
    );
    expect(plan.notes).toEqual([
      'no record of what this tool wrote to this entry: the only guards are the expected cluster (if given) and the compare-and-set against the version read now',
    ]);
    expect(await applyMetaProxyPlan(zk, plan, { audit })).toMatchObject({ ok: true, changed: true });
    expect((await zk.bytesAt(PATH)).equals(buildMetaProxyPayload(SOURCE))).toBe(true);
  });

  it('finds what this tool last wrote in the audit log', async () => {
    const result = await switched();
    expect(findLastMetaProxyWrite(store.events, audit.target)).toMatchObject({
      version: 1,
      digest: result.current.digest,
      clusterName: 'c4srv-ad',
      metaAddrs: TARGET.metaAddrs,
      eventId: result.auditEventId,
    });
    expect(findLastMetaProxyWrite(store.events, 'zk://elsewhere/x')).toBeNull();
  });

  it('refuses an invalid value to restore, a damaged record and a record for another entry', async () => {
    const invalid = expectRefusal(
      await planMetaProxyRollback(zk, {
        root: ROOT,
        table: 'user_profile',
        restore: { value: { clusterName: 'c3', metaAddrs: 'a:1' } },
      }),
    );
    expect(invalid.code).toBe('invalid-restore');
    expect(invalid.message).toMatch(
      /^The value to restore for user_profile is refused, nothing was written: only one meta server \(a:1\): .*\.$/,
    );
    const result = await switched();
    const record = result.rollback!;
    const damaged = { ...record, previous: { ...record.previous, digest: dataDigest(bytes('other')) } };
    expect(
      expectRefusal(
        await planMetaProxyRollback(zk, { root: ROOT, table: 'user_profile', restore: { record: damaged } }),
      ).problems,
    ).toEqual(["the record's previous value does not match its digest: the record is damaged"]);
    zk.seed(`${ROOT}/other_table`, metaProxyEntryJson('c4srv-ad', ['10.1.0.1:34601', '10.1.0.2:34601']));
    const other = expectRefusal(
      await planMetaProxyRollback(zk, { root: ROOT, table: 'other_table', restore: { record } }),
    );
    expect(other.message).toBe(
      `The rollback record is for ${PATH}, not ${ROOT}/other_table: nothing was written.`,
    );
  });

  it('has nothing to do when the entry already holds the value', async () => {
    const plan = expectPlan(
      await planMetaProxyRollback(zk, { root: ROOT, table: 'user_profile', restore: { value: SOURCE } }),
    );
    expect(plan.unchanged).toBe(true);
  });
});

describe('listing routes', () => {
  it('gives table, cluster, addresses as stored, validity and the problem', async () => {
    zk.seed(`${ROOT}/single`, metaProxyEntryJson('c3srv-ad', ['10.0.0.1:34601']));
    zk.seed(`${ROOT}/twice`, metaProxyEntryJson('c3srv-ad', ['10.0.0.1:34601', '10.0.0.1:34601']));
    zk.seed(`${ROOT}/broken`, 'not json');
    zk.seed(`${ROOT}/rfc_draft`, REFERENCE_PAYLOADS.metaProxyRfcDraft);
    const listed = await listMetaProxyRoutes(zk.tree, ROOT);
    expect(listed.rows.map((row) => [row.table, row.clusterName, row.metaAddrs, row.valid])).toEqual([
      ['broken', null, null, false],
      ['rfc_draft', '', '', false],
      ['single', 'c3srv-ad', '10.0.0.1:34601', false],
      ['twice', 'c3srv-ad', '10.0.0.1:34601,10.0.0.1:34601', false],
      ['user_profile', 'c3srv-ad', SOURCE.metaAddrs, true],
    ]);
    expect(listed.rows[0]?.problem).toMatch(/^invalid JSON, meta-proxy would crash/);
    expect(listed.rows[1]?.problem).toMatch(/^no cluster_name and no meta_addrs: .*RFC draft/);
    expect(listed.rows[2]?.problem).toMatch(/^only one meta server/);
    expect(listed.rows[3]?.problem).toMatch(/is listed twice/);
    expect(listed.rows[4]?.problem).toBeNull();
    expect(listed.warnings).toEqual([]);
  });
});
