import { describe, expect, it } from 'vitest';
import { decodeAppInfo } from '../../../electron/pegasus/decoders/app-info';
import { decodeAppsRootState } from '../../../electron/pegasus/decoders/apps-root-state';
import { REFERENCE_PAYLOADS } from '../../fixtures/pegasus-cluster/payloads';

const buf = (text: string) => Buffer.from(text, 'utf8');

describe('decodeAppInfo', () => {
  it('decodes the master example with every field', () => {
    const result = decodeAppInfo(buf(REFERENCE_PAYLOADS.appInfoMaster));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toEqual({
      status: 'AS_AVAILABLE',
      statusRaw: 'app_status::AS_AVAILABLE',
      statusLoadable: true,
      appType: 'pegasus',
      appName: 'user_profile',
      appId: 12,
      partitionCount: 64,
      envs: { 'replica.slow_query_threshold': '100', default_ttl: '86400' },
      isStateful: true,
      maxReplicaCount: 3,
      expireSecond: 0,
      createSecond: 1710000000,
      dropSecond: 0,
      duplicating: false,
      initPartitionCount: 64,
      isBulkLoading: false,
      atomicIdempotent: false,
    });
    expect(result.unknownKeys).toEqual([]);
    expect(result.missingKeys).toEqual([]);
  });

  it('decodes the verbatim old payload and lists the newer keys as missing', () => {
    const result = decodeAppInfo(buf(REFERENCE_PAYLOADS.appInfoOldVerbatim));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.appName).toBe('temp');
    expect(result.value.partitionCount).toBe(16);
    expect(result.value.createSecond).toBeNull();
    expect(result.value.duplicating).toBeNull();
    expect(result.missingKeys).toEqual([
      'expire_second',
      'create_second',
      'drop_second',
      'duplicating',
      'init_partition_count',
      'is_bulk_loading',
      'atomic_idempotent',
    ]);
  });

  it('accepts bools as true/false as well as 0/1', () => {
    const result = decodeAppInfo(
      buf('{"app_name":"t","is_stateful":true,"duplicating":false,"is_bulk_loading":1}'),
    );
    expect(
      result.ok && [result.value.isStateful, result.value.duplicating, result.value.isBulkLoading],
    ).toEqual([true, false, true]);
  });

  it('normalizes the status with or without the scope prefix, and flags statuses a meta cannot load', () => {
    const dropped = decodeAppInfo(buf('{"status":"AS_DROPPED"}'));
    expect(dropped.ok && dropped.value.status).toBe('AS_DROPPED');
    const creating = decodeAppInfo(buf('{"status":"app_status::AS_CREATING"}'));
    expect(creating.ok && [creating.value.status, creating.value.statusLoadable]).toEqual([
      'AS_CREATING',
      false,
    ]);
    const bogus = decodeAppInfo(buf('{"status":"app_status::AS_WHATEVER"}'));
    expect(bogus.ok && [bogus.value.status, bogus.value.statusRaw, bogus.value.statusLoadable]).toEqual([
      null,
      'app_status::AS_WHATEVER',
      false,
    ]);
  });

  it('reports unknown keys instead of dropping them silently', () => {
    const result = decodeAppInfo(buf('{"app_name":"t","app_id":3,"future_flag":1,"other":"x"}'));
    expect(result.ok && result.unknownKeys).toEqual(['future_flag', 'other']);
  });

  it('fails (without throwing) on malformed payloads, keeping the raw bytes', () => {
    const cases: [Buffer, RegExp][] = [
      [Buffer.alloc(0), /empty/],
      [buf('{"app_name":"t"'), /not valid JSON/],
      [buf('[1,2]'), /not an object/],
      [buf('"text"'), /not an object/],
      [Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), /not valid UTF-8/],
      [buf('{"app_id":"12"}'), /'app_id' should be an integer/],
      [buf('{"is_stateful":2}'), /'is_stateful' should be 0\/1 or true\/false/],
      [buf('{"envs":{"a":1}}'), /'envs' should be an object of strings/],
      [buf('{"partition_count":1.5}'), /'partition_count' should be an integer/],
    ];
    for (const [raw, error] of cases) {
      const result = decodeAppInfo(raw);
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.error).toMatch(error);
      expect(result.raw.equals(raw)).toBe(true);
    }
  });
});

describe('decodeAppsRootState', () => {
  it('reads lock, unlock and empty, and marks lock as not loadable', () => {
    expect(decodeAppsRootState(buf('unlock'))).toMatchObject({
      ok: true,
      value: { state: 'unlock', loadable: true },
    });
    expect(decodeAppsRootState(Buffer.alloc(0))).toMatchObject({
      ok: true,
      value: { state: 'empty', loadable: true },
    });
    expect(decodeAppsRootState(buf('lock'))).toMatchObject({
      ok: true,
      value: { state: 'lock', loadable: false },
    });
  });

  it('rejects anything else', () => {
    const result = decodeAppsRootState(buf('locked'));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/'lock', 'unlock' or empty/);
  });
});
