/**
 * Ensemble health through the host API against real servers: a three-member ensemble started here
 * (QuorumPeerMain; member 3 whitelists only srvr and ruok) plus a port where nothing listens, then
 * the leader stopped; and the two standalone test servers named in one connect string.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { EnsembleHealth } from '../../../shared/api/ensemble-health';
import { findFreePort } from '../../../scripts/local-zookeeper';
import { startTestHost, type TestHost } from '../../setup/host-fixture';
import { type LocalEnsemble, startLocalEnsemble } from '../../setup/local-ensemble';

let host: TestHost;
let ensemble: LocalEnsemble;
let dir: string;
let deadAddress: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdesk-ensemble-'));
  ensemble = await startLocalEnsemble({ dir, whitelist: { 3: 'srvr,ruok' } });
  deadAddress = `127.0.0.1:${await findFreePort()}`;
  host = await startTestHost('health');
}, 120_000);

afterAll(async () => {
  await host?.stop();
  await ensemble?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const byAddress = (health: EnsembleHealth, address: string) => {
  const found = health.servers.find((s) => s.address === address);
  if (!found) throw new Error(`no report for ${address}`);
  return found;
};

describe('ensemble health API', () => {
  it('shows every member side by side, the dead one marked, and explains the whitelist', async () => {
    const id = await host.addConnection('ensemble', `${ensemble.connectString},${deadAddress}`);
    const health = await host.api.health.probe.query({ connectionId: id });
    expect(health.via).toBeNull();
    expect(health.servers.map((s) => s.address)).toEqual([
      ...ensemble.members.map((m) => m.address),
      deadAddress,
    ]);
    expect(health.summary).toMatchObject({ kind: 'ensemble', reachable: 3, total: 4, serving: 3 });
    const modes = ensemble.members.map((m) => byAddress(health, m.address).mode).sort();
    expect(modes).toEqual(['follower', 'follower', 'leader']);
    expect(health.summary.leader).toBe(health.servers.find((s) => s.mode === 'leader')?.address);

    const [first] = ensemble.members;
    const full = byAddress(health, first!.address);
    expect(full.words).toEqual({ srvr: 'ok', mntr: 'ok', conf: 'ok', cons: 'ok', ruok: 'ok' });
    expect(full.zxid).toMatch(/^0x[0-9a-f]+$/);
    expect(full.nodeCount).toBeGreaterThanOrEqual(4);
    expect(full.watchCount).not.toBeNull();
    expect(full.dataSize).toBeGreaterThan(0);
    expect(full.latency).not.toBeNull();
    expect(full.serverId).toBe('1');
    expect(full.membership).toHaveLength(3);
    expect(full.ruok).toBe(true);
    expect(full.version).toMatch(/^3\.\d+\.\d+/);

    const narrow = byAddress(health, ensemble.members[2]!.address);
    expect(narrow.words).toMatchObject({
      srvr: 'ok',
      ruok: 'ok',
      mntr: 'refused',
      conf: 'refused',
      cons: 'refused',
    });
    expect(narrow.nodeCount).not.toBeNull();
    expect(narrow.watchCount).toBeNull();
    expect(health.whitelistAdvice).toBe('4lw.commands.whitelist=srvr,mntr,conf,cons,ruok');
    const whitelist = health.warnings.find((w) => w.code === 'whitelist');
    expect(whitelist?.servers).toEqual([narrow.address]);
    expect(whitelist?.message).toContain('refuses mntr, conf, cons');

    const dead = byAddress(health, deadAddress);
    expect(dead).toMatchObject({ reachable: false, mode: 'unknown', zxid: null });
    expect(dead.error).toMatch(/ECONNREFUSED/);
    const down = health.warnings.find((w) => w.code === 'unreachable');
    expect(down).toMatchObject({ severity: 'warning', servers: [deadAddress] });
    expect(health.warnings.some((w) => w.code === 'no-leader')).toBe(false);
  });

  it('sees the leader go down and another take over', async () => {
    const id = await host.addConnection('ensemble-failover', ensemble.connectString);
    const before = await host.api.health.probe.query({ connectionId: id });
    const oldLeader = ensemble.members.find((m) => m.address === before.summary.leader);
    expect(oldLeader).toBeDefined();
    await oldLeader!.stop();

    // A new election takes a few seconds (longer on a loaded machine): poll, bounded.
    let after: EnsembleHealth | undefined;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      after = await host.api.health.probe.query({ connectionId: id });
      if (after.summary.leader && after.summary.leader !== oldLeader!.address) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(after?.summary.leader).not.toBeNull();
    expect(after?.summary.leader).not.toBe(oldLeader!.address);
    expect(byAddress(after!, oldLeader!.address).reachable).toBe(false);
    const down = after!.warnings.find((w) => w.code === 'unreachable');
    expect(down?.servers).toEqual([oldLeader!.address]);
    expect(down?.message).toContain('survives 1 down');
  }, 90_000);

  it('refuses to call two standalone servers an ensemble', async () => {
    const id = await host.addConnection('two-standalones', `${inject('zkPrimary')},${inject('zkSecondary')}`);
    const health = await host.api.health.probe.query({ connectionId: id });
    expect(health.servers.map((s) => s.mode)).toEqual(['standalone', 'standalone']);
    expect(health.summary.kind).toBe('mixed');
    const warning = health.warnings.find((w) => w.code === 'standalone-in-ensemble');
    expect(warning?.severity).toBe('critical');
    expect(warning?.message).toContain('they are not one ensemble');
  });
});
