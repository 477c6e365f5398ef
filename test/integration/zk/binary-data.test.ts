import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ZkSession } from '../../../electron/zk/zk-session';
import { readWithKazoo, removeTree, uniqueTestRoot, writeWithKazoo } from '../../setup/zk-test-helpers';

const connectString = inject('zkPrimary');
const root = uniqueTestRoot('binary');
let session: ZkSession;

const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const cases: Record<string, Buffer> = {
  'all 256 byte values': allBytes,
  'all 256 byte values, descending': Buffer.from(allBytes).reverse(),
  'NUL in the middle': Buffer.from([0x61, 0x62, 0x00, 0x63, 0x64]),
  'only NUL': Buffer.from([0x00]),
  'invalid UTF-8': Buffer.from([
    0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x90, 0x28, 0xbc, 0xff, 0xfe,
  ]),
  'lone surrogate in CESU-8': Buffer.from([0xed, 0xa0, 0x80]),
  'UTF-8 BOM and text': Buffer.from('\ufeff{"a":"é"}', 'utf8'),
  'CRLF and trailing newline': Buffer.from('line1\r\nline2\n'),
  'empty data': Buffer.alloc(0),
};

beforeAll(async () => {
  session = await ZkSession.connect({ connectString, sessionTimeoutMs: 10_000, connectTimeoutMs: 5_000 });
  await session.create(root, Buffer.alloc(0));
});

afterAll(async () => {
  await removeTree(session, root);
  await session.close();
});

describe('binary data survives byte for byte (kazoo as the independent client)', () => {
  it('kazoo writes, ZkSession reads', async () => {
    let index = 0;
    for (const [name, data] of Object.entries(cases)) {
      const path = `${root}/from-kazoo-${index++}`;
      await writeWithKazoo(connectString, path, data);
      const read = await session.getData(path);
      expect(Buffer.isBuffer(read.data), name).toBe(true);
      expect(read.data.toString('hex'), name).toBe(data.toString('hex'));
      expect(read.stat.dataLength, name).toBe(data.length);
    }
  });

  it('ZkSession writes, kazoo reads (create and setData)', async () => {
    let index = 0;
    for (const [name, data] of Object.entries(cases)) {
      const created = `${root}/from-session-${index}`;
      await session.create(created, data);
      expect((await readWithKazoo(connectString, created))?.toString('hex'), name).toBe(data.toString('hex'));

      const updated = `${root}/updated-${index++}`;
      await session.create(updated, Buffer.from('placeholder'));
      await session.setData(updated, data, 0);
      expect((await readWithKazoo(connectString, updated))?.toString('hex'), name).toBe(data.toString('hex'));
    }
  });

  it('empty bytes stay empty bytes, and null data reads as an empty Buffer', async () => {
    const empty = `${root}/empty`;
    await session.create(empty, Buffer.alloc(0));
    // kazoo distinguishes b'' from None: ZkSession wrote zero bytes, not null.
    expect(await readWithKazoo(connectString, empty)).toEqual(Buffer.alloc(0));

    const nullData = `${root}/null-data`;
    await writeWithKazoo(connectString, nullData, null);
    expect(await readWithKazoo(connectString, nullData)).toBeNull();
    const read = await session.getData(nullData);
    expect(Buffer.isBuffer(read.data)).toBe(true);
    expect(read.data.length).toBe(0);
    expect(read.stat.dataLength).toBe(0);
  });

  it('a 1,000,000-byte random node written by kazoo reads back identical', async () => {
    const data = Buffer.alloc(1_000_000);
    // Deterministic pseudo-random bytes (xorshift) so a failure is reproducible.
    let x = 0x2545f491;
    for (let i = 0; i < data.length; i += 1) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      data[i] = x & 0xff;
    }
    const path = `${root}/large-from-kazoo`;
    await writeWithKazoo(connectString, path, data);
    expect((await session.getData(path)).data.equals(data)).toBe(true);
  });
});
