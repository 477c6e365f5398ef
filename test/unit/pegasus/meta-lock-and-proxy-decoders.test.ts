import { describe, expect, it } from 'vitest';
import {
  decodeMetaLockOwner,
  electMetaLeader,
  metaLockDirs,
  parseLockNodeName,
} from '../../../electron/pegasus/decoders/meta-lock';
import { decodeMetaProxyEntry } from '../../../electron/pegasus/decoders/meta-proxy-entry';
import { metaProxyEntryJson, REFERENCE_PAYLOADS } from '../../fixtures/pegasus-cluster/payloads';

const buf = (text: string) => Buffer.from(text, 'utf8');

describe('meta lock', () => {
  it('knows both lock dir layouts, production first', () => {
    expect(metaLockDirs('/pegasus/c1')).toEqual([
      { path: '/pegasus/c1/lock/dsn.meta.server.leader', layout: 'production' },
      { path: '/pegasus/c1/dsn.meta.server.leader', layout: 'onebox' },
    ]);
  });

  it('parses LOCKNODE sequence numbers and nothing else', () => {
    expect(parseLockNodeName('LOCKNODE0000000123')).toBe(123);
    expect(parseLockNodeName('LOCKNODE-000000001')).toBe(-1);
    expect(parseLockNodeName('LOCKNODE')).toBeNull();
    expect(parseLockNodeName('lock0000000001')).toBeNull();
    expect(parseLockNodeName('LOCKNODE12a')).toBeNull();
  });

  it('elects the lowest sequence, whatever the order', () => {
    const holders = [
      { sequence: 7, address: 'b:1' },
      { sequence: 3, address: 'a:1' },
      { sequence: 12, address: 'c:1' },
    ];
    expect(electMetaLeader(holders)?.address).toBe('a:1');
    expect(electMetaLeader([])).toBeNull();
  });

  it('decodes the owner host:port (2.6) and ip:port (2.5)', () => {
    expect(decodeMetaLockOwner(buf('meta-1.example.com:34601'))).toMatchObject({
      ok: true,
      value: { address: 'meta-1.example.com:34601' },
    });
    expect(decodeMetaLockOwner(buf('10.1.1.11:34601\n'))).toMatchObject({
      ok: true,
      value: { address: '10.1.1.11:34601' },
    });
  });

  it('rejects lock data that is not an owner', () => {
    for (const text of ['', 'meta-1', 'meta-1:port', 'a b:1', 'host:70000']) {
      const result = decodeMetaLockOwner(buf(text));
      expect(result.ok).toBe(false);
    }
  });
});

describe('decodeMetaProxyEntry', () => {
  it('decodes the reference entry', () => {
    const result = decodeMetaProxyEntry(buf(REFERENCE_PAYLOADS.metaProxyEntry));
    expect(result).toEqual({
      ok: true,
      value: {
        clusterName: 'c3srv-ad',
        metaAddrs: ['10.0.0.1:34601', '10.0.0.2:34601', '10.0.0.3:34601'],
        metaAddrsRaw: '10.0.0.1:34601,10.0.0.2:34601,10.0.0.3:34601',
        rejection: null,
        notes: [],
      },
      unknownKeys: [],
      missingKeys: [],
    });
  });

  it('flags invalid JSON and wrong types as crashing meta-proxy', () => {
    for (const text of [
      '{"cluster_name": "c", "meta_addrs": ',
      '[]',
      '"c"',
      '{"cluster_name":"c","meta_addrs":["a:1","b:1"]}',
    ]) {
      const result = decodeMetaProxyEntry(buf(text));
      expect(result.ok).toBe(false);
      expect(!result.ok && result.error).toMatch(/crash/);
    }
  });

  it('flags fewer than two meta addresses as rejected, as parseToMetaList does', () => {
    const single = decodeMetaProxyEntry(buf(metaProxyEntryJson('c1', ['10.0.0.1:34601'])));
    expect(single.ok && single.value.rejection).toMatch(/fewer than 2/);
    const missing = decodeMetaProxyEntry(buf('{"cluster_name":"c1"}'));
    expect(missing.ok && missing.value.rejection).toMatch(/fewer than 2/);
    expect(missing.ok && missing.missingKeys).toEqual(['meta_addrs']);
    const nullJson = decodeMetaProxyEntry(buf('null'));
    expect(nullJson.ok && nullJson.value.rejection).toMatch(/fewer than 2/);
  });

  it('accepts what meta-proxy accepts but notes what will not work well', () => {
    const trailing = decodeMetaProxyEntry(buf('{"cluster_name":"","meta_addrs":"10.0.0.1:34601,"}'));
    expect(trailing.ok && trailing.value.rejection).toBeNull();
    expect(trailing.ok && trailing.value.notes).toEqual([
      'cluster_name is empty',
      'meta_addrs has an empty entry',
    ]);
  });

  it('treats the never-implemented RFC draft as having no meta addresses, with unknown keys', () => {
    const draft = decodeMetaProxyEntry(buf(REFERENCE_PAYLOADS.metaProxyRfcDraft));
    expect(draft.ok && draft.value.rejection).toMatch(/fewer than 2/);
    expect(draft.ok && draft.unknownKeys).toEqual(['cluster', 'meta-addrs']);
  });
});
