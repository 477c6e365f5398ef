import { describe, expect, it } from 'vitest';
import type { PegasusProfile } from '../../../../shared/api/pegasus-profile';
import {
  addBackupPolicyCommand,
  addDupCommand,
  adminCliAddDupCommand,
  adminCliBackupCommand,
  adminCliBackupStatusCommand,
  adminCliChangeDupCommand,
  adminCliInvocation,
  adminCliListDupCommand,
  adminCliRestoreCommand,
  changeDupCommand,
  clusterInfoCommand,
  CommandOptionError,
  copyDataCommand,
  countDataCommand,
  createTableCommand,
  delAppEnvsCommand,
  getAppEnvsCommand,
  getMetaLevelCommand,
  invocationCommand,
  lsCommand,
  nodesCommand,
  profileShellCommand,
  queryBulkLoadStatusCommand,
  queryDupCommand,
  recoverCommand,
  recoverFromReplicaServerConfig,
  recoverNodeListContents,
  recoverNodeListFile,
  remoteCommand,
  serverInfoCommand,
  sessionCommand,
  setAppEnvsCommand,
  setDupFailModeCommand,
  setMetaLevelCommand,
  shellInvocation,
  shellRestoreCommand,
  startBulkLoadCommand,
  toolLines,
  zookeeperHostsConfig,
} from '../../../../electron/pegasus/commands';
import { sdsSplitArgs } from '../../../fixtures/pegasus-shell/sds-split-args.mjs';

const profile = (
  tools: PegasusProfile['tools'],
  metaServers = ['10.0.0.1:34601', '10.0.0.2:34601'],
): PegasusProfile => ({
  id: 'p1',
  name: 'prod',
  connectionId: null,
  clusterRoot: '/pegasus/prod',
  metaServers,
  tools,
  createdAt: 0,
  updatedAt: 0,
});

/** Every line of a pegasus-shell command, split back the way the shell splits it. */
const split = (text: string) => text.split('\n').map((line) => sdsSplitArgs(line));

describe('shell and admin-cli invocations', () => {
  it('starts run.sh from its directory with --cluster, or -n without meta servers', () => {
    const runSh = { kind: 'run.sh' as const, pegasusDir: '/opt/pegasus/', clusterName: 'prod' };
    expect(shellInvocation(runSh, ['10.0.0.1:34601', '10.0.0.2:34601'])).toEqual({
      argv: ['/opt/pegasus/run.sh', 'shell', '--cluster', '10.0.0.1:34601,10.0.0.2:34601'],
      cwd: '/opt/pegasus',
    });
    expect(shellInvocation(runSh, [])).toEqual({
      argv: ['/opt/pegasus/run.sh', 'shell', '-n', 'prod'],
      cwd: '/opt/pegasus',
    });
    expect(() => shellInvocation({ kind: 'run.sh', pegasusDir: '/opt/pegasus' }, [])).toThrow(
      /meta servers .* or a cluster name/,
    );
    expect(profileShellCommand(profile({ shell: runSh, adminCli: null }))).toEqual({
      label: 'Start the Pegasus shell of prod',
      kind: 'shell',
      text: 'cd /opt/pegasus && ./run.sh shell --cluster 10.0.0.1:34601,10.0.0.2:34601',
      argv: ['/opt/pegasus/run.sh', 'shell', '--cluster', '10.0.0.1:34601,10.0.0.2:34601'],
    });
  });

  it('starts pegasus_shell with its config and cluster name, quoted for a POSIX shell', () => {
    const shell = {
      kind: 'pegasus_shell' as const,
      binary: '/opt/my pegasus/pegasus_shell',
      config: '/etc/pegasus/shell.ini',
      clusterName: 'prod',
    };
    const command = profileShellCommand(profile({ shell, adminCli: null }));
    expect(command?.text).toBe("'/opt/my pegasus/pegasus_shell' /etc/pegasus/shell.ini prod");
    expect(command?.argv).toEqual(['/opt/my pegasus/pegasus_shell', '/etc/pegasus/shell.ini', 'prod']);
    expect(profileShellCommand(profile({ shell: null, adminCli: null }))).toBeNull();
  });

  it('starts admin-cli with IPv4 meta addresses only', () => {
    expect(adminCliInvocation('/opt/admin-cli', ['10.0.0.1:34601', '10.0.0.2:34601']).argv).toEqual([
      '/opt/admin-cli',
      '-m',
      '10.0.0.1:34601,10.0.0.2:34601',
    ]);
    expect(() => adminCliInvocation('/opt/admin-cli', ['meta-1:34601'])).toThrow(/must be ip:port/);
    expect(() => adminCliInvocation('/opt/admin-cli', [])).toThrow(/needs the meta servers/);
  });

  it('writes a whole session as one paste with a quoted here-document', () => {
    const invocation = shellInvocation({ kind: 'run.sh', pegasusDir: '/opt/pegasus' }, ['10.0.0.1:34601']);
    const session = sessionCommand('Copy temp', invocation, 'pegasus-shell', [
      ['use', 'temp'],
      ['copy_data', '-c', 'tjsrv', '-a', 'temp', '-x', '$HOME prefix'],
    ]);
    expect(session.text).toBe(
      'cd /opt/pegasus && ./run.sh shell --cluster 10.0.0.1:34601 <<\'MDESK_EOF\'\nuse temp\ncopy_data -c tjsrv -a temp -x "$HOME prefix"\nMDESK_EOF',
    );
    const tricky = sessionCommand('x', invocation, 'pegasus-shell', [['MDESK_EOF']]);
    expect(tricky.text).toContain("<<'MDESK_EOF_'");
    expect(invocationCommand('Start', invocation).kind).toBe('shell');
  });
});

