/**
 * `mdesk metaproxy list|switch|rollback` against a real ZooKeeper server, through the CLI's own
 * dispatcher and registry (what electron/cli.ts runs): exit codes, --json last lines, the preview
 * without --yes, refusals, a concurrent writer between the CLI's read and write, credentials from
 * MDESK_ZK_AUTH, and the audit rows in the --data-dir store.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DATABASE_FILE } from '../../../electron/host/start-host';
import { buildMetaProxyPayload } from '../../../electron/pegasus/meta-proxy-switch';
import { createSecretBox, loadOrCreateKeyFile } from '../../../electron/platform/secret-box';
import { openStore } from '../../../electron/store/open-store';
import { digestAcl } from '../../../electron/zk/acl';
import { ZkSession } from '../../../electron/zk/zk-session';
import { metaProxyEntryJson } from '../../fixtures/pegasus-cluster/payloads';
import { runMdesk } from '../../setup/cli-in-process';
import { readWithKazoo, removeTree, uniqueTestRoot } from '../../setup/zk-test-helpers';

const zk = inject('zkPrimary');
const base = uniqueTestRoot('metaproxy-cli');
const root = `${base}/pegasus-cluster`;
const ROOT_URL = `zk://${zk}${root}`;
const SOURCE = { clusterName: 'c3srv-ad', metas: '10.0.0.1:34601,10.0.0.2:34601,10.0.0.3:34601' };
const TARGET = { clusterName: 'c4srv-ad', metas: '10.1.0.1:34601,10.1.0.2:34601' };
const sourceBytes = Buffer.from(metaProxyEntryJson(SOURCE.clusterName, SOURCE.metas.split(',')));
const targetBytes = buildMetaProxyPayload({ clusterName: TARGET.clusterName, metaAddrs: TARGET.metas });
const dataDirs: string[] = [];
const newDataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'mdesk-metaproxy-cli-'));
  dataDirs.push(dir);
  return dir;
};

let session: ZkSession;

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
  /** The last line of stdout, parsed. */
  json: Record<string, unknown> | unknown[] | null;
}

async function mdesk(
  args: string[],
  options: { env?: Record<string, string>; onStderr?: (text: string) => void } = {},
): Promise<Outcome> {
  const outcome = await runMdesk(
    args,
    { ...process.env, MDESK_ZK_AUTH: '', ...options.env },
    options.onStderr ? { onStderr: options.onStderr } : {},
  );
  return { ...outcome, json: (outcome.json ?? null) as Outcome['json'] };
}

/** The audit rows of one data dir, newest first (read with a store of its own, as the app would). */
function auditRows(dataDir: string) {
  const store = openStore({
    file: join(dataDir, DATABASE_FILE),
    secretBox: createSecretBox(loadOrCreateKeyFile(dataDir)),
  });
  try {
    return store.events.list({ actionPrefix: 'metaproxy.' });
  } finally {
    store.close();
  }
}

const KAZOO_SET = `
import base64, sys
from kazoo.client import KazooClient
zk = KazooClient(hosts=sys.argv[1], timeout=10.0)
zk.start(timeout=15)
try:
    zk.set(sys.argv[2], base64.b64decode(sys.stdin.read().strip()))
finally:
    zk.stop()
    zk.close()
`;

/**
 * Writes through kazoo and returns only when the write is done: run from the CLI's output callback,
 * it lands between the CLI's read and its compare-and-set, deterministically (the CLI's event loop
 * waits for it).
 */
function writeWithKazooNow(path: string, data: Buffer): void {
  const python =
    process.env.KAZOO_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
  execFileSync(python, ['-c', KAZOO_SET, zk, path], { input: data.toString('base64'), timeout: 30_000 });
}

async function seedEntry(table: string, data: Buffer = sourceBytes): Promise<string> {
  const path = `${root}/${table}`;
  await session.create(path, data);
  return path;
}

const switchArgs = (table: string, dataDir: string, extra: string[] = []) => [
  'metaproxy',
  'switch',
  ROOT_URL,
  table,
  '--cluster',
  TARGET.clusterName,
  '--metas',
  TARGET.metas,
  '--expect-cluster',
  SOURCE.clusterName,
  '--data-dir',
  dataDir,
  ...extra,
];

beforeAll(async () => {
  session = await ZkSession.connect({ connectString: zk, sessionTimeoutMs: 10_000, connectTimeoutMs: 5_000 });
  await session.create(base, Buffer.alloc(0));
  await session.create(root, Buffer.alloc(0));
});

