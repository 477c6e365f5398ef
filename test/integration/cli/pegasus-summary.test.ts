/**
 * `mdesk pegasus summary` against a cluster seeded into a real ZooKeeper, through the CLI's own
 * dispatcher and command registry (what electron/cli.ts runs): the JSON shape of issue 4 item 10,
 * exit codes, and credentials from MDESK_ZK_AUTH or a saved connection, never argv.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DATABASE_FILE } from '../../../electron/host/start-host';
import { createSecretBox, loadOrCreateKeyFile } from '../../../electron/platform/secret-box';
import { openStore } from '../../../electron/store/open-store';
import { digestAcl } from '../../../electron/zk/acl';
import type { ZkSession } from '../../../electron/zk/zk-session';
import type { SeededCluster } from '../../fixtures/pegasus-cluster/seed-cluster';
import { connectTestZk, seedLiveCluster } from '../../setup/pegasus-live-cluster';
import { SUMMARY_KEYS, SUMMARY_TABLE_KEYS } from '../../fixtures/pegasus-cluster/summary-shape';
import { runMdesk } from '../../setup/cli-in-process';
import { removeTree, uniqueTestRoot } from '../../setup/zk-test-helpers';

const zk = inject('zkPrimary');
const base = uniqueTestRoot('pegasus-cli');
const root = `${base}/pegasus/c1`;
const secretPolicy = `${root}/backup/secret_policy`;
const emptyDataDir = mkdtempSync(join(tmpdir(), 'mdesk-cli-empty-'));
const savedDataDir = mkdtempSync(join(tmpdir(), 'mdesk-cli-saved-'));

let session: ZkSession;
let seeded: SeededCluster;

async function run(argv: string[], env: Record<string, string> = {}) {
  const { code, stdout, stderr } = await runMdesk(['pegasus', 'summary', ...argv], env);
  return { code, stdout, stderr };
}

beforeAll(async () => {
  session = await connectTestZk(zk);
  seeded = await seedLiveCluster(session, zk, {
    root,
    seed: 11,
    tables: 5,
    partitions: 4,
    droppedTables: 1,
  });
  // One backup policy only the 'ops' digest identity may read.
  await session.create(
    secretPolicy,
    Buffer.from('{"policy_name":"secret_policy","backup_provider_type":"hdfs","app_ids":[1]}'),
    { acl: [digestAcl('ops', 's3cret', 'cdrwa')] },
  );
  const store = openStore({
    file: join(savedDataDir, DATABASE_FILE),
    secretBox: createSecretBox(loadOrCreateKeyFile(savedDataDir)),
  });
  store.connections.create({
    name: 'prod-zk',
    connectString: zk,
    chroot: null,
    sessionTimeoutMs: 10_000,
    connectTimeoutMs: 5_000,
    digestAuth: 'ops:s3cret',
  });
  store.close();
});

afterAll(async () => {
  await seeded?.close();
  if (session) {
    await removeTree(session, base);
    await session.close();
  }
  rmSync(emptyDataDir, { recursive: true, force: true });
  rmSync(savedDataDir, { recursive: true, force: true });
});

describe('mdesk pegasus summary', () => {
  it('prints exactly one JSON object with the documented keys, matching the seeded cluster', async () => {
    const { code, stdout } = await run([`zk://${zk}${root}`, '--json', '--data-dir', emptyDataDir]);
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n')).toHaveLength(1);
    const summary = JSON.parse(stdout);
    expect(Object.keys(summary)).toEqual(SUMMARY_KEYS);
    expect(Object.keys(summary.tables[0])).toEqual(SUMMARY_TABLE_KEYS);
    const expected = seeded.expected;
    expect(summary.clusterRoot).toBe(root);
    expect(summary.metaLeader).toBe(expected.metaLeader);
    expect(summary.metaCandidates).toEqual(expected.metaCandidates);
    expect(summary.nodes).toEqual(expected.nodes);
    expect(
      summary.tables.map((t: { appId: number; unhealthy: number; status: string }) => [
        t.appId,
        t.status,
        t.unhealthy,
      ]),
    ).toEqual(expected.tables.map((t) => [t.appId, t.status, t.unhealthy]));
    const dup = summary.tables.flatMap((t: { duplications: unknown[] }) => t.duplications)[0];
    expect(Object.keys(dup)).toEqual(['dupid', 'status', 'remote', 'failMode']);
    // Without credentials the protected policy is a warning that names its node, and the exit is still 0.
    expect(summary.warnings).toEqual([expect.stringMatching(new RegExp(`^${secretPolicy}: cannot read`))]);
  });

  it('reads protected nodes with MDESK_ZK_AUTH', async () => {
    const { code, stdout, stderr } = await run([`zk://${zk}${root}`, '--json', '--data-dir', emptyDataDir], {
      MDESK_ZK_AUTH: 'digest:ops:s3cret',
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).warnings).toEqual([]);
    expect(stderr).not.toMatch(/s3cret/);
  });

  it('uses the credential of a saved connection: the one named, or the one to the same servers', async () => {
    const byHosts = await run([`zk://${zk}${root}`, '--json', '--data-dir', savedDataDir]);
    expect(byHosts.code).toBe(0);
    expect(byHosts.stderr).toMatch(/using the credential of saved connection 'prod-zk'/);
    expect(JSON.parse(byHosts.stdout).warnings).toEqual([]);
    const byName = await run([`@prod-zk:${root}`, '--json', '--data-dir', savedDataDir]);
    expect(byName.code).toBe(0);
    expect(JSON.parse(byName.stdout).warnings).toEqual([]);
  });

  it('prints a text report without --json', async () => {
    const { code, stdout } = await run([`zk://${zk}${root}`, '--data-dir', emptyDataDir]);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`cluster root   ${root}`));
    expect(stdout).toMatch(new RegExp(`meta leader    ${seeded.expected.metaLeader}`));
  });

  it('exits 1 with the reason when the root cannot be read, 2 on usage errors', async () => {
    const missing = await run([`zk://${zk}${base}/nothing`, '--json', '--data-dir', emptyDataDir]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/There is no node at .*nothing/);

    const unreachable = await run(['zk://127.0.0.1:1/pegasus/c1', '--json', '--data-dir', emptyDataDir]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/Could not reach 127\.0\.0\.1:1/);

    const inUrl = await run([`zk://ops:s3cret@${zk}${root}`, '--json', '--data-dir', emptyDataDir]);
    expect(inUrl.code).toBe(2);
    expect(inUrl.stderr).toMatch(/carries credentials/);
    expect(inUrl.stderr).not.toMatch(/s3cret.*s3cret/);
    expect((await run(['http://x/y', '--data-dir', emptyDataDir])).code).toBe(2);
    expect((await run([`zk://${zk}${root}`, '--bogus'])).stderr).toMatch(/Unknown option '--bogus'/);
    const badEnv = await run([`zk://${zk}${root}`, '--json', '--data-dir', emptyDataDir], {
      MDESK_ZK_AUTH: 'ops:s3cret',
    });
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr).toMatch(/MDESK_ZK_AUTH must look like digest:user:password/);
  });
});
