import { describe, expect, it } from 'vitest';
import { decodeBackupInfo } from '../../../electron/pegasus/decoders/backup-info';
import { decodeBackupPolicy } from '../../../electron/pegasus/decoders/backup-policy';
import { decodeBulkLoadApp } from '../../../electron/pegasus/decoders/bulk-load-app';
import { decodeBulkLoadPartition } from '../../../electron/pegasus/decoders/bulk-load-partition';
import { bulkLoadPartitionJson, REFERENCE_PAYLOADS } from '../../fixtures/pegasus-cluster/payloads';

const buf = (text: string) => Buffer.from(text, 'utf8');

describe('decodeBackupPolicy', () => {
  it('decodes the verbatim json_compacity policy', () => {
    const result = decodeBackupPolicy(buf(REFERENCE_PAYLOADS.backupPolicyVerbatim));
    expect(result).toEqual({
      ok: true,
      value: {
        policyName: 'every_day',
        backupProviderType: 'simple',
        appIds: [4, 5, 6],
        appNames: { '4': 'aaaa', '5': 'aaaa', '6': 'aaaa' },
        backupIntervalSeconds: 86400,
        backupHistoryCountToKeep: 3,
        disabled: false,
        startTime: { hour: 0, minute: 30 },
      },
      unknownKeys: [],
      missingKeys: [],
    });
  });

  it('fails when a nested field has the wrong type, naming its path', () => {
    const result = decodeBackupPolicy(buf('{"policy_name":"p","start_time":{"hour":"0"}}'));
    expect(!result.ok && result.error).toMatch(/'start_time.hour' should be an integer/);
  });
});

describe('decodeBackupInfo', () => {
  it('decodes the reference backup instance', () => {
    const result = decodeBackupInfo(buf(REFERENCE_PAYLOADS.backupInfo));
    expect(result.ok && result.value).toEqual({
      backupId: 1528216470578,
      startTimeMs: 1528216470578,
      endTimeMs: 1528217091629,
      appIds: [4, 5],
      appNames: { '4': 'aaaa', '5': 'aaaa' },
      infoStatus: 'ALIVE',
      infoStatusRaw: 1,
    });
  });

  it('names info_status 2 DELETING and others UNKNOWN', () => {
    expect(decodeBackupInfo(buf('{"info_status":2}'))).toMatchObject({
      ok: true,
      value: { infoStatus: 'DELETING' },
    });
    expect(decodeBackupInfo(buf('{"info_status":7}'))).toMatchObject({
      ok: true,
      value: { infoStatus: 'UNKNOWN' },
    });
  });
});

describe('bulk load decoders', () => {
  it('decodes the reference app state, normalizing the scoped status', () => {
    const result = decodeBulkLoadApp(buf(REFERENCE_PAYLOADS.bulkLoadApp));
    expect(result.ok && result.value).toEqual({
      appId: 3,
      partitionCount: 8,
      appName: 'temp',
      clusterName: 'onebox',
      fileProviderType: 'local_service',
      status: 'BLS_DOWNLOADING',
      statusRaw: 'replication::bulk_load_status::BLS_DOWNLOADING',
      remoteRootPath: 'bulk_load_root',
      ingestBehind: false,
      isEverIngesting: false,
      bulkLoadError: 'ERR_OK',
    });
  });

  it('decodes the master partition state (host_ports) and the v2.5 one (addresses)', () => {
    const master = decodeBulkLoadPartition(buf(REFERENCE_PAYLOADS.bulkLoadPartitionMaster));
    expect(master).toEqual({
      ok: true,
      value: {
        status: 'BLS_DOWNLOADING',
        statusRaw: 'replication::bulk_load_status::BLS_DOWNLOADING',
        metadata: { fileCount: 0, fileTotalSize: 0 },
        everIngestSucceed: false,
        replicas: [],
        format: 'host-port',
      },
      unknownKeys: [],
      missingKeys: [],
    });
    const old = decodeBulkLoadPartition(
      buf(
        bulkLoadPartitionJson(
          { status: 'BLS_INGESTING', replicas: ['10.0.0.1:34801'], fileTotalSize: 5 },
          '2.5',
        ),
      ),
    );
    expect(old.ok && [old.value.status, old.value.format, old.value.replicas]).toEqual([
      'BLS_INGESTING',
      'address-only',
      ['10.0.0.1:34801'],
    ]);
    expect(old.ok && old.missingKeys).toEqual([]);
  });

  it('accepts every bulk load status and reports unknown ones as null', () => {
    for (const status of [
      'BLS_INVALID',
      'BLS_DOWNLOADED',
      'BLS_SUCCEED',
      'BLS_FAILED',
      'BLS_PAUSING',
      'BLS_PAUSED',
      'BLS_CANCELED',
    ]) {
      const result = decodeBulkLoadPartition(buf(bulkLoadPartitionJson({ status })));
      expect(result.ok && result.value.status).toBe(status);
    }
    const unknown = decodeBulkLoadApp(buf('{"status":"replication::bulk_load_status::BLS_NEW"}'));
    expect(unknown.ok && [unknown.value.status, unknown.value.statusRaw]).toEqual([
      null,
      'replication::bulk_load_status::BLS_NEW',
    ]);
  });

  it('fails on malformed payloads', () => {
    expect(decodeBulkLoadApp(buf('nope')).ok).toBe(false);
    const wrong = decodeBulkLoadPartition(buf('{"metadata":[]}'));
    expect(!wrong.ok && wrong.error).toMatch(/'metadata' should be an object/);
  });
});
