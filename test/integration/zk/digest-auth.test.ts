import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { digestAcl, digestAclId } from '../../../electron/zk/acl';
import { ZkError } from '../../../electron/zk/errors';
import { ZkSession } from '../../../electron/zk/zk-session';
import { removeTree, uniqueTestRoot } from '../../setup/zk-test-helpers';

const connectString = inject('zkPrimary');
const root = uniqueTestRoot('auth');
const secret = `${root}/secret`;
const sessions: ZkSession[] = [];

async function open(digestAuth?: string[]): Promise<ZkSession> {
  const session = await ZkSession.connect({
    connectString,
    sessionTimeoutMs: 10_000,
    connectTimeoutMs: 5_000,
    digestAuth,
  });
  sessions.push(session);
  return session;
}

async function failure(promise: Promise<unknown>): Promise<ZkError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ZkError);
  return error as ZkError;
}

let owner: ZkSession;

beforeAll(async () => {
  owner = await open(['ops:s3cret']);
  await owner.create(root, Buffer.alloc(0));
  await owner.create(secret, Buffer.from('classified'), { acl: [digestAcl('ops', 's3cret', 'cdrwa')] });
  await owner.create(`${secret}/child`, Buffer.from('inner'), { acl: [digestAcl('ops', 's3cret', 'cdrwa')] });
});

afterAll(async () => {
  await removeTree(owner, root);
  await Promise.all(sessions.map((s) => s.close()));
});

describe('digest auth', () => {
  it('a node with a digest ACL is NO_AUTH without the credential', async () => {
    const anonymous = await open();
    const read = await failure(anonymous.getData(secret));
    expect(read.code).toBe('NO_AUTH');
    expect(read.path).toBe(secret);
    expect(read.message).toBe(
      `Not authorized to read ${secret}: add a digest credential (user:password) that this node's ACL grants`,
    );
    expect((await failure(anonymous.getChildren(secret))).code).toBe('NO_AUTH');
    expect((await failure(anonymous.getACL(secret))).code).toBe('NO_AUTH');
    const write = await failure(anonymous.setData(secret, Buffer.from('x'), -1));
    expect(write.code).toBe('NO_AUTH');
    expect(write.message).toMatch(/^Not authorized to write /);
    expect((await failure(anonymous.create(`${secret}/new`, Buffer.alloc(0)))).code).toBe('NO_AUTH');
    // exists needs no permission: the node is visible, its content is not.
    expect((await anonymous.exists(secret))?.dataLength).toBe('classified'.length);
  });

  it('a wrong password is not an auth failure, just no access', async () => {
    const wrong = await open(['ops:wrong']);
    expect(wrong.state).toBe('connected');
    expect((await failure(wrong.getData(secret))).code).toBe('NO_AUTH');
  });

  it('is readable and writable with the credential, among others', async () => {
    const reader = await open(['someone:else', 'ops:s3cret']);
    const { data } = await reader.getData(secret);
    expect(data.toString()).toBe('classified');
    expect((await reader.getChildren(secret)).children).toEqual(['child']);
    const acl = await reader.getACL(secret);
    // With ADMIN on the node the server shows the full digest id (masked as ops:x otherwise).
    expect(acl.acl).toEqual([{ scheme: 'digest', id: digestAclId('ops', 's3cret'), perms: 'cdrwa' }]);
    await reader.setData(`${secret}/child`, Buffer.from('changed'), 0);
    expect((await owner.getData(`${secret}/child`)).data.toString()).toBe('changed');
  });

  it('refuses a credential that is not user:password before connecting', async () => {
    const error = await failure(
      ZkSession.connect({
        connectString,
        sessionTimeoutMs: 5000,
        connectTimeoutMs: 2000,
        digestAuth: ['just-a-password'],
      }),
    );
    expect(error.code).toBe('BAD_ARGUMENTS');
    expect(error.message).toMatch(/user:password/);
  });
});
