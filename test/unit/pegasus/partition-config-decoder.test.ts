import { describe, expect, it } from 'vitest';
import { decodePartitionConfig } from '../../../electron/pegasus/decoders/partition-config';
import { REFERENCE_PAYLOADS } from '../../fixtures/pegasus-cluster/payloads';

const buf = (text: string) => Buffer.from(text, 'utf8');

describe('decodePartitionConfig', () => {
  it('decodes a 2.6 payload, keeping both address sets and displaying host:port', () => {
    const result = decodePartitionConfig(buf(REFERENCE_PAYLOADS.partitionMaster));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const value = result.value;
    expect([value.appId, value.partitionIndex, value.ballot, value.lastCommittedDecree]).toEqual([
      12, 5, 17, 9338771,
    ]);
    expect(value.format).toBe('host-port');
    expect(value.address).toEqual({
      primary: '10.1.2.11:34801',
      secondaries: ['10.1.2.12:34801', '10.1.2.13:34801'],
      lastDrops: ['10.1.2.14:34801'],
    });
    expect(value.hostPort?.primary).toBe('rs-11.example.com:34801');
    expect(value.display).toEqual(value.hostPort);
    expect(value.dropped).toBe(false);
    expect(result.missingKeys).toEqual([]);
    expect(result.unknownKeys).toEqual([]);
  });

  it('decodes a v2.5 payload without reporting hp_* keys as missing', () => {
    const result = decodePartitionConfig(buf(REFERENCE_PAYLOADS.partitionV25));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.format).toBe('address-only');
    expect(result.value.hostPort).toBeNull();
    expect(result.value.display.primary).toBe('10.1.2.11:34801');
    expect(result.missingKeys).toEqual([]);
  });

  it('reads "invalid address" as an unset primary (fresh partition)', () => {
    const result = decodePartitionConfig(buf(REFERENCE_PAYLOADS.partitionFresh));
    expect(result.ok && result.value.display).toEqual({ primary: null, secondaries: [], lastDrops: [] });
    expect(result.ok && result.value.ballot).toBe(0);
  });

  it('decodes the verbatim old-pc payload (hp keys in between, no partition_flags)', () => {
    const result = decodePartitionConfig(buf(REFERENCE_PAYLOADS.partitionOldVerbatim));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.address.primary).toBeNull();
    expect(result.value.hostPort).toEqual({ primary: null, secondaries: ['localhost:6'], lastDrops: [] });
    expect(result.value.display.secondaries).toEqual(['localhost:6']);
    expect(result.value.lastCommittedDecree).toBe(157);
    expect(result.value.partitionFlags).toBeNull();
    expect(result.missingKeys).toEqual(['partition_flags', 'hp_last_drops']);
  });

  it('marks dropped partitions (partition_flags=1) and split children (ballot -1)', () => {
    const dropped = decodePartitionConfig(
      buf('{"pid":"3.0","ballot":-1,"partition_flags":1,"primary":"invalid address"}'),
    );
    expect(dropped.ok && [dropped.value.dropped, dropped.value.ballot]).toEqual([true, -1]);
  });

  it('keeps unknown keys visible', () => {
    const result = decodePartitionConfig(buf('{"pid":"1.0","ballot":1,"hp_primary":"a:1","new_field":[1]}'));
    expect(result.ok && result.unknownKeys).toEqual(['new_field']);
  });

  it('fails on malformed payloads', () => {
    for (const [text, error] of [
      ['{"pid":"12-5"}', /'pid' should look like/],
      ['{"secondaries":"10.0.0.1:1"}', /'secondaries' should be an array of strings/],
      ['{"ballot":"17"}', /'ballot' should be an integer/],
      ['{"pid":"1.1",', /not valid JSON/],
    ] as const) {
      const result = decodePartitionConfig(buf(text));
      expect(result.ok).toBe(false);
      expect(!result.ok && result.error).toMatch(error);
    }
  });
});
