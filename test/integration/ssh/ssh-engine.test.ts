/**
 * The copy engine and the CLI through a saved connection's SSH tunnel, against a real sshd on
 * 127.0.0.1 and the real test ZooKeeper servers: a jump host whose key was never trusted is refused
 * with what to do in the app and nothing is written; once trusted, a copy through the host API and
 * `mdesk zk copy @saved:/path` both read the source through the tunnel and verify equal, and the
 * CLI's runbook steps get their sessions through it; when the jump host goes away mid-copy, the
 * reads wait, get a new SSH connection and the copy completes exactly (or, past the fault policy,
 * the run stops with the jump host named and resumes cleanly).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CliContext } from '../../../electron/cli/context';
import { openCliRunner } from '../../../electron/cli/runbook-services';
import { EngineRuns, type EngineRunsOptions } from '../../../electron/engines/zk-copy/run-manager';
import type { ProgressEvent } from '../../../electron/engines/zk-copy/types';
import {
  endpointForConnection,
  engineRunsFor,
  hostSessionFactory,
} from '../../../electron/host/services/engine-runs-service';
import type { ZkSession } from '../../../electron/zk/zk-session';
import { runMdeskOn } from '../../setup/cli-in-process';
import { startTestHost, type TestHost } from '../../setup/host-fixture';
import { type LocalSshd, PASSPHRASE, startLocalSshd } from '../../setup/local-sshd';
import { uniqueTestRoot } from '../../setup/zk-test-helpers';
import {
  connect,
  copyBetween,
  createWideTree,
  expectVerifiedEqual,
  FAULT_TREE,
  readSubtree,
  removeSubtree,
  wideTreeNodes,
} from '../engines/engine-test-kit';

const SRC = inject('zkPrimary');
const DST = inject('zkSecondary');
const source = uniqueTestRoot('ssh-engine-src');
const targets = uniqueTestRoot('ssh-engine-dst');
const NODES = wideTreeNodes(FAULT_TREE);

let sshd: LocalSshd;
let sshdDir: string;
let host: TestHost;
let src: ZkSession;
let dst: ZkSession;
let tunnelledId = '';
let targetId = '';
const extraRuns: EngineRuns[] = [];

/** mdesk in-process, on the host's data dir (the CLI and the app share the store and trusted keys). */
const mdesk = (args: string[]) => runMdeskOn(host.dataDir, args, { MDESK_ZK_AUTH: '' });

function auditActions(target: string): string[] {
  return host.host.services.store.events.list({ target, limit: 500 }).map((event) => event.action);
}

async function expectExactTarget(target: string): Promise<void> {
  const nodes = await readSubtree(dst, target);
  expect(nodes.size).toBe(NODES);
  // Every node created once: a create re-sent after it had been applied would show as a conflict.
  expect(new Set([...nodes.values()].map((node) => node.version))).toEqual(new Set([0]));
  expect(nodes.get('/p3/n00007')?.data.equals(Buffer.alloc(200, 7))).toBe(true);
}

/** Resolves with the first copy-phase progress event of the run past `done` items. */
function copyReaches(runs: EngineRuns, runId: () => string, done: number): Promise<ProgressEvent> {
  return new Promise((resolve) => {
    const listener = (event: ProgressEvent) => {
      if (event.runId !== runId() || event.phase !== 'copy' || event.done < done) return;
      runs.events.off('progress', listener);
      resolve(event);
    };
    runs.events.on('progress', listener);
  });
}

/**
 * An engine of its own on the host's store and sessions (tuned for the fault case at hand), with a
 * verified create-only copy of the source through the tunnelled connection into `target`, created.
 */
function tunnelledCopy(
  target: string,
  tuning: EngineRunsOptions['tuning'],
  faults: EngineRunsOptions['faults'],
) {
  const runs = new EngineRuns({
    store: host.host.services.store,
    actor: 'tester',
    factory: hostSessionFactory(host.host.services),
    tuning,
    faults,
  });
  extraRuns.push(runs);
  const view = runs.create(
    'zk-copy',
    copyBetween(
      endpointForConnection(host.host.services, tunnelledId, source),
      endpointForConnection(host.host.services, targetId, target),
    ),
  );
  return { runs, view };
}

beforeAll(async () => {
  sshdDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdesk-sshd-engine-'));
  sshd = await startLocalSshd({ dir: sshdDir });
  host = await startTestHost('ssh-engine');
  src = await connect(SRC);
  dst = await connect(DST);
  await createWideTree(src, source, FAULT_TREE);
  // The passphrase is sealed in SQLite; the CLI opens it with the data dir's key file.
  const profile = await host.api.connections.create.mutate({
    name: 'via-bastion',
    connectString: SRC,
    sessionTimeoutMs: 10_000,
    sshTunnel: {
      host: '127.0.0.1',
      port: sshd.port,
      user: sshd.user,
      auth: 'key',
      keyPath: sshd.encryptedClientKey.privateKeyPath,
      secret: PASSPHRASE,
    },
  });
  tunnelledId = profile.id;
  targetId = await host.addConnection('target', DST, { readWrite: true });
}, 120_000);