afterAll(async () => {
  if (session) {
    await removeTree(session, base);
    await session.close();
  }
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

// kazoo (a Python process per call) is slow to start on a loaded machine: generous, bounded.
describe('mdesk metaproxy', { timeout: 90_000 }, () => {
  it('switch without --yes shows the change, writes nothing, exits 2 and leaves no store behind', async () => {
    const path = await seedEntry('preview_table');
    const dataDir = newDataDir();
    const out = await mdesk(switchArgs('preview_table', dataDir, ['--json']));
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(
      /now: {4}cluster 'c3srv-ad' at 10\.0\.0\.1:34601,10\.0\.0\.2:34601,10\.0\.0\.3:34601/,
    );
    expect(out.stderr).toContain(`bytes:  ${targetBytes.toString('utf8')}`);
    expect(out.stderr).toMatch(
      /Nothing written: add --yes to switch preview_table to cluster 'c4srv-ad' \(a compare-and-set against version 0\)/,
    );
    expect(out.json).toEqual({
      table: 'preview_table',
      path,
      previous: { clusterName: 'c3srv-ad', metaAddrs: SOURCE.metas, version: 0 },
      current: { clusterName: 'c3srv-ad', metaAddrs: SOURCE.metas, version: 0 },
      changed: false,
      dryRun: true,
      next: { clusterName: 'c4srv-ad', metaAddrs: TARGET.metas },
    });
    expect((await session.getData(path)).data.equals(sourceBytes)).toBe(true);
    expect(existsSync(join(dataDir, DATABASE_FILE))).toBe(false);
  });

  it('switch --yes writes the exact bytes, prints the JSON last line and the rollback command, and audits', async () => {
    const path = await seedEntry('switch_table');
    const dataDir = newDataDir();
    // A pasted list with spaces is written without them.
    const args = switchArgs('switch_table', dataDir, ['--yes', '--json']);
    args[args.indexOf('--metas') + 1] = ' 10.1.0.1:34601, 10.1.0.2:34601 ';
    const out = await mdesk(args);
    expect(out.code).toBe(0);
    expect(out.json).toMatchObject({
      table: 'switch_table',
      path,
      previous: { clusterName: 'c3srv-ad', metaAddrs: SOURCE.metas, version: 0 },
      current: { clusterName: 'c4srv-ad', metaAddrs: TARGET.metas, version: 1 },
      changed: true,
      forced: false,
      rollback: {
        path,
        previous: { version: 0, base64: sourceBytes.toString('base64') },
        written: { version: 1 },
      },
    });
    expect((await readWithKazoo(zk, path))?.equals(targetBytes)).toBe(true);
    expect(out.stderr).toContain(
      `To roll back: mdesk metaproxy rollback ${ROOT_URL} switch_table --to-cluster c3srv-ad --to-metas ${SOURCE.metas} --expect-cluster c4srv-ad --yes`,
    );
    const rows = auditRows(dataDir);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'metaproxy.switched',
      target: `zk://${zk}${path}`,
      detail: {
        before: { version: 0, clusterName: 'c3srv-ad', json: sourceBytes.toString('utf8') },
        after: { version: 1, clusterName: 'c4srv-ad', json: targetBytes.toString('utf8') },
      },
    });
    expect((out.json as { auditEventId: number }).auditEventId).toBe(rows[0]?.id);

    // Running it again changes nothing and still exits 0 (a runbook step re-run after a restart).
    const again = await mdesk(switchArgs('switch_table', dataDir, ['--yes', '--json']));
    expect(again.code).toBe(0);
    expect(again.json).toMatchObject({ changed: false, current: { version: 1 } });
    expect(auditRows(dataDir)[0]?.action).toBe('metaproxy.switch-unchanged');
  });

  it('refuses (exit 1) when the entry does not name the expected cluster, and audits the refusal', async () => {
    const path = await seedEntry('wrong_cluster_table');
    const dataDir = newDataDir();
    const args = switchArgs('wrong_cluster_table', dataDir, ['--yes', '--json']);
    args[args.indexOf('--expect-cluster') + 1] = 'c9srv-nope';
    const out = await mdesk(args);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(
      `mdesk metaproxy switch: The entry at ${path} routes wrong_cluster_table to cluster 'c3srv-ad' at ${SOURCE.metas} (version 0), not to 'c9srv-nope' as expected.`,
    );
    expect(out.json).toMatchObject({
      table: 'wrong_cluster_table',
      changed: false,
      current: { clusterName: 'c3srv-ad', version: 0 },
      refused: { code: 'wrong-cluster' },
    });
    expect((await session.getData(path)).stat.version).toBe(0);
    expect(auditRows(dataDir).map((row) => [row.action, row.detail.code])).toEqual([
      ['metaproxy.switch-refused', 'wrong-cluster'],
    ]);
  });

  it('refuses (exit 2) an invalid new entry with every reason, and bad arguments', async () => {
    await seedEntry('invalid_table');
    const dataDir = newDataDir();
    const args = switchArgs('invalid_table', dataDir);
    args[args.indexOf('--metas') + 1] = '10.1.0.1:34601,10.1.0.1:34601,nope';
    const out = await mdesk(args);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('  - "10.1.0.1:34601" is listed twice');
    expect(out.stderr).toContain('  - "nope" is not host:port');
    const missing = await mdesk([
      'metaproxy',
      'switch',
      ROOT_URL,
      'invalid_table',
      '--cluster',
      'c4srv-ad',
      '--data-dir',
      dataDir,
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /--metas is required \(e\.g\. --metas 10\.0\.0\.1:34601,10\.0\.0\.2:34601\)/,
    );
    const slashRoot = await mdesk(
      switchArgs('invalid_table', dataDir).map((arg) => (arg === ROOT_URL ? `zk://${zk}/` : arg)),
    );
    expect(slashRoot.code).toBe(2);
    expect(slashRoot.stderr).toMatch(/needs a root below '\/'/);
    const credentials = await mdesk(['metaproxy', 'list', `zk://ops:pw@${zk}${root}`, '--data-dir', dataDir]);
    expect(credentials.code).toBe(2);
    expect(credentials.stderr).toMatch(/carries credentials/);
  });

  it('refuses (exit 1) when another client changes the entry between the read and the write', async () => {
    const path = await seedEntry('race_table');
    const dataDir = newDataDir();
    const theirs = Buffer.from(metaProxyEntryJson('c5srv-other', ['10.5.0.1:34601', '10.5.0.2:34601']));
    let raced = false;
    const out = await mdesk(switchArgs('race_table', dataDir, ['--yes', '--json']), {
      // The plan is printed after the read and before the write: the concurrent writer goes there.
      onStderr: (text) => {
        if (!raced && text.startsWith('MetaProxy entry')) {
          raced = true;
          writeWithKazooNow(path, theirs);
        }
      },
    });
    expect(raced).toBe(true);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(
      `The entry changed underneath you: now cluster 'c5srv-other' at 10.5.0.1:34601,10.5.0.2:34601 (version 1), expected cluster 'c3srv-ad' at ${SOURCE.metas} (version 0); nothing was written.`,
    );
    expect(out.json).toMatchObject({
      changed: false,
      previous: { clusterName: 'c3srv-ad', version: 0 },
      current: { clusterName: 'c5srv-other', version: 1 },
      refused: { code: 'changed-underneath' },
    });
    expect((await readWithKazoo(zk, path))?.equals(theirs)).toBe(true);
    expect(auditRows(dataDir)).toMatchObject([
      { action: 'metaproxy.switch-refused', detail: { code: 'changed-underneath', written: false } },
    ]);
  });

  it('rolls back from the ticket, refuses over a later change (exit 1), and --force restores it', async () => {
    const path = await seedEntry('rollback_table');
    const dataDir = newDataDir();
    expect((await mdesk(switchArgs('rollback_table', dataDir, ['--yes']))).code).toBe(0);
    const rollback = (extra: string[]) =>
      mdesk([
        'metaproxy',
        'rollback',
        ROOT_URL,
        'rollback_table',
        '--to-cluster',
        SOURCE.clusterName,
        '--to-metas',
        SOURCE.metas,
        '--expect-cluster',
        TARGET.clusterName,
        '--data-dir',
        dataDir,
        ...extra,
      ]);

    const preview = await rollback([]);
    expect(preview.code).toBe(2);
    expect(preview.stdout).toMatch(
      /last written by mdesk on .* \(audit event \d+\): version 1, cluster 'c4srv-ad'/,
    );

    // Someone re-writes the entry after our switch (same value, new version).
    await session.setData(path, targetBytes, 1);
    const refused = await rollback(['--yes', '--json']);
    expect(refused.code).toBe(1);
    expect(refused.json).toMatchObject({ refused: { code: 'changed-since-write' }, current: { version: 2 } });
    expect(refused.stderr).toMatch(
      /changed since this tool wrote it: it wrote cluster 'c4srv-ad' at .* \(version 1\), it now holds cluster 'c4srv-ad' at .* \(version 2\)/,
    );
    expect((await session.getData(path)).stat.version).toBe(2);

    const forced = await rollback(['--yes', '--json', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.json).toMatchObject({
      changed: true,
      forced: true,
      previous: { clusterName: 'c4srv-ad', version: 2 },
      current: { clusterName: 'c3srv-ad', metaAddrs: SOURCE.metas, version: 3 },
    });
    expect((await readWithKazoo(zk, path))?.equals(sourceBytes)).toBe(true);
    expect(auditRows(dataDir).map((row) => row.action)).toEqual([
      'metaproxy.rolled-back',
      'metaproxy.rollback-refused',
      'metaproxy.switched',
    ]);
    expect(auditRows(dataDir)[0]?.detail).toMatchObject({ forced: true });
  });

  it('rolls back with only the ticket (no switch recorded in the data dir): expected cluster and compare-and-set', async () => {
    const path = await seedEntry('ticket_table', targetBytes);
    const dataDir = newDataDir();
    const args = [
      'metaproxy',
      'rollback',
      ROOT_URL,
      'ticket_table',
      '--to-cluster',
      SOURCE.clusterName,
      '--to-metas',
      SOURCE.metas,
      '--data-dir',
      dataDir,
      '--yes',
      '--json',
    ];
    const wrong = await mdesk([...args, '--expect-cluster', 'c3srv-ad']);
    expect(wrong.code).toBe(1);
    expect(wrong.json).toMatchObject({ refused: { code: 'wrong-cluster' } });
    const out = await mdesk([...args, '--expect-cluster', 'c4srv-ad']);
    expect(out.code).toBe(0);
    expect(out.stderr).toContain('note:   no record of what this tool wrote to this entry');
    expect(out.json).toMatchObject({ changed: true, current: { clusterName: 'c3srv-ad', version: 1 } });
    expect(
      (await session.getData(path)).data.equals(
        buildMetaProxyPayload({ clusterName: SOURCE.clusterName, metaAddrs: SOURCE.metas }),
      ),
    ).toBe(true);
    expect(auditRows(dataDir).map((row) => row.action)).toEqual([
      'metaproxy.rolled-back',
      'metaproxy.rollback-refused',
    ]);
  });

  it('lists the routes as JSON and as text, and exits 1 for a missing root', async () => {
    const listRoot = `${base}/list-root`;
    await session.create(listRoot, Buffer.alloc(0));
    await session.create(`${listRoot}/good`, sourceBytes);
    await session.create(
      `${listRoot}/single`,
      Buffer.from(metaProxyEntryJson('c3srv-ad', ['10.0.0.1:34601'])),
    );
    await session.create(`${listRoot}/broken`, Buffer.from('{"cluster_name": 3}'));
    const dataDir = newDataDir();
    const out = await mdesk(['metaproxy', 'list', `zk://${zk}${listRoot}`, '--json', '--data-dir', dataDir]);
    expect(out.code).toBe(0);
    expect(out.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(out.json).toEqual([
      {
        table: 'broken',
        clusterName: null,
        metaAddrs: null,
        valid: false,
        problem:
          "'cluster_name' should be a string, found the number 3: meta-proxy would crash re-reading it",
      },
      { table: 'good', clusterName: 'c3srv-ad', metaAddrs: SOURCE.metas, valid: true, problem: null },
      {
        table: 'single',
        clusterName: 'c3srv-ad',
        metaAddrs: '10.0.0.1:34601',
        valid: false,
        problem: expect.stringMatching(/^only one meta server \(10\.0\.0\.1:34601\): meta-proxy rejects/),
      },
    ]);
    const text = await mdesk(['metaproxy', 'list', `zk://${zk}${listRoot}`, '--data-dir', dataDir]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^TABLE +CLUSTER +META SERVERS +OK\n/);
    expect(text.stdout).toMatch(
      /\ngood +c3srv-ad +10\.0\.0\.1:34601,10\.0\.0\.2:34601,10\.0\.0\.3:34601 +yes\n/,
    );
    expect(text.stdout).toContain('3 tables, 2 with a problem');
    const missing = await mdesk(['metaproxy', 'list', `zk://${zk}${base}/nothing`, '--data-dir', dataDir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*\/nothing .*There is no node at/);
    expect(existsSync(join(dataDir, DATABASE_FILE))).toBe(false);
  });

  it('takes credentials from MDESK_ZK_AUTH, never from argv, and never prints them', async () => {
    const path = `${root}/protected_table`;
    await session.create(path, sourceBytes, { acl: [digestAcl('ops', 's3cret', 'cdrwa')] });
    const dataDir = newDataDir();
    const denied = await mdesk(switchArgs('protected_table', dataDir, ['--yes']));
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/protected_table/);
    const allowed = await mdesk(switchArgs('protected_table', dataDir, ['--yes', '--json']), {
      env: { MDESK_ZK_AUTH: 'digest:ops:s3cret' },
    });
    expect(allowed.code).toBe(0);
    expect(allowed.json).toMatchObject({ changed: true, current: { version: 1 } });
    expect(`${allowed.stdout}${allowed.stderr}`).not.toContain('s3cret');
    expect(JSON.stringify(auditRows(dataDir))).not.toContain('s3cret');
  });

  it('prints help with examples', async () => {
    for (const command of ['list', 'switch', 'rollback']) {
      const out = await mdesk(['metaproxy', command, '--help']);
      expect(out.code).toBe(0);
      expect(out.stdout).toMatch(new RegExp(`^Usage: mdesk metaproxy ${command} zk://HOST:PORT`));
      expect(out.stdout).toContain('Example');
      expect(out.stdout).toContain('--data-dir DIR');
    }
  });
});