describe('cluster commands', () => {
  it('builds cluster_info, ls, nodes and the meta level lines', () => {
    expect(clusterInfoCommand()).toMatchObject({
      kind: 'pegasus-shell',
      text: 'cluster_info',
      argv: ['cluster_info'],
    });
    expect(clusterInfoCommand({ json: true }).text).toBe('cluster_info -j');
    expect(lsCommand({ detailed: true, outFile: '/tmp/prod.apps' }).text).toBe('ls -d -o /tmp/prod.apps');
    expect(lsCommand({ all: true, status: 'dropped' }).text).toBe('ls -a -s dropped');
    expect(nodesCommand({ outFile: '/tmp/prod.nodes' }).text).toBe('nodes -d -o /tmp/prod.nodes');
    expect(setMetaLevelCommand('blind').text).toBe('set_meta_level blind');
    expect(() => setMetaLevelCommand('fl_blind' as 'blind')).toThrow(CommandOptionError);
    expect(getMetaLevelCommand().text).toBe('get_meta_level');
  });

  it('builds recover with its options and the node list file', () => {
    expect(
      recoverCommand({ nodeListFile: '/tmp/prod.recover.nodes', waitSeconds: 300, skipBadNodes: true }).text,
    ).toBe('recover -f /tmp/prod.recover.nodes -w 300 -b');
    expect(() => recoverCommand({ nodeListFile: '/tmp/x', waitSeconds: 0 })).toThrow(
      /recover -w \(seconds\) must be a whole number at least 1/,
    );
    expect(recoverNodeListContents(['10.0.0.11:34801', '10.0.0.12:34801'], 'from nodes -d at 10:00')).toBe(
      '# Replica servers for recover -f, from nodes -d at 10:00\n10.0.0.11:34801\n10.0.0.12:34801\n',
    );
    expect(() => recoverNodeListContents(['rs-1.example.com:34801'], 'x')).toThrow(/must be ip:port/);
    expect(() => recoverNodeListContents(['10.0.0.11:34801', '10.0.0.11:34801'], 'x')).toThrow(/twice/);
    expect(() => recoverNodeListContents([], 'x')).toThrow(/empty/);
    const [file, write] = recoverNodeListFile(['10.0.0.11:34801'], '/tmp/prod recover.nodes', 'x');
    expect(file).toMatchObject({
      kind: 'config',
      text: '# Replica servers for recover -f, x\n10.0.0.11:34801',
    });
    expect(write?.text).toBe(
      "cat > '/tmp/prod recover.nodes' <<'MDESK_EOF'\n# Replica servers for recover -f, x\n10.0.0.11:34801\nMDESK_EOF",
    );
  });

  it('builds remote_command and server_info', () => {
    expect(remoteCommand({ command: 'flush-log', target: 'replica-server' }).text).toBe(
      'remote_command -t replica-server flush-log',
    );
    expect(remoteCommand({ command: 'server-stat', nodes: ['10.0.0.11:34801'] }).text).toBe(
      'remote_command -l 10.0.0.11:34801 server-stat',
    );
    expect(() => remoteCommand({ command: 'x', target: 'all', nodes: ['10.0.0.11:34801'] })).toThrow(
      /not both/,
    );
    expect(() => remoteCommand({ command: 'x; rm' })).toThrow(/not a remote command name/);
    expect(serverInfoCommand().text).toBe('server_info');
    expect(serverInfoCommand('meta-server').text).toBe('server_info -t meta-server');
  });

  it('writes the meta server config lines', () => {
    expect(zookeeperHostsConfig('zk1:2181,zk2:2181').text).toBe(
      '[zookeeper]\nhosts_list = zk1:2181,zk2:2181',
    );
    expect(() => zookeeperHostsConfig('zk1:2181/pegasus')).toThrow(/cluster_root instead/);
    expect(recoverFromReplicaServerConfig(true)).toMatchObject({
      kind: 'config',
      text: '[meta_server]\nrecover_from_replica_server = true',
    });
    expect(recoverFromReplicaServerConfig(false).label).toMatch(/a restart with true crashes the meta/);
  });
});

