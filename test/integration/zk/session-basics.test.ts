import net from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { digestAclId } from '../../../electron/zk/acl';
import { ZkError } from '../../../electron/zk/errors';
import { fourLetterWord } from '../../../electron/zk/four-letter-word';
import { ZkSession } from '../../../electron/zk/zk-session';
import { removeTree, uniqueTestRoot } from '../../setup/zk-test-helpers';

const connectString = inject('zkPrimary');
let session: ZkSession;
const root = uniqueTestRoot('basics');

async function codeOf(promise: Promise<unknown>): Promise<ZkError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ZkError);
  return error as ZkError;
}

beforeAll(async () => {
  session = await ZkSession.connect({ connectString, sessionTimeoutMs: 10_000, connectTimeoutMs: 5_000 });
  await session.create(root, Buffer.from('root'));
});

afterAll(async () => {
  await removeTree(session, root);
  await session.close();
});

describe('ZkSession against a real server', () => {
  it('connects and reports its state and session id', () => {
    expect(session.state).toBe('connected');
    expect(session.sessionId).toMatch(/^0x[0-9a-f]+$/);
    expect(session.connectString).toBe(connectString);
  });

  it('sees the server it talks to through a four-letter word', async () => {
    const [host, port] = connectString.split(':');
    const srvr = await fourLetterWord(host as string, Number(port), 'srvr', 5000);
    expect(srvr).toMatch(/^Mode: standalone$/m);
    expect(await fourLetterWord(host as string, Number(port), 'ruok', 5000)).toBe('imok');
  });

  it('creates, reads, writes with version checks and removes', async () => {
    const path = `${root}/crud`;
    expect(await session.exists(path)).toBeNull();
    expect(await session.create(path, Buffer.from('v0'))).toBe(path);
    const first = await session.getData(path);
    expect(first.data.equals(Buffer.from('v0'))).toBe(true);
    expect(first.stat.version).toBe(0);
    expect(first.stat.dataLength).toBe(2);
    expect(first.stat.ephemeralOwner).toBe('0x0');
    expect(first.stat.czxid).toMatch(/^0x[0-9a-f]+$/);
    expect(Math.abs(first.stat.ctime - Date.now())).toBeLessThan(60_000);

    const written = await session.setData(path, Buffer.from('v1'), 0);
    expect(written.version).toBe(1);
    expect(BigInt(written.mzxid)).toBeGreaterThan(BigInt(first.stat.mzxid));

    const stale = await codeOf(session.setData(path, Buffer.from('lost update'), 0));
    expect(stale.code).toBe('BAD_VERSION');
    expect(stale.path).toBe(path);
    expect(stale.message).toBe(
      `${path} was changed by someone else (it is no longer at version 0): reload it and apply your change again`,
    );
    expect((await session.getData(path)).data.toString()).toBe('v1');

    expect((await session.setData(path, Buffer.from('v2'), -1)).version).toBe(2);
    expect((await codeOf(session.remove(path, 1))).code).toBe('BAD_VERSION');
    await session.remove(path, 2);
    expect(await session.exists(path)).toBeNull();

    const gone = await codeOf(session.getData(path));
    expect(gone.code).toBe('NO_NODE');
    expect(gone.message).toBe(`${path} does not exist (it may have been deleted)`);
  });

  it("maps the server's refusals to codes with messages", async () => {
    const parent = `${root}/refusals`;
    await session.create(parent, Buffer.alloc(0));
    await session.create(`${parent}/child`, Buffer.alloc(0));
    expect((await codeOf(session.create(parent, Buffer.alloc(0)))).code).toBe('NODE_EXISTS');
    const notEmpty = await codeOf(session.remove(parent, -1));
    expect(notEmpty.code).toBe('NOT_EMPTY');
    expect(notEmpty.message).toMatch(/has children/);
    const orphan = await codeOf(session.create(`${root}/missing/child`, Buffer.alloc(0)));
    expect(orphan.code).toBe('NO_NODE');
    expect(orphan.message).toBe(
      `Cannot create ${root}/missing/child: its parent ${root}/missing does not exist (create the parent first)`,
    );
    await session.create(`${parent}/eph`, Buffer.alloc(0), { mode: 'ephemeral' });
    const underEphemeral = await codeOf(session.create(`${parent}/eph/x`, Buffer.alloc(0)));
    expect(underEphemeral.code).toBe('NO_CHILDREN_FOR_EPHEMERALS');
    const badAcl = await codeOf(
      session.create(`${parent}/bad-acl`, Buffer.alloc(0), {
        acl: [{ scheme: 'digest', id: 'not-a-digest-id', perms: 'cdrwa' }],
      }),
    );
    expect(badAcl.code).toBe('INVALID_ACL');
  });

  it('refuses bad paths, versions and oversized data before sending', async () => {
    for (const bad of ['', 'relative', '/a/', '/a//b', '/a/../b', '/a\u0000b']) {
      const error = await codeOf(session.getData(bad));
      expect(error.code, JSON.stringify(bad)).toBe('BAD_ARGUMENTS');
      expect(error.message).toMatch(/^Path /);
    }
    const tooBig = await codeOf(session.create(`${root}/big`, Buffer.alloc(1_048_577)));
    expect(tooBig.code).toBe('BAD_ARGUMENTS');
    expect(tooBig.message).toMatch(/1,048,577 bytes; a ZooKeeper node holds at most 1,048,576 bytes/);
    expect((await codeOf(session.setData(`${root}/big`, Buffer.alloc(2_000_000), -1))).code).toBe(
      'BAD_ARGUMENTS',
    );
    expect((await codeOf(session.setData(root, Buffer.alloc(1), 1.5))).code).toBe('BAD_ARGUMENTS');
    expect((await codeOf(session.remove(root, -2))).code).toBe('BAD_ARGUMENTS');
    expect((await codeOf(session.create(`${root}/no-perms`, Buffer.alloc(0), { acl: [] }))).code).toBe(
      'BAD_ARGUMENTS',
    );
    expect(await session.exists(`${root}/big`)).toBeNull();
    expect(await session.exists(`${root}/no-perms`)).toBeNull();
  });

  it('returns children sorted by name', async () => {
    const parent = `${root}/sorted`;
    await session.create(parent, Buffer.alloc(0));
    const names = ['b', 'a10', 'a2', 'Z', 'zookeeper', '_x', 'a1', 'é', '0'];
    for (const name of names) await session.create(`${parent}/${name}`, Buffer.alloc(0));
    const { children, stat } = await session.getChildren(parent);
    expect(children).toEqual(['0', 'Z', '_x', 'a1', 'a10', 'a2', 'b', 'zookeeper', 'é']);
    expect(stat.numChildren).toBe(names.length);
    expect((await session.getChildren(`${parent}/b`)).children).toEqual([]);
  });

  it('creates sequential and ephemeral nodes', async () => {
    const parent = `${root}/modes`;
    await session.create(parent, Buffer.alloc(0));
    const first = await session.create(`${parent}/seq-`, Buffer.alloc(0), { mode: 'persistent-sequential' });
    const second = await session.create(`${parent}/seq-`, Buffer.alloc(0), { mode: 'persistent-sequential' });
    expect(first).toMatch(new RegExp(`^${parent}/seq-\\d{10}$`));
    expect(Number(second.slice(-10))).toBe(Number(first.slice(-10)) + 1);
    const ephemeral = await session.create(`${parent}/lock-`, Buffer.from('me'), {
      mode: 'ephemeral-sequential',
    });
    const stat = await session.exists(ephemeral);
    expect(stat?.ephemeralOwner).toBe(session.sessionId);
    const plain = await session.create(`${parent}/eph`, Buffer.alloc(0), { mode: 'ephemeral' });
    expect((await session.exists(plain))?.ephemeralOwner).toBe(session.sessionId);
    // Ephemerals die with their session.
    const other = await ZkSession.connect({
      connectString,
      sessionTimeoutMs: 10_000,
      connectTimeoutMs: 5_000,
    });
    const owned = await other.create(`${parent}/other-eph`, Buffer.alloc(0), { mode: 'ephemeral' });
    expect((await session.exists(owned))?.ephemeralOwner).toBe(other.sessionId);
    await other.close();
    expect(await session.exists(owned)).toBeNull();
  });

  it('reads and writes ACLs', async () => {
    const path = `${root}/acl`;
    const acl = [
      { scheme: 'world', id: 'anyone', perms: 'r' },
      { scheme: 'digest', id: digestAclId('ops', 'pw'), perms: 'cdrwa' },
    ];
    await session.create(path, Buffer.alloc(0), { acl });
    const read = await session.getACL(path);
    // ZooKeeper 3.6+ masks digest hashes for a reader without ADMIN on the node (ZOOKEEPER-1392);
    // the digest-auth test reads the full id with the credential.
    expect(read.acl).toEqual([acl[0], { scheme: 'digest', id: 'ops:x', perms: 'cdrwa' }]);
    expect(read.stat.aversion).toBe(0);
    expect((await session.getACL(root)).acl).toEqual([{ scheme: 'world', id: 'anyone', perms: 'cdrwa' }]);
  });

  it('refuses a write whose request would exceed jute.maxbuffer, instead of losing the connection', async () => {
    // For this path the largest create the server accepts is 1,048,575 - 8 - (4 + path) - 4 - ACL - 4 bytes.
    const path = `${root}/edge`;
    const pathBytes = Buffer.byteLength(path);
    const openAclBytes = 4 + 4 + 4 + 'world'.length + 4 + 'anyone'.length;
    const largest = 1_048_575 - 8 - 4 - pathBytes - 4 - openAclBytes - 4;
    const states: string[] = [];
    session.on('state', (state: string) => states.push(state));
    const inFlight = Array.from({ length: 20 }, () => session.exists(root));
    const refused = await codeOf(session.create(path, Buffer.alloc(largest + 1)));
    expect(refused.code).toBe('BAD_ARGUMENTS');
    expect(refused.message).toBe(
      `Writing ${(largest + 1).toLocaleString('en-US')} bytes to ${path} makes a request of 1,048,576 bytes, over ZooKeeper's default request limit (jute.maxbuffer, 1,048,575 bytes): the server would drop the connection and fail every other request in flight. Shorten the data by 1 bytes or more`,
    );
    expect(await session.create(path, Buffer.alloc(largest))).toBe(path);
    // setData carries a 4-byte version instead of the ACL and flags.
    const largestSet = 1_048_575 - 8 - 4 - pathBytes - 4 - 4;
    expect((await codeOf(session.setData(path, Buffer.alloc(largestSet + 1), -1))).code).toBe(
      'BAD_ARGUMENTS',
    );
    expect((await session.setData(path, Buffer.alloc(largestSet), -1)).dataLength).toBe(largestSet);
    expect((await Promise.all(inFlight)).every((stat) => stat !== null)).toBe(true);
    expect(states).toEqual([]);
  });

  it('refuses a path the server would refuse (an emoji is a surrogate pair in Java)', async () => {
    const error = await codeOf(session.create(`${root}/emoji-\u{1F600}`, Buffer.alloc(0)));
    expect(error.code).toBe('BAD_ARGUMENTS');
    expect(error.message).toMatch(/illegal character \(U\+1F600\)/);
  });

  it('round-trips a 1,000,000-byte node', async () => {
    const path = `${root}/large`;
    const data = Buffer.alloc(1_000_000);
    for (let i = 0; i < data.length; i += 1) data[i] = (i * 31 + (i >> 8)) & 0xff;
    await session.create(path, data);
    const read = await session.getData(path);
    expect(read.stat.dataLength).toBe(1_000_000);
    expect(read.data.length).toBe(1_000_000);
    expect(read.data.equals(data)).toBe(true);
    const changed = Buffer.from(data);
    changed.writeUInt8(changed.readUInt8(999_999) ^ 0xff, 999_999);
    await session.setData(path, changed, 0);
    expect((await session.getData(path)).data.equals(changed)).toBe(true);
  });

  it('honours a chroot in the connect string', async () => {
    const chrooted = await ZkSession.connect({
      connectString: `${connectString}${root}`,
      sessionTimeoutMs: 10_000,
      connectTimeoutMs: 5_000,
    });
    try {
      expect(await chrooted.create('/inside', Buffer.from('c'))).toBe('/inside');
      expect((await session.getData(`${root}/inside`)).data.toString()).toBe('c');
      expect((await chrooted.getChildren('/')).children).toContain('inside');
      const missing = await codeOf(chrooted.getData('/nope'));
      expect(missing.path).toBe('/nope');
    } finally {
      await chrooted.close();
    }
  });

  it('connects to a bracketed IPv6 address (the client library alone cannot parse one)', async () => {
    // The servers listen on 127.0.0.1 only: relay [::1]:port to the primary.
    const [host, port] = connectString.split(':');
    const sockets: net.Socket[] = [];
    const relay = net.createServer((inbound) => {
      const outbound = net.connect(Number(port), host as string);
      sockets.push(inbound, outbound);
      inbound.pipe(outbound).pipe(inbound);
      inbound.on('error', () => outbound.destroy());
      outbound.on('error', () => inbound.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, '::1', resolve));
    const relayPort = (relay.address() as net.AddressInfo).port;
    try {
      const viaIpv6 = await ZkSession.connect({
        connectString: `[::1]:${relayPort}${root}`,
        sessionTimeoutMs: 10_000,
        connectTimeoutMs: 5_000,
      });
      try {
        expect(viaIpv6.connectString).toBe(`[::1]:${relayPort}${root}`);
        expect((await viaIpv6.getData('/')).data.toString()).toBe('root');
      } finally {
        await viaIpv6.close();
      }
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => relay.close(resolve));
    }
  });

  it('refuses a connect string it cannot use', async () => {
    const error = await codeOf(
      ZkSession.connect({ connectString: 'localhost', sessionTimeoutMs: 1000, connectTimeoutMs: 1000 }),
    );
    expect(error.code).toBe('BAD_ARGUMENTS');
    expect(error.message).toMatch(/has no port/);
  });
});
