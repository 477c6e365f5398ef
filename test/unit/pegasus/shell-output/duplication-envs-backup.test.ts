import { describe, expect, it } from 'vitest';
import {
  parseAddDup,
  parseBackupStarted,
  parseBackupStatus,
  parseDupChange,
  parseDuplicationList,
  parseGetAppEnvs,
  parseRestore,
  parseSetAppEnvs,
  parseUse,
} from '../../../../electron/pegasus/shell-output';
import { failure, sample, value } from './sample-outputs';

describe('duplication', () => {
  it('reads add_dup on master and v2.5, and admin-cli dup add', () => {
    expect(value(parseAddDup(sample('add-dup-master')))).toEqual({
      dupid: 1709258400,
      appId: 2,
      checkpoint: true,
      remoteAppName: 'temp',
      remoteReplicaCount: 3,
      warnings: [],
    });
    expect(value(parseAddDup(sample('add-dup-v2.5')))).toMatchObject({
      dupid: 1709258400,
      appId: 2,
      checkpoint: false,
    });
    expect(value(parseAddDup(sample('admin-cli-dup-add')))).toMatchObject({ dupid: 1669972761, appId: null });
  });

  it('reports a refused add with the meta hint', () => {
    const error = failure(parseAddDup(sample('add-dup-failed')));
    expect(error.errorCode).toBe('ERR_INVALID_PARAMETERS');
    expect(error.message).toContain('not in the cluster list of meta server');
  });

  it('reads query_dup once per dup_id despite the repeated tables', () => {
    const list = value(parseDuplicationList(sample('query-dup')));
    expect(list.appName).toBe('temp');
    expect(list.entries).toEqual([
      expect.objectContaining({
        dupid: 1709258400,
        status: 'DS_LOG',
        remote: 'tjsrv',
        createTime: '2024-03-01 10:00:00',
      }),
      expect.objectContaining({ dupid: 1709344800, status: 'DS_PAUSE', remote: 'shsrv-backup' }),
    ]);
  });

  it('reads query_dup -d with per-partition progress, and admin-cli dup list', () => {
    const detail = value(parseDuplicationList(sample('query-dup-detail')));
    expect(detail.entries[0]).toMatchObject({
      dupid: 1709258400,
      failMode: 'FAIL_SLOW',
      remoteReplicaCount: 3,
      partitions: { '0': { confirmedDecree: 100, lastCommittedDecree: 120 } },
    });
    const adminCli = value(parseDuplicationList(sample('admin-cli-dup-list')));
    expect(adminCli.entries.map((entry) => [entry.dupid, entry.status, entry.failMode])).toEqual([
      [1692240106, 'DS_LOG', 'FAIL_SLOW'],
      [1692326506, 'DS_PAUSE', 'FAIL_SKIP'],
    ]);
    const empty = value(parseDuplicationList('duplications of app [temp] are listed as below:\n'));
    expect(empty.entries).toEqual([]);
  });

  it('reads pause/start/remove/fail-mode results from both tools', () => {
    expect(value(parseDupChange(sample('pause-dup')))).toEqual({ dupid: 1709258400, operation: 'pause' });
    expect(value(parseDupChange(sample('set-dup-fail-mode')))).toEqual({
      dupid: 1709258400,
      operation: 'fail-mode',
    });
    expect(value(parseDupChange(sample('admin-cli-dup-pause')))).toEqual({
      dupid: 1692240106,
      operation: 'pause',
    });
    const error = failure(parseDupChange(sample('start-dup-failed')));
    expect(error.errorCode).toBe('ERR_OBJECT_NOT_FOUND');
    expect(error.message).toContain('[duplication not found]');
  });
});

describe('table envs', () => {
  it('reads set_app_envs success, refusal and a missing use', () => {
    expect(value(parseSetAppEnvs(sample('set-app-envs')))).toEqual({ set: true });
    const refused = failure(parseSetAppEnvs(sample('set-app-envs-failed')));
    expect(refused.errorCode).toBe('ERR_INVALID_PARAMETERS');
    expect(refused.offendingText).toContain('nothing*write');
    expect(failure(parseSetAppEnvs(sample('set-app-envs-no-app'))).message).toMatch(/use <table>/);
    expect(value(parseUse(sample('set-app-envs')))).toEqual({ used: true });
  });

  it('reads get_app_envs in both formats', () => {
    expect(
      value(
        parseGetAppEnvs(
          '[app_envs]\nrocksdb.usage_scenario  : normal\nreplica.deny_client_request  : timeout*write\n',
        ),
      ),
    ).toEqual({
      'rocksdb.usage_scenario': 'normal',
      'replica.deny_client_request': 'timeout*write',
    });
    const old =
      'get app envs succeed, count = 1\n=================================\nreplica.write_throttling = 1000*delay*100\n=================================\n';
    expect(value(parseGetAppEnvs(old))).toEqual({ 'replica.write_throttling': '1000*delay*100' });
  });
});

describe('backup and restore', () => {
  it('reads admin-cli backup and query-backup-status (bordered, coloured table)', () => {
    expect(value(parseBackupStarted(sample('admin-cli-backup')))).toEqual({
      backupId: 1647413226412,
      hint: null,
    });
    const status = value(parseBackupStatus(sample('admin-cli-backup-status')));
    expect(status.items).toEqual([
      {
        backupId: 1647413226412,
        appName: 'temp',
        startTime: '2022-03-16 14:47:06 +0800 CST',
        endTime: null,
        status: 'in progress',
        providerType: 'hdfs_service',
        backupPath: '/user/pegasus/backup',
      },
      expect.objectContaining({
        backupId: 1647326826000,
        status: 'completed',
        endTime: '2022-03-15 15:02:41 +0800 CST',
      }),
    ]);
  });

  it('reads restores from admin-cli and the shell', () => {
    expect(value(parseRestore(sample('admin-cli-restore')))).toEqual({ newAppId: 21 });
    expect(value(parseRestore(sample('restore-app')))).toEqual({ newAppId: 21 });
    expect(failure(parseRestore(sample('restore-app-not-found'))).message).toContain(
      "couldn't find valid app metadata",
    );
  });

  it('reports a refused backup', () => {
    expect(failure(parseBackupStarted('Error: ERR_INVALID_PARAMETERS: backup is disabled\n')).errorCode).toBe(
      'ERR_INVALID_PARAMETERS',
    );
  });
});
