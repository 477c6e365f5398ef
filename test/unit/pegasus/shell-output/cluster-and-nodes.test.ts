import { describe, expect, it } from 'vitest';
import {
  compareNodeLists,
  normalizeMetaLevel,
  parseAppList,
  parseClusterInfo,
  parseGetMetaLevel,
  parseNodeList,
  parseSetMetaLevel,
  sameNodeLists,
  ShellParseError,
} from '../../../../electron/pegasus/shell-output';
import { failure, sample, value } from './sample-outputs';

describe('cluster_info', () => {
  const expected = {
    metaServers: ['127.0.0.1:34601', '127.0.0.1:34602', '127.0.0.1:34603'],
    primaryMetaServer: '127.0.0.1:34601',
    zookeeperHosts: ['127.0.0.1:22181'],
    zookeeperRoot: '/pegasus/onebox/127.0.0.1',
    metaFunctionLevel: 'steady',
    primaryReplicaCountStddev: 0.47,
    totalReplicaCountStddev: 0,
    clusterName: 'onebox',
  };

  it('reads the tabular output behind the shell banner', () => {
    const info = value(parseClusterInfo(sample('cluster-info')));
    expect(info).toMatchObject(expected);
    expect(info.balanceOperationCount).toBe('move_pri=0,copy_pri=0,copy_sec=0,total=0');
    expect(info.extra).toEqual({});
  });

  it('reads -j JSON the same way, with master balance figures as JSON text', () => {
    const info = value(parseClusterInfo(sample('cluster-info-json')));
    expect(info).toMatchObject(expected);
    expect(JSON.parse(info.balanceOperationCount ?? '')).toEqual({
      copy_pri: 0,
      copy_sec: 0,
      move_pri: 0,
      total: 0,
    });
  });

  it('tolerates prompts and CRLF line ends', () => {
    const text = sample('cluster-info')
      .replace(/\n/g, '\r\n')
      .replace('[cluster_info]', '>>> [cluster_info]');
    expect(value(parseClusterInfo(text))).toMatchObject(expected);
  });

  it('reports the shell failure with its error code', () => {
    const error = failure(parseClusterInfo(sample('cluster-info-failed')));
    expect(error).toBeInstanceOf(ShellParseError);
    expect(error.kind).toBe('command-failed');
    expect(error.errorCode).toBe('ERR_NETWORK_FAILURE');
    expect(error.offendingText).toBe('get cluster info failed, error=ERR_NETWORK_FAILURE');
  });

  it('quotes unrecognised output', () => {
    const error = failure(parseClusterInfo('Pegasus Shell 2.5.0\nsegmentation fault (core dumped)\n'));
    expect(error.kind).toBe('unrecognized');
    expect(error.offendingText).toBe('segmentation fault (core dumped)');
    expect(error.message).toContain('segmentation fault');
    expect(failure(parseClusterInfo('')).offendingText).toBe('(no output besides the shell banner)');
  });

  it('refuses a [cluster_info] table whose rows are not key : value', () => {
    const error = failure(parseClusterInfo('[cluster_info]\nmeta_servers 127.0.0.1:34601\n'));
    expect(error.kind).toBe('unrecognized');
    expect(error.offendingText).toBe('meta_servers 127.0.0.1:34601');
  });
});

describe('ls', () => {
  it('reads [general_info], [healthy_info] and [summary] from ls -d', () => {
    const list = value(parseAppList(sample('ls-detailed')));
    expect(list.apps.map((app) => app.appName)).toEqual(['stat', 'temp', 'user_profile']);
    expect(list.apps[2]).toEqual({
      appId: 12,
      status: 'AVAILABLE',
      appName: 'user_profile',
      appType: 'pegasus',
      partitionCount: 64,
      replicaCount: 3,
      isStateful: true,
      createTime: '2024-03-09_16:00:00',
      dropTime: null,
      dropExpire: null,
      envsCount: 2,
      atomicIdempotent: null,
      health: { fullyHealthy: 62, unhealthy: 2, writeUnhealthy: 1, readUnhealthy: 1 },
    });
    expect(list.totalAppCount).toBe(3);
    expect(list.summary.unhealthy_app_count).toBe(1);
  });

  it('reads the -o file and the master columns with a dropped table', () => {
    const fromFile = value(parseAppList(sample('ls-o-file')));
    expect(fromFile.apps).toHaveLength(3);
    expect(fromFile.apps[0]?.health).toBeNull();
    const all = value(parseAppList(sample('ls-all-master')));
    const dropped = all.apps.find((app) => app.status === 'DROPPED');
    expect(dropped).toMatchObject({
      appId: 9,
      appName: 'old_events',
      dropTime: '2024-03-05_12:00:00',
      dropExpire: '2024-03-12_12:00:00',
      atomicIdempotent: false,
    });
  });

  it('reads the old unnamed table and -j JSON', () => {
    const old = 'app_id    status              app_name\n12        AVAILABLE           my_source_app\n\n';
    expect(value(parseAppList(old)).apps).toEqual([
      expect.objectContaining({
        appId: 12,
        status: 'AVAILABLE',
        appName: 'my_source_app',
        partitionCount: null,
      }),
    ]);
    const json = JSON.stringify(
      {
        general_info: { '2': { app_id: '2', status: 'AVAILABLE', app_name: 'temp', partition_count: '8' } },
        summary: { total_app_count: '1' },
      },
      null,
      4,
    );
    const list = value(parseAppList(`The cluster name is: onebox\n${json}\n`));
    expect(list.apps[0]).toMatchObject({ appId: 2, appName: 'temp', partitionCount: 8 });
    expect(list.totalAppCount).toBe(1);
  });

  it('reports a failed listing', () => {
    expect(failure(parseAppList(sample('ls-failed'))).errorCode).toBe('ERR_NETWORK_FAILURE');
  });
});

