/**
 * Four-letter-word parsing against verbatim ZooKeeper 3.8.0 answers (test/fixtures/four-letter-words),
 * a 3.4-style srvr, and the warning rules over hand-made server reports.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ServerHealth } from '../../../shared/api/ensemble-health';
import {
  isNotServing,
  isWhitelistRefusal,
  mntrNumber,
  parseConf,
  parseCons,
  parseMntr,
  parseSrvr,
  splitZxid,
} from '../../../electron/zk/ensemble-health/four-letter-parsers';
import {
  ensembleSummary,
  healthWarnings,
  OUTSTANDING_WARN,
  WHITELIST_LINE,
} from '../../../electron/zk/ensemble-health/health-rules';

const fixture = (name: string) =>
  fs.readFileSync(path.join(__dirname, '../../fixtures/four-letter-words', name), 'utf8');

describe('four-letter-word parsers', () => {
  it('reads srvr of a leader and a follower', () => {
    const leader = parseSrvr(fixture('leader-srvr.txt'));
    expect(leader).toEqual({
      // Debian's build leaves Maven's placeholder in the version line, verbatim.
      version: ['3.8.0-$', '{mvngit.commit.id}, built on 2024-12-29 17:54 UTC'].join(''),
      latency: { min: 1, avg: 8.8571, max: 27 },
      received: 9,
      sent: 8,
      connections: 2,
      outstanding: 0,
      zxid: '0x100000006',
      mode: 'leader',
      nodeCount: 10,
    });
    expect(parseSrvr(fixture('follower-srvr.txt')).mode).toBe('follower');
  });

  it('reads a 3.4 srvr (integer average latency, no proposal line)', () => {
    const old = parseSrvr(
      'Zookeeper version: 3.4.14-4c25d480e66aadd371de8bd2fd8da255ac140bcf, built on 03/06/2019 16:18 GMT\n' +
        'Latency min/avg/max: 0/2/47\nReceived: 120\nSent: 119\nConnections: 3\nOutstanding: 0\n' +
        'Zxid: 0x2000001A3\nMode: standalone\nNode count: 1234\n',
    );
    expect(old).toMatchObject({
      latency: { min: 0, avg: 2, max: 47 },
      zxid: '0x2000001a3',
      mode: 'standalone',
    });
  });

  it('tells a member without quorum and a refused word apart from data', () => {
    const alone = fixture('not-serving-srvr.txt');
    expect(isNotServing(alone)).toBe(true);
    expect(parseSrvr(alone).mode).toBe('not-serving');
    expect(isWhitelistRefusal(fixture('refused-mntr.txt'))).toBe(true);
    expect(isWhitelistRefusal(fixture('leader-srvr.txt'))).toBe(false);
  });

  it('reads mntr counters', () => {
    const leader = parseMntr(fixture('leader-mntr.txt'));
    expect(leader.get('zk_server_state')).toBe('leader');
    expect(mntrNumber(leader, 'zk_znode_count')).toBe(10);
    expect(mntrNumber(leader, 'zk_learners')).toBe(2);
    expect(mntrNumber(leader, 'zk_synced_followers')).toBe(2);
    expect(mntrNumber(leader, 'zk_approximate_data_size')).toBeGreaterThan(0);
    const follower = parseMntr(fixture('follower-mntr.txt'));
    expect(mntrNumber(follower, 'zk_watch_count')).toBe(0);
    expect(mntrNumber(follower, 'zk_max_file_descriptor_count')).toBe(20000);
    expect(mntrNumber(follower, 'zk_missing')).toBeNull();
  });

  it('reads conf with its membership section', () => {
    const conf = parseConf(fixture('follower-conf.txt'));
    expect(conf.values.get('serverId')).toBe('1');
    expect(conf.values.get('tickTime')).toBe('2000');
    expect(conf.membership).toHaveLength(3);
    expect(conf.membership[0]).toMatch(/^server\.1=127\.0\.0\.1:\d+:\d+:participant$/);
  });

  it('reads cons sessions and leaves the probe connection out', () => {
    const clients = parseCons(fixture('leader-cons.txt'));
    expect(clients).toEqual([
      {
        address: '127.0.0.1:33026',
        sessionId: '0x30000abe9fa0000',
        queued: 0,
        received: 7,
        sent: 7,
        lastOperation: 'GETC',
        avgLatencyMs: 8,
        maxLatencyMs: 27,
      },
    ]);
  });

  it('splits a zxid into epoch and counter', () => {
    expect(splitZxid('0x100000006')).toEqual({ epoch: 1, counter: 6 });
    expect(splitZxid('0x0')).toEqual({ epoch: 0, counter: 0 });
  });
});

function server(address: string, overrides: Partial<ServerHealth> = {}): ServerHealth {
  return {
    address,
    reachable: true,
    error: null,
    probeMs: 1,
    words: { srvr: 'ok', mntr: 'ok', conf: 'ok', cons: 'ok', ruok: 'ok' },
    mode: 'follower',
    version: '3.8.0-abc, built on 2024-12-29',
    zxid: '0x100000010',
    epoch: 1,
    latency: { min: 0, avg: 0.5, max: 3 },
    outstanding: 0,
    nodeCount: 10,
    watchCount: 0,
    ephemerals: 0,
    dataSize: 100,
    connections: 1,
    received: 1,
    sent: 1,
    openFileDescriptors: 40,
    maxFileDescriptors: 20000,
    followers: null,
    syncedFollowers: null,
    serverId: null,
    membership: [],
    config: {},
    clients: [],
    clientCount: 0,
    ruok: true,
    ...overrides,
  };
}

const codes = (servers: ServerHealth[]) => healthWarnings(servers).map((w) => `${w.severity}:${w.code}`);

describe('ensemble health rules', () => {
  it('has nothing to say about a healthy ensemble', () => {
    const servers = [
      server('zk1:2181', { mode: 'leader', followers: 2, syncedFollowers: 2 }),
      server('zk2:2181'),
      server('zk3:2181'),
    ];
    expect(healthWarnings(servers)).toEqual([]);
    expect(ensembleSummary(servers)).toEqual({
      kind: 'ensemble',
      leader: 'zk1:2181',
      reachable: 3,
      total: 3,
      serving: 3,
    });
  });

  it('warns about a server down, and calls it critical once the majority is gone', () => {
    const down = (address: string) =>
      server(address, { reachable: false, error: 'ECONNREFUSED', mode: 'unknown' });
    const one = healthWarnings([
      server('zk1:2181', { mode: 'leader' }),
      server('zk2:2181'),
      down('zk3:2181'),
    ]);
    expect(one.map((w) => `${w.severity}:${w.code}`)).toEqual(['warning:unreachable']);
    expect(one[0]?.message).toContain('survives 1 down');
    const two = codes([
      server('zk1:2181', { mode: 'not-serving', zxid: null }),
      down('zk2:2181'),
      down('zk3:2181'),
    ]);
    expect(two).toEqual(['critical:unreachable', 'critical:unreachable', 'critical:not-serving']);
  });

  it('counts the members the ensemble itself lists, and a leader means the quorum stands', () => {
    const membership = ['server.1=a:2888:3888', 'server.2=b:2888:3888', 'server.3=c:2888:3888'];
    const down = (address: string) =>
      server(address, { reachable: false, error: 'ECONNREFUSED', mode: 'unknown' });
    const warnings = healthWarnings([
      server('a:1', { mode: 'leader', membership }),
      server('b:1', { membership }),
      down('c:1'),
      down('typo:1'),
    ]);
    expect(warnings.map((w) => `${w.severity}:${w.code}`)).toEqual([
      'warning:unreachable',
      'warning:unreachable',
    ]);
    expect(warnings[0]?.message).toContain('an ensemble of 3 members survives 1 down');
  });

  it('flags no leader, two leaders, and standalone servers in one connect string', () => {
    expect(codes([server('a:1'), server('b:1'), server('c:1')])).toContain('critical:no-leader');
    expect(codes([server('a:1', { mode: 'leader' }), server('b:1', { mode: 'leader' })])).toContain(
      'critical:several-leaders',
    );
    const standalones = healthWarnings([
      server('a:1', { mode: 'standalone', zxid: '0x10', nodeCount: 5 }),
      server('b:1', { mode: 'standalone', zxid: '0x99', nodeCount: 7 }),
    ]);
    expect(standalones.map((w) => w.code)).toEqual(['standalone-in-ensemble', 'zxid-divergence']);
    expect(standalones[1]?.message).toContain('a:1 at 0x10 with 5 nodes');
  });

  it('flags a member trailing the leader, but not a fresh election or a small lag', () => {
    const leader = server('a:1', { mode: 'leader', zxid: '0x100002000' });
    expect(
      codes([leader, server('b:1', { zxid: '0x100001ff0' }), server('c:1', { zxid: '0x100000001' })]),
    ).toEqual(['warning:zxid-divergence']);
    // Right after an election: leader at epoch 1 counter 0, followers still at 0x0.
    expect(
      codes([server('a:1', { mode: 'leader', zxid: '0x100000000' }), server('b:1', { zxid: '0x0' })]),
    ).toEqual([]);
  });

  it('flags piling requests, slow answers, file descriptors and unsynced learners', () => {
    const warnings = codes([
      server('a:1', { mode: 'leader', followers: 2, syncedFollowers: 1, outstanding: OUTSTANDING_WARN }),
      server('b:1', { latency: { min: 5, avg: 250, max: 4000 } }),
      server('c:1', { openFileDescriptors: 19_000 }),
    ]);
    expect(warnings).toEqual([
      'warning:outstanding-high',
      'warning:followers-not-synced',
      'warning:latency-high',
      'warning:file-descriptors',
    ]);
  });

  it('explains the whitelist line when a server refuses words', () => {
    const warnings = healthWarnings([
      server('a:1', { mode: 'leader' }),
      server('b:1', { words: { srvr: 'ok', ruok: 'ok', mntr: 'refused', conf: 'refused', cons: 'refused' } }),
    ]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ severity: 'info', code: 'whitelist', servers: ['b:1'] });
    expect(warnings[0]?.message).toContain('b:1 refuses mntr, conf, cons');
    expect(warnings[0]?.message).toContain(WHITELIST_LINE);
  });

  it('notes mixed versions', () => {
    expect(
      codes([server('a:1', { mode: 'leader' }), server('b:1', { version: '3.7.1-xyz, built on 2022' })]),
    ).toEqual(['info:version-mismatch']);
  });
});
