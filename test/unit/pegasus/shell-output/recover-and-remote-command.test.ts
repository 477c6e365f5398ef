import { describe, expect, it } from 'vitest';
import { parseRecover, parseRemoteCommand, parseServerInfo } from '../../../../electron/pegasus/shell-output';
import { failure, sample, value } from './sample-outputs';

describe('recover', () => {
  it('reads ERR_OK with its warning hint', () => {
    const result = value(parseRecover(sample('recover-ok')));
    expect(result).toEqual({
      waitSeconds: 100,
      skipBadNodes: false,
      skipLostPartitions: false,
      nodes: ['127.0.0.1:34801', '127.0.0.1:34802', '127.0.0.1:34803'],
      waitedSeconds: 3,
      result: 'ERR_OK',
      ok: true,
      timedOut: false,
      hints: ['WARNING: partition(2.3) only collects 2/3 of replicas, may lost data'],
      errors: [],
      warnings: ['WARNING: partition(2.3) only collects 2/3 of replicas, may lost data'],
      duplicateNodes: [],
    });
  });

  it('reads ERR_TRY_AGAIN with the hints that say what to do', () => {
    const result = value(parseRecover(sample('recover-try-again')));
    expect(result.ok).toBe(false);
    expect(result.result).toBe('ERR_TRY_AGAIN');
    expect(result.errors).toHaveLength(2);
    expect(result.errors[0]).toMatch(/node\(127\.0\.0\.1:34803\) failed .* skip_bad_nodes/);
    expect(result.errors[1]).toMatch(/partition\(12\.7\) has no replica collected/);
  });

  it('reads a shell that gave up waiting as timed out, not as a result', () => {
    const result = value(parseRecover(sample('recover-timeout')));
    expect(result).toMatchObject({
      result: null,
      ok: false,
      timedOut: true,
      waitedSeconds: 3,
      skipBadNodes: true,
    });
  });

  it('reads the -o form and refusals', () => {
    expect(value(parseRecover('recover complete with err = ERR_OK\n'))).toMatchObject({
      ok: true,
      result: 'ERR_OK',
    });
    const refused = failure(parseRecover('no node specified in file /tmp/onebox.recover.nodes\n'));
    expect(refused.kind).toBe('command-failed');
    expect(refused.offendingText).toBe('no node specified in file /tmp/onebox.recover.nodes');
    const cut = failure(parseRecover(sample('recover-ok').split('Recover result')[0]!));
    expect(cut.kind).toBe('unrecognized');
    expect(cut.message).toContain('ends before "Recover result:"');
  });
});

describe('remote_command and server_info', () => {
  it('reads the v2.5 text form from stderr', () => {
    const result = value(parseRemoteCommand(sample('server-info-v2.5')));
    expect(result.format).toBe('text');
    expect(result.command).toBe('server-info');
    expect([result.succeedCount, result.failedCount]).toEqual([3, 1]);
    expect(result.nodes[3]).toEqual({
      role: 'replica-server',
      address: '127.0.0.1:34802',
      succeeded: false,
      message: 'ERR_NETWORK_FAILURE',
    });
    const info = value(parseServerInfo(sample('server-info-v2.5')));
    expect(info[0]).toEqual({
      address: '127.0.0.1:34601',
      role: 'meta-server',
      reachable: true,
      version: '2.5.0',
      gitCommit: 'a7e4a4b8',
      buildType: 'Release',
      startedAt: '2024-03-01 09:58:12',
      raw: null,
    });
    expect(info[3]).toMatchObject({ reachable: false, version: null, raw: 'ERR_NETWORK_FAILURE' });
  });

  it('reads the master JSON form with JSON messages', () => {
    const result = value(parseRemoteCommand(sample('server-info-master')));
    expect(result.format).toBe('json');
    expect([result.succeedCount, result.failedCount]).toEqual([2, 1]);
    const info = value(parseServerInfo(sample('server-info-master')));
    expect(info.map((node) => [node.address, node.version])).toEqual([
      ['meta-1.example.com:34601', '2.6.0-SNAPSHOT'],
      ['rs-1.example.com:34801', '2.6.0-SNAPSHOT'],
      ['rs-2.example.com:34801', null],
    ]);
    expect(info[2]).toMatchObject({ reachable: false, raw: 'ERR_TIMEOUT' });
  });

  it('parses a message that is JSON text inside the JSON', () => {
    const text = JSON.stringify({
      command: 'replica.query-compact',
      details: { 'rs-1:34801': { role: 'replica-server', acked: true, message: '{"status":{"idle":2}}' } },
      succeed_count: 1,
      failed_count: 0,
    });
    expect(value(parseRemoteCommand(text)).nodes[0]?.message).toEqual({ status: { idle: 2 } });
  });

  it('names server_info in its failures', () => {
    const error = failure(parseServerInfo('Pegasus Shell 2.5.0\nprepare nodes failed, type = all\n'));
    expect(error.command).toBe('server_info');
    expect(error.kind).toBe('unrecognized');
  });
});
