import { describe, expect, it } from 'vitest';
import {
  appInfoJson,
  backupInfoJson,
  backupPolicyJson,
  bulkLoadAppJson,
  bulkLoadPartitionJson,
  duplicationInfoJson,
  partitionConfigJson,
  REFERENCE_PAYLOADS,
} from '../../fixtures/pegasus-cluster/payloads';

// The builders must reproduce the reference's examples byte for byte: that proves they follow the
// encoders' field order, so payloads the seeder writes look like what a meta server writes.
describe('payload builders reproduce the reference examples', () => {
  it('app info, master (368 bytes)', () => {
    const built = appInfoJson({
      status: 'AS_AVAILABLE',
      appName: 'user_profile',
      appId: 12,
      partitionCount: 64,
      envs: { 'replica.slow_query_threshold': '100', default_ttl: '86400' },
      createSecond: 1710000000,
      initPartitionCount: 64,
    });
    expect(built).toBe(REFERENCE_PAYLOADS.appInfoMaster);
    expect(Buffer.byteLength(built)).toBe(368);
  });

  it('app info, 2.5 has no atomic_idempotent', () => {
    const built = appInfoJson({ status: 'AS_AVAILABLE', appName: 't', appId: 1, partitionCount: 4 }, '2.5');
    expect(JSON.parse(built)).not.toHaveProperty('atomic_idempotent');
    expect(Object.keys(JSON.parse(built)).at(-1)).toBe('is_bulk_loading');
  });

  const fields = {
    appId: 12,
    index: 5,
    ballot: 17,
    address: {
      primary: '10.1.2.11:34801',
      secondaries: ['10.1.2.12:34801', '10.1.2.13:34801'],
      lastDrops: ['10.1.2.14:34801'],
    },
    hostPort: {
      primary: 'rs-11.example.com:34801',
      secondaries: ['rs-12.example.com:34801', 'rs-13.example.com:34801'],
      lastDrops: ['rs-14.example.com:34801'],
    },
    lastCommittedDecree: 9338771,
  };

  it('partition config, 2.6 (367 bytes) and 2.5 (213 bytes)', () => {
    expect(partitionConfigJson(fields, '2.6')).toBe(REFERENCE_PAYLOADS.partitionMaster);
    expect(Buffer.byteLength(REFERENCE_PAYLOADS.partitionMaster)).toBe(367);
    expect(partitionConfigJson(fields, '2.5')).toBe(REFERENCE_PAYLOADS.partitionV25);
    expect(Buffer.byteLength(REFERENCE_PAYLOADS.partitionV25)).toBe(213);
  });

  it('fresh partition writes "invalid address"', () => {
    const fresh = partitionConfigJson(
      { appId: 12, index: 0, ballot: 0, address: { primary: null, secondaries: [] }, lastCommittedDecree: 0 },
      '2.5',
    );
    expect(fresh).toBe(REFERENCE_PAYLOADS.partitionFresh);
  });

  it('duplication info, master and legacy', () => {
    expect(
      duplicationInfoJson({
        remote: 'tjsrv-account',
        status: 'DS_LOG',
        createTimestampMs: 1692240106066,
        remoteAppName: 'my_source_app',
        remoteReplicaCount: 3,
      }),
    ).toBe(REFERENCE_PAYLOADS.duplicationMaster);
    expect(
      duplicationInfoJson(
        { remote: 'tjsrv-account', status: 'DS_START', createTimestampMs: 1537336970483 },
        'legacy',
      ),
    ).toBe(REFERENCE_PAYLOADS.duplicationLegacyVerbatim);
    expect(
      Object.keys(
        JSON.parse(duplicationInfoJson({ remote: 'r', status: 'DS_LOG', createTimestampMs: 1 }, '2.5')),
      ),
    ).toEqual(['remote', 'status', 'create_timestamp_ms', 'fail_mode']);
  });

  it('backup policy (verbatim) and backup info', () => {
    expect(
      backupPolicyJson({
        policyName: 'every_day',
        backupProviderType: 'simple',
        appIds: [4, 5, 6],
        appNames: { '4': 'aaaa', '5': 'aaaa', '6': 'aaaa' },
      }),
    ).toBe(REFERENCE_PAYLOADS.backupPolicyVerbatim);
    expect(
      backupInfoJson({
        backupId: 1528216470578,
        startTimeMs: 1528216470578,
        endTimeMs: 1528217091629,
        appIds: [4, 5],
        appNames: { '4': 'aaaa', '5': 'aaaa' },
      }),
    ).toBe(REFERENCE_PAYLOADS.backupInfo);
  });

  it('bulk load app and partition (host_ports on 2.6, addresses on 2.5)', () => {
    expect(
      bulkLoadAppJson({
        appId: 3,
        partitionCount: 8,
        appName: 'temp',
        clusterName: 'onebox',
        status: 'BLS_DOWNLOADING',
      }),
    ).toBe(REFERENCE_PAYLOADS.bulkLoadApp);
    expect(bulkLoadPartitionJson({ status: 'BLS_DOWNLOADING' })).toBe(
      REFERENCE_PAYLOADS.bulkLoadPartitionMaster,
    );
    expect(bulkLoadPartitionJson({ status: 'BLS_DOWNLOADING' }, '2.5')).toBe(
      REFERENCE_PAYLOADS.bulkLoadPartitionMaster.replace('host_ports', 'addresses'),
    );
  });
});
