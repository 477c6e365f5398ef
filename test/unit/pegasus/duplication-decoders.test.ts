import { describe, expect, it } from 'vitest';
import { decodeDuplicationInfo } from '../../../electron/pegasus/decoders/duplication-info';
import { decodeDuplicationProgress } from '../../../electron/pegasus/decoders/duplication-progress';
import { duplicationInfoJson, REFERENCE_PAYLOADS } from '../../fixtures/pegasus-cluster/payloads';

const buf = (text: string) => Buffer.from(text, 'utf8');

describe('decodeDuplicationInfo', () => {
  it('decodes the master example', () => {
    const result = decodeDuplicationInfo(buf(REFERENCE_PAYLOADS.duplicationMaster));
    expect(result).toEqual({
      ok: true,
      value: {
        remote: 'tjsrv-account',
        status: 'DS_LOG',
        statusRaw: 'DS_LOG',
        statusUnknown: false,
        createTimestampMs: 1692240106066,
        failMode: 'FAIL_SLOW',
        failModeRaw: 'FAIL_SLOW',
        remoteAppName: 'my_source_app',
        remoteReplicaCount: 3,
      },
      unknownKeys: [],
      missingKeys: [],
    });
  });

  it('reads the verbatim legacy DS_START payload as removed, fail mode defaulting to FAIL_SLOW', () => {
    const result = decodeDuplicationInfo(buf(REFERENCE_PAYLOADS.duplicationLegacyVerbatim));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.status).toBe('DS_REMOVED');
    expect(result.value.statusRaw).toBe('DS_START');
    expect(result.value.statusUnknown).toBe(true);
    expect(result.value.failMode).toBe('FAIL_SLOW');
    expect(result.value.failModeRaw).toBeNull();
    expect(result.missingKeys).toEqual(['fail_mode', 'remote_app_name', 'remote_replica_count']);
  });

  it('decodes every status and fail mode of the 2.5 field set', () => {
    for (const status of ['DS_INIT', 'DS_PREPARE', 'DS_APP', 'DS_LOG', 'DS_PAUSE', 'DS_REMOVED']) {
      for (const failMode of ['FAIL_SLOW', 'FAIL_SKIP', 'FAIL_FAST']) {
        const result = decodeDuplicationInfo(
          buf(duplicationInfoJson({ remote: 'r', status, createTimestampMs: 1, failMode }, '2.5')),
        );
        expect(result.ok && [result.value.status, result.value.failMode, result.value.statusUnknown]).toEqual(
          [status, failMode, false],
        );
        expect(result.ok && result.value.remoteAppName).toBeNull();
      }
    }
  });

  it('reports an unknown fail mode as null, keeping the raw string', () => {
    const result = decodeDuplicationInfo(buf('{"remote":"r","status":"DS_LOG","fail_mode":"FAIL_LOUD"}'));
    expect(result.ok && [result.value.failMode, result.value.failModeRaw]).toEqual([null, 'FAIL_LOUD']);
  });

  it('fails on malformed JSON or wrong types', () => {
    expect(decodeDuplicationInfo(buf('{"remote":')).ok).toBe(false);
    const wrong = decodeDuplicationInfo(buf('{"remote":["a"]}'));
    expect(!wrong.ok && wrong.error).toMatch(/'remote' should be a string/);
  });
});

describe('decodeDuplicationProgress', () => {
  it('reads decimal text', () => {
    expect(decodeDuplicationProgress(buf('123456'))).toEqual({
      ok: true,
      value: { confirmedDecree: 123456 },
      unknownKeys: [],
      missingKeys: [],
    });
    expect(decodeDuplicationProgress(buf('-1'))).toMatchObject({ ok: true, value: { confirmedDecree: -1 } });
  });

  it('rejects anything that is not a decimal decree', () => {
    for (const text of ['', '12a', ' 12', '1.5', '{"confirmed":1}', '99999999999999999999']) {
      const result = decodeDuplicationProgress(buf(text));
      expect(result.ok).toBe(false);
      expect(!result.ok && result.raw.toString()).toBe(text);
    }
  });
});