describe('table commands', () => {
  it('builds copy_data with every option, after use', () => {
    const command = copyDataCommand({
      sourceTable: 'temp',
      targetCluster: 'tjsrv',
      targetTable: 'temp_copy',
      partition: 3,
      maxBatchCount: 1000,
      timeoutMs: 10000,
      hashKeyFilter: { type: 'prefix', pattern: 'user 1' },
      sortKeyFilter: { type: 'exact', pattern: 'profile' },
      valueFilter: { type: 'anywhere', pattern: '"vip"' },
      scanBatchSize: 100,
      noTtl: true,
      noOverwrite: true,
      geo: true,
    });
    expect(split(command.text)).toEqual([
      ['use', 'temp'],
      [
        'copy_data',
        '-c',
        'tjsrv',
        '-a',
        'temp_copy',
        '-p',
        '3',
        '-b',
        '1000',
        '-t',
        '10000',
        '-h',
        'prefix',
        '-x',
        'user 1',
        '-s',
        'exact',
        '-y',
        'profile',
        '-v',
        'anywhere',
        '-z',
        '"vip"',
        '-o',
        '100',
        '-e',
        '-n',
        '-g',
      ],
    ]);
    expect(command.argv).toBeUndefined();
    expect(toolLines(command)).toHaveLength(2);
    const multi = copyDataCommand({
      sourceTable: 'temp',
      targetCluster: 'tjsrv',
      targetTable: 'temp',
      useMultiSet: true,
      maxMultiSetConcurrency: 50,
      noValue: true,
    });
    expect(multi.text.split('\n')[1]).toBe('copy_data -c tjsrv -a temp -m 50 -i -u');
  });

  it('refuses the combinations the shell refuses', () => {
    const base = { sourceTable: 'temp', targetCluster: 'tjsrv', targetTable: 'temp' };
    expect(() =>
      copyDataCommand({ ...base, valueFilter: { type: 'prefix', pattern: 'x' }, noValue: true }),
    ).toThrow(/-v.*-i/);
    expect(() => copyDataCommand({ ...base, useMultiSet: true, noOverwrite: true })).toThrow(/no_overwrite/);
    expect(() => copyDataCommand({ ...base, maxMultiSetConcurrency: 5 })).toThrow(
      /only applies with multi_set/,
    );
    expect(() => copyDataCommand({ ...base, maxBatchCount: 1 })).toThrow(/at least 2/);
    expect(() => copyDataCommand({ ...base, targetTable: 'bad name' })).toThrow(
      /not a valid Pegasus table name/,
    );
    expect(() => copyDataCommand({ ...base, targetCluster: 'two words' })).toThrow(/must be one word/);
    expect(() =>
      copyDataCommand({ ...base, hashKeyFilter: { type: 'exact' as 'prefix', pattern: 'x' } }),
    ).toThrow(/Hash key filter type must be one of anywhere, prefix, postfix/);
  });

  it('builds create, count_data and the table envs', () => {
    expect(
      createTableCommand({
        table: 'temp',
        partitionCount: 64,
        replicaCount: 3,
        envs: { 'rocksdb.allow_ingest_behind': 'true' },
      }).text,
    ).toBe('create temp -p 64 -r 3 -e rocksdb.allow_ingest_behind=true');
    expect(() => createTableCommand({ table: 'temp', partitionCount: 0 })).toThrow(
      /Partition count must be a whole number between 1 and 65536/,
    );
    expect(countDataCommand({ table: 'temp', precise: true, runSeconds: 60 }).text).toBe(
      'use temp\ncount_data -c -r 60',
    );
    expect(
      setAppEnvsCommand('temp', {
        'replica.deny_client_request': 'timeout*write',
        'rocksdb.usage_scenario': 'bulk_load',
      }).text,
    ).toBe(
      'use temp\nset_app_envs replica.deny_client_request timeout*write rocksdb.usage_scenario bulk_load',
    );
    expect(setAppEnvsCommand('temp', { 'replica.deny_client_request': 'reconfig*all' }).label).toBe(
      'Set replica.deny_client_request=reconfig*all on temp',
    );
    expect(() => setAppEnvsCommand('temp', { 'replica.deny_client_request': 'nothing*write' })).toThrow(
      /<reconfig\|timeout>\*<read\|write\|all>/,
    );
    expect(() => setAppEnvsCommand('temp', { 'rocksdb.allow_ingest_behind': 'yes' })).toThrow(
      /true or false/,
    );
    expect(() => setAppEnvsCommand('temp', {})).toThrow(/at least one/);
    expect(getAppEnvsCommand('temp').text).toBe('use temp\nget_app_envs');
    expect(delAppEnvsCommand('temp', ['replica.deny_client_request']).text).toBe(
      'use temp\ndel_app_envs replica.deny_client_request',
    );
  });
});

