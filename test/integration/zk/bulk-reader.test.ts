/**
 * The bulk reader against a real ZooKeeper 3.8: the same bytes, stats and errors as ZkSession, with
 * reads coalesced into multiRead requests; digest credentials, chroot, one-request-per-read mode.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ZkBulkReader } from '../../../electron/zk/bulk-read/bulk-reader';
import { digestAcl } from '../../../electron/zk/acl';
import { ZkError } from '../../../electron/zk/errors';
import { ZkSession } from '../../../electron/zk/zk-session';
import { removeTree, uniqueTestRoot } from '../../setup/zk-test-helpers';

const connectString = inject('zkPrimary');
const root = uniqueTestRoot('bulk-reader');
const binary = Buffer.from([0x00, 0xff, 0xc3, 0x28, 0x0a, 0x00]);
const readers: ZkBulkReader[] = [];
let session: ZkSession;

async function open(options: Partial<Parameters<typeof ZkBulkReader.open>[0]> = {}): Promise<ZkBulkReader> {
  const reader = await ZkBulkReader.open({
    connectString,
    sessionTimeoutMs: 10_000,
    connectTimeoutMs: 5_000,
    ...options,
  });
  readers.push(reader);
  return reader;
}

async function failure(promise: Promise<unknown>): Promise<ZkError> {
  const error = await promise.then(
    () => new Error('expected the read to fail'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ZkError);
  return error as ZkError;
}

beforeAll(async () => {
  session = await ZkSession.connect({ connectString, sessionTimeoutMs: 10_000, connectTimeoutMs: 5_000 });
  await session.create(root, Buffer.alloc(0));
  await session.create(`${root}/binary`, binary);
  await session.create(`${root}/empty`, Buffer.alloc(0));
  await session.create(`${root}/many`, Buffer.from('parent'));
  await Promise.all(
    Array.from({ length: 300 }, (_, i) => session.create(`${root}/many/n${i}`, Buffer.from(`value-${i}`))),
  );
  await session.create(`${root}/secret`, Buffer.from('classified'), {
    acl: [digestAcl('ops', 's3cret', 'cdrwa')],
  });
});

afterAll(async () => {
  await Promise.allSettled(readers.map((reader) => reader.close()));
  if (session) {
    await removeTree(session, root);
    await session.close();
  }
});

describe('ZkBulkReader on ZooKeeper 3.8', () => {
  it('uses multiRead and returns the exact bytes and the stat ZkSession reports', async () => {
    const reader = await open();
    expect(reader.stats().mode).toBe('multi-read');
    const [bulk, plain] = await Promise.all([
      reader.getData(`${root}/binary`),
      session.getData(`${root}/binary`),
    ]);
    expect(bulk.data.equals(binary)).toBe(true);
    expect(bulk.stat).toEqual({
      version: plain.stat.version,
      aversion: plain.stat.aversion,
      dataLength: plain.stat.dataLength,
      numChildren: plain.stat.numChildren,
      ctime: plain.stat.ctime,
      mtime: plain.stat.mtime,
      ephemeralOwner: plain.stat.ephemeralOwner,
    });
    const empty = await reader.getData(`${root}/empty`);
    expect(empty.data.length).toBe(0);
    expect((await reader.getData(`${root}/many`)).stat.numChildren).toBe(300);
  });

  it('coalesces reads issued together into a few requests, in order, children sorted', async () => {
    const reader = await open({ maxOpsPerRequest: 64 });
    const before = reader.stats();
    const values = await Promise.all(
      Array.from({ length: 300 }, (_, i) => reader.getData(`${root}/many/n${i}`)),
    );
    expect(values.map((v) => v.data.toString())).toEqual(Array.from({ length: 300 }, (_, i) => `value-${i}`));
    const after = reader.stats();
    expect(after.reads - before.reads).toBe(300);
    expect(after.requests - before.requests).toBe(5);
    expect(after.largestBatch).toBe(64);
    const { children } = await reader.getChildren(`${root}/many`);
    expect(children).toEqual(Array.from({ length: 300 }, (_, i) => `n${i}`).sort());
  });

  it('reads ACLs as plain requests beside the multiRead batches, as ZkSession reports them', async () => {
    const reader = await open({ digestAuth: ['ops:s3cret'] });
    const before = reader.stats();
    const [openAcl, locked, data, plainOpen] = await Promise.all([
      reader.getACL(`${root}/binary`),
      reader.getACL(`${root}/secret`),
      reader.getData(`${root}/empty`),
      session.getACL(`${root}/binary`),
    ]);
    expect(openAcl.acl).toEqual(plainOpen.acl);
    expect(openAcl.stat.aversion).toBe(plainOpen.stat.aversion);
    expect(locked.acl).toEqual([digestAcl('ops', 's3cret', 'cdrwa')]);
    expect(data.data.length).toBe(0);
    // Two getACL requests and one multiRead: getACL cannot ride in a multiRead.
    expect(reader.stats().requests - before.requests).toBe(3);
    // The same ACL bytes give back the same frozen list.
    const again = await reader.getACL(`${root}/empty`);
    expect(again.acl).toBe(openAcl.acl);
    expect(Object.isFrozen(again.acl)).toBe(true);
    expect((await failure(reader.getACL(`${root}/nope`))).code).toBe('NO_NODE');
    // ZooKeeper 3.8 wants READ (or ADMIN) to show an ACL: without the credential, NO_AUTH, named.
    const stranger = await open();
    const denied = await failure(stranger.getACL(`${root}/secret`));
    expect(denied.code).toBe('NO_AUTH');
    expect(denied.message).toMatch(/read the ACL of .*secret/);
  });

  it('fails one read of a batch with NO_NODE or NO_AUTH and answers the others', async () => {
    const reader = await open();
    const [missing, denied, fine] = await Promise.allSettled([
      reader.getData(`${root}/nope`),
      reader.getData(`${root}/secret`),
      reader.getData(`${root}/binary`),
    ]);
    expect(missing.status === 'rejected' && (missing.reason as ZkError).code).toBe('NO_NODE');
    expect(denied.status === 'rejected' && (denied.reason as ZkError).code).toBe('NO_AUTH');
    expect(denied.status === 'rejected' && (denied.reason as ZkError).message).toMatch(/secret/);
    expect(fine.status === 'fulfilled' && fine.value.data.equals(binary)).toBe(true);
    expect((await failure(reader.getChildren(`${root}/nope`))).code).toBe('NO_NODE');
  });

  it('reads what a digest credential grants; a wrong password reads nothing protected', async () => {
    const reader = await open({ digestAuth: ['ops:s3cret'] });
    expect((await reader.getData(`${root}/secret`)).data.toString()).toBe('classified');
    // ZooKeeper accepts any digest identity at auth time; the ACL check is what refuses it.
    const wrong = await open({ digestAuth: ['ops:wrong'] });
    expect((await failure(wrong.getData(`${root}/secret`))).code).toBe('NO_AUTH');
  });

  it('resolves paths below the chroot of the connect string', async () => {
    const reader = await open({ connectString: `${connectString}${root}` });
    expect((await reader.getData('/binary')).data.equals(binary)).toBe(true);
    expect((await reader.getChildren('/')).children).toEqual(['binary', 'empty', 'many', 'secret']);
  });

  it('sends one request per read when multiRead is off, with the same answers', async () => {
    const reader = await open({ multiRead: 'never', sessions: 3 });
    expect(reader.stats()).toMatchObject({ mode: 'single-reads', sessions: 3 });
    const values = await Promise.all(
      Array.from({ length: 50 }, (_, i) => reader.getData(`${root}/many/n${i}`)),
    );
    expect(values[49]?.data.toString()).toBe('value-49');
    expect(reader.stats().requests).toBe(50);
    expect((await failure(reader.getData(`${root}/nope`))).code).toBe('NO_NODE');
  });

  it('rejects bad paths before sending, and reads after close', async () => {
    const reader = await open();
    expect((await failure(reader.getData('relative'))).code).toBe('BAD_ARGUMENTS');
    await reader.close();
    expect((await failure(reader.getData(`${root}/binary`))).code).toBe('CLOSED');
  });

  it('says UNREACHABLE within the connect timeout when nothing listens', async () => {
    const started = Date.now();
    const error = await failure(
      ZkBulkReader.open({ connectString: '127.0.0.1:1', sessionTimeoutMs: 5000, connectTimeoutMs: 1500 }),
    );
    expect(error.code).toBe('UNREACHABLE');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