describe('nodes -d -o', () => {
  it('ignores [parameters] and reads right-aligned counts', () => {
    const list = value(parseNodeList(sample('nodes-detailed-file')));
    expect(list.nodes).toEqual([
      {
        address: '127.0.0.1:34801',
        status: 'ALIVE',
        replicaCount: 25,
        primaryCount: 8,
        secondaryCount: 17,
        extra: {},
      },
      {
        address: '127.0.0.1:34802',
        status: 'ALIVE',
        replicaCount: 26,
        primaryCount: 9,
        secondaryCount: 17,
        extra: {},
      },
      {
        address: '127.0.0.1:34803',
        status: 'ALIVE',
        replicaCount: 25,
        primaryCount: 8,
        secondaryCount: 17,
        extra: {},
      },
    ]);
    expect([list.totalNodeCount, list.aliveNodeCount, list.unaliveNodeCount]).toEqual([3, 3, 0]);
    expect(list.unaliveNodes).toEqual([]);
  });

  it('lists UNALIVE nodes', () => {
    const list = value(parseNodeList(sample('nodes-unalive-file')));
    expect(list.unaliveNodes).toEqual(['127.0.0.1:34803']);
    expect(list.unaliveNodeCount).toBe(1);
  });

  it('reads the pre-2019 unnamed tables', () => {
    const list = value(parseNodeList(sample('nodes-legacy')));
    expect(list.nodes.map((node) => node.replicaCount)).toEqual([25, 26, 25]);
    expect(list.totalNodeCount).toBe(3);
  });

  it('compares two node lists the way the recovery wait needs, whatever file each names', () => {
    const before = value(parseNodeList(sample('nodes-detailed-file')));
    const same = value(
      parseNodeList(sample('nodes-detailed-file').replace('onebox.nodes', '/tmp/other.nodes')),
    );
    expect(sameNodeLists(before, same)).toBe(true);
    const after = value(parseNodeList(sample('nodes-unalive-file')));
    expect(compareNodeLists(before, after)).toEqual({
      missing: [],
      unexpected: [],
      changed: [{ address: '127.0.0.1:34803', expected: 'ALIVE 25', actual: 'UNALIVE 0' }],
    });
  });

  it('refuses a node without a status rather than guess', () => {
    const text = [
      '[details]',
      'address          status  get_qps',
      '127.0.0.1:34801  ALIVE        12',
      '127.0.0.1:34802              3',
    ].join('\n');
    const error = failure(parseNodeList(text));
    expect(error.kind).toBe('unrecognized');
    expect(error.offendingText).toContain('127.0.0.1:34802');
  });
});

describe('meta level', () => {
  it('reads set_meta_level and get_meta_level', () => {
    expect(value(parseSetMetaLevel(sample('set-meta-level')))).toEqual({
      oldLevel: 'steady',
      oldLevelRaw: 'fl_steady',
    });
    expect(value(parseGetMetaLevel(sample('get-meta-level')))).toEqual({
      level: 'blind',
      levelRaw: 'fl_blind',
    });
    expect(failure(parseSetMetaLevel(sample('set-meta-level-failed'))).errorCode).toBe('ERR_NETWORK_FAILURE');
    expect(failure(parseGetMetaLevel('get meta level got error ERR_TIMEOUT\n')).kind).toBe('command-failed');
    expect(failure(parseSetMetaLevel('parse blindd as meta function level failed\n')).kind).toBe(
      'command-failed',
    );
    expect(failure(parseGetMetaLevel(sample('cluster-info'))).kind).toBe('unrecognized');
  });

  it('normalises levels with or without the fl_ prefix', () => {
    expect(normalizeMetaLevel('fl_lively')).toBe('lively');
    expect(normalizeMetaLevel('Steady')).toBe('steady');
    expect(normalizeMetaLevel('fl_invalid')).toBeNull();
  });
});