afterAll(async () => {
  for (const runs of extraRuns) await runs.shutdown().catch(() => undefined);
  await host?.stop();
  if (sshd?.running === false) await sshd.start().catch(() => undefined);
  await sshd?.stop();
  if (src) {
    await removeSubtree(src, source);
    await src.close();
  }
  if (dst) {
    await removeSubtree(dst, targets);
    await dst.close();
  }
  fs.rmSync(sshdDir, { recursive: true, force: true });
}, 120_000);

describe('copies through an SSH jump host', () => {
  it('refuses a jump host whose key was never trusted (CLI and API), says how to trust it, writes nothing', async () => {
    const out = await mdesk([
      'zk',
      'copy',
      `@via-bastion:${source}`,
      `zk://${DST}${targets}/refused`,
      '--json',
    ]);
    expect(out.code, out.stderr).toBe(1);
    expect(out.json.status).toBe('failed');
    const error = String(out.json.error);
    expect(error).toContain('not trusted yet');
    expect(error).toContain(sshd.hostKey.fingerprint);
    expect(error).toContain("edit 'via-bastion'");
    expect(error).toContain('Check host key');
    expect(`${out.stdout}${out.stderr}`).not.toContain(PASSPHRASE);

    const api = host.api;
    const planned = await api.zkCopy.plan
      .mutate({
        source: { connectionId: tunnelledId, path: source },
        target: { connectionId: targetId, path: `${targets}/refused-api` },
      })
      .then(
        (result) => String(result.run.result?.error?.message ?? result.run.state),
        (rejection: unknown) => (rejection instanceof Error ? rejection.message : String(rejection)),
      );
    expect(planned).toContain('not trusted yet');
    expect(planned).toContain(sshd.hostKey.fingerprint);

    expect(await dst.exists(`${targets}/refused`)).toBeNull();
    expect(await dst.exists(`${targets}/refused-api`)).toBeNull();
    expect(auditActions(tunnelledId)).toContain('ssh.tunnel-failed');
    expect(auditActions(tunnelledId)).not.toContain('ssh.tunnel-opened');

    // The operator compares the fingerprint and trusts it in the app (what the message asks for).
    await api.ssh.trustHostKey.mutate({
      host: '127.0.0.1',
      port: sshd.port,
      keyType: sshd.hostKey.keyType,
      fingerprint: sshd.hostKey.fingerprint,
    });
  }, 60_000);

  it('copies from a tunnelled source through the host API and verifies zero differences', async () => {
    const api = host.api;
    const runs = engineRunsFor(host.host.services);
    // Sampled synchronously while the copy runs: its source readers are channels of the tunnel.
    const channels: number[] = [];
    const sample = (event: ProgressEvent) => {
      if (event.phase === 'copy')
        channels.push(host.host.services.tunnels.status(tunnelledId)?.openChannels ?? 0);
    };
    runs.events.on('progress', sample);
    try {
      const { run, plan } = await api.zkCopy.plan.mutate({
        source: { connectionId: tunnelledId, path: source },
        target: { connectionId: targetId, path: `${targets}/api` },
      });
      expect(run.state, JSON.stringify(run.result?.error)).toBe('planned');
      expect(plan).toMatchObject({ creates: NODES, sourceNodes: NODES });
      await api.zkCopy.start.mutate({ runId: run.id });
      const done = await runs.wait(run.id);
      expect(done.state, JSON.stringify(done.result?.error)).toBe('completed');
      expectVerifiedEqual(done, NODES);
      // The stored run names the real servers, never the loopback forward (a resume reopens the tunnel).
      expect((await api.zkCopy.status.query({ runId: run.id })).params.source).toMatchObject({
        connectString: SRC,
      });
    } finally {
      runs.events.off('progress', sample);
    }
    expect(channels.length).toBeGreaterThan(0);
    expect(Math.max(...channels)).toBeGreaterThan(0);
    await expectExactTarget(`${targets}/api`);
    expect(auditActions(tunnelledId)).toContain('ssh.tunnel-opened');
    // Every session the run opened was closed, and let go of the tunnel with it.
    expect(host.host.services.tunnels.status(tunnelledId)?.openChannels ?? 0).toBe(0);
  }, 120_000);

  it('mdesk zk copy @tunnelled:/path zk://.../path --json completes, and closes its tunnel at exit', async () => {
    const before = auditActions(tunnelledId).filter((action) => action === 'ssh.tunnel-closed').length;
    const out = await mdesk(['zk', 'copy', `@via-bastion:${source}`, `zk://${DST}${targets}/cli`, '--json']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.json).toMatchObject({
      status: 'completed',
      created: NODES,
      errors: 0,
      verify: { matching: NODES, mismatched: 0, extraSource: 0, extraTarget: 0 },
    });
    expect(`${out.stdout}${out.stderr}`).not.toContain(PASSPHRASE);
    await expectExactTarget(`${targets}/cli`);
    const after = auditActions(tunnelledId).filter((action) => action === 'ssh.tunnel-closed').length;
    expect(after).toBe(before + 1);
  }, 120_000);

  it("gives the CLI's runbook steps their sessions through the tunnel, and closes it with the command", async () => {
    const opened = () => auditActions(tunnelledId).filter((action) => action === 'ssh.tunnel-opened').length;
    const closed = () => auditActions(tunnelledId).filter((action) => action === 'ssh.tunnel-closed').length;
    const [openedBefore, closedBefore] = [opened(), closed()];
    const context = new CliContext(
      { stdout: () => {}, stderr: () => {}, stderrIsTTY: false },
      { ...process.env, MDESK_ZK_AUTH: '' },
      host.dataDir,
    );
    const cli = openCliRunner(context);
    try {
      const session = await cli.services.zk('via-bastion');
      expect((await session.getData(`${source}/p3/n00007`)).data.equals(Buffer.alloc(200, 7))).toBe(true);
      expect(cli.services.connection('via-bastion').endpoint(source).connectString).toBe(SRC);
      expect(opened()).toBe(openedBefore + 1);
    } finally {
      await cli.close();
      await context.close();
    }
    expect(closed()).toBe(closedBefore + 1);
    // The sealed passphrase never reaches the audit log.
    expect(JSON.stringify(host.host.services.store.events.list({ limit: 1000 }))).not.toContain(PASSPHRASE);
  }, 60_000);

  it('survives the jump host going away mid-copy: reads wait, a new SSH connection, an exact copy', async () => {
    const target = `${targets}/dropped`;
    // Few reads in flight and a short backoff: still reading when the jump host goes, back quickly.
    const { runs, view } = tunnelledCopy(
      target,
      { concurrency: 8, maxBatchOps: 100 },
      { initialDelayMs: 100, maxDelayMs: 1000, giveUpAfterMs: 60_000 },
    );
    const messages: string[] = [];
    runs.events.on('progress', (event: ProgressEvent) => {
      if (event.runId === view.id && event.message) messages.push(event.message);
    });
    const reconnectsBefore = host.host.services.tunnels.status(tunnelledId)?.reconnects ?? 0;
    const midway = copyReaches(runs, () => view.id, Math.floor(NODES / 10));
    const finished = runs.start(view.id);
    await midway;
    await sshd.stop();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await sshd.start();
    const done = await finished;
    expect(done.state, JSON.stringify(done.result?.error)).toBe('completed');
    expect(done.result!.copy!.counts).toMatchObject({
      created: NODES,
      unchanged: 0,
      conflicts: 0,
      errors: 0,
    });
    expectVerifiedEqual(done, NODES);
    await expectExactTarget(target);
    expect(messages.some((message) => /while trying to (read|list).*retrying in/.test(message))).toBe(true);
    expect(host.host.services.tunnels.status(tunnelledId)?.reconnects ?? 0).toBeGreaterThan(reconnectsBefore);
  }, 120_000);

  it('stops with the jump host named when it stays away past the fault policy, then resumes exactly', async () => {
    const target = `${targets}/gave-up`;
    // One read at a time: when it fails, nothing else holds the cursor.
    const { runs, view } = tunnelledCopy(
      target,
      { concurrency: 1, maxBatchOps: 100 },
      { initialDelayMs: 50, maxDelayMs: 200, giveUpAfterMs: 1500 },
    );
    const midway = copyReaches(runs, () => view.id, Math.floor(NODES / 10));
    const finished = runs.start(view.id);
    await midway;
    await sshd.stop();
    const failed = await finished;
    expect(failed.state).toBe('failed');
    const message = failed.result?.error?.message ?? '';
    expect(message).toMatch(/Gave up after/);
    // The servers and the jump host the operator knows, not the tunnel's loopback forward.
    expect(message).toContain(SRC);
    expect(message).toContain(`through the SSH jump host 127.0.0.1:${sshd.port}`);
    expect(message).toContain('ECONNREFUSED');
    const forward = host.host.services.tunnels.status(tunnelledId)?.forwards[0]?.localPort;
    expect(forward).toBeGreaterThan(0);
    expect(message).not.toContain(`127.0.0.1:${forward}`);

    await sshd.start();
    // The operator resumes once the jump host answers again (as "Test" on the connection shows).
    const lease = await host.host.services.tunnels.acquire(tunnelledId);
    try {
      await expect
        .poll(
          () =>
            lease!.tunnel.checkTargets().then(
              (targets) => targets[0]?.ok,
              () => false,
            ),
          {
            timeout: 15_000,
            interval: 250,
          },
        )
        .toBe(true);
    } finally {
      lease?.release();
    }
    const resumed = await runs.start(view.id);
    expect(resumed.state, JSON.stringify(resumed.result?.error)).toBe('completed');
    expectVerifiedEqual(resumed, NODES);
    const copy = resumed.result!.copy!.counts;
    expect(copy.created + copy.unchanged).toBe(NODES);
    await expectExactTarget(target);
  }, 120_000);
});