describe('duplication, backup and bulk load', () => {
  it('builds the shell duplication commands', () => {
    expect(
      addDupCommand({
        table: 'temp',
        remoteCluster: 'tjsrv',
        checkpoint: true,
        remoteTable: 'temp2',
        remoteReplicaCount: 3,
      }).text,
    ).toBe('add_dup temp tjsrv -s -a temp2 -r 3');
    expect(addDupCommand({ table: 'temp', remoteCluster: 'tjsrv', checkpoint: false }).label).toMatch(
      /new writes only/,
    );
    expect(queryDupCommand('temp', true).text).toBe('query_dup temp -d');
    expect(changeDupCommand('pause', 'temp', 1709258400).text).toBe('pause_dup temp 1709258400');
    expect(changeDupCommand('start', 'temp', 1709258400).label).toMatch(/only from DS_PAUSE/);
    expect(() => changeDupCommand('pause', 'temp', 0)).toThrow(/dupid/);
    expect(setDupFailModeCommand('temp', 1709258400, 'skip')).toMatchObject({
      text: 'set_dup_fail_mode temp 1709258400 skip',
      label: expect.stringMatching(/LOST/),
    });
  });

  it('builds the admin-cli duplication and backup commands', () => {
    expect(adminCliAddDupCommand('temp', 'tjsrv', true)).toMatchObject({
      kind: 'admin-cli',
      text: 'use temp\ndup add -c tjsrv -p',
    });
    expect(adminCliListDupCommand('temp').text).toBe('use temp\ndup list');
    expect(adminCliChangeDupCommand('remove', 'temp', 42).text).toBe('use temp\ndup remove -d 42');
    expect(
      adminCliBackupCommand({ tableId: 12, providerType: 'hdfs_service', backupPath: '/backup' }).text,
    ).toBe('backup 12 hdfs_service /backup');
    expect(adminCliBackupStatusCommand(12, 1647413226412).text).toBe('query-backup-status 12 1647413226412');
    const restore = {
      oldCluster: 'prod',
      oldTable: 'temp',
      oldTableId: 12,
      backupId: 1647413226412,
      providerType: 'hdfs_service',
      newTable: 'temp_restored',
      skipBadPartition: true,
    };
    expect(adminCliRestoreCommand(restore).text).toBe(
      'restore -c prod -a temp -i 12 -t 1647413226412 -b hdfs_service -n temp_restored -s',
    );
    expect(shellRestoreCommand({ ...restore, policyName: 'daily' }).text).toBe(
      'restore_app -c prod -p daily -a temp -i 12 -t 1647413226412 -b hdfs_service -n temp_restored -s',
    );
    expect(
      addBackupPolicyCommand({
        policyName: 'daily',
        providerType: 'hdfs_service',
        tableIds: [12, 13],
        intervalSeconds: 86400,
        startTime: '01:30',
        historyCount: 3,
      }).text,
    ).toBe('add_backup_policy -p daily -b hdfs_service -a 12,13 -i 86400 -s 01:30 -c 3');
    expect(() =>
      addBackupPolicyCommand({
        policyName: 'daily',
        providerType: 'hdfs_service',
        tableIds: [12],
        intervalSeconds: 86400,
        startTime: '1:30',
        historyCount: 3,
      }),
    ).toThrow(/HH:MM/);
  });

  it('builds the bulk load commands', () => {
    expect(
      startBulkLoadCommand({
        table: 'temp',
        cluster: 'prod',
        providerType: 'hdfs_service',
        rootPath: '/bulk',
        ingestBehind: true,
      }).text,
    ).toBe('start_bulk_load -a temp -c prod -p hdfs_service -r /bulk -i');
    expect(queryBulkLoadStatusCommand('temp', { detailed: true }).text).toBe(
      'query_bulk_load_status -a temp -d',
    );
    expect(queryBulkLoadStatusCommand('temp', { partition: 3 }).text).toBe(
      'query_bulk_load_status -a temp -i 3',
    );
  });
});
