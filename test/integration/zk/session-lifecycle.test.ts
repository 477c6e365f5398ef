/**
 * Connection loss, server restart, a frozen server, session expiry and close, against a server this
 * file owns (the global pair lives in another process and must stay up for the other files).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { digestAcl } from '../../../electron/zk/acl';
import { ZkError } from '../../../electron/zk/errors';
import { ZkSession } from '../../../electron/zk/zk-session';
import { type LocalZooKeeper, startLocalZooKeeper } from '../../../scripts/local-zookeeper';
import {
  expireSession,
  recordStates,
  uniqueTestRoot,
  waitForSessionState,
} from '../../setup/zk-test-helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'md-zk-lifecycle-'));
let server: LocalZooKeeper;
const sessions: ZkSession[] = [];

async function open(sessionTimeoutMs: number, extra: { maxInFlight?: number; digestAuth?: string[] } = {}) {
  const session = await ZkSession.connect({
    connectString: server.connectString,
    sessionTimeoutMs,
    connectTimeoutMs: 5000,
    ...extra,
  });
  sessions.push(session);
  return session;
}

beforeAll(async () => {
  server = await startLocalZooKeeper({ dir });
});

afterAll(async () => {
  await Promise.allSettled(sessions.map((s) => s.close()));
  if (server) {
    try {
      process.kill(server.pid, 'SIGCONT');
    } catch {
      // not running
    }
    await server.stop();
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('session lifecycle', () => {
  it('survives a server restart: reconnecting, then connected in the same session, with auth re-sent', async () => {
    const session = await open(10_000, { digestAuth: ['ops:pw'] });
    const root = uniqueTestRoot('restart');
    await session.create(root, Buffer.from('before'), { acl: [digestAcl('ops', 'pw')] });
    const sessionId = session.sessionId;
    const states = recordStates(session);

    const reconnecting = waitForSessionState(session, 'reconnecting', 5000);
    await server.stop();
    expect(server.running).toBe(false);
    const lost = await reconnecting;
    expect(lost.message).toMatch(
      /Lost the connection to 127\.0\.0\.1:\d+; reconnecting within the same session/,
    );
    expect(session.state).toBe('reconnecting');

    // A read issued while the server is down waits for the reconnect instead of failing.
    const pendingRead = session.getData(root);
    const connected = waitForSessionState(session, 'connected', 15_000);
    await server.start();
    const back = await connected;
    expect(back.sessionId).toBe(sessionId);
    expect(back.message).toMatch(/Reconnected/);
    expect(states.map((s) => s.state)).toEqual(['reconnecting', 'connected']);

    // The digest credential is per connection: reading the protected node proves it was re-sent.
    expect((await pendingRead).data.toString()).toBe('before');
    await session.setData(root, Buffer.from('after'), 0);
    expect((await session.getData(root)).data.toString()).toBe('after');
    await session.remove(root, 1);
  });

  it('fails a request with CONNECTION_LOSS and a message after the timeout while the server is down', async () => {
    const session = await open(4000);
    const reconnecting = waitForSessionState(session, 'reconnecting', 5000);
    await server.stop();
    await reconnecting;
    const started = Date.now();
    const error = await session.getData('/').then(
      () => undefined,
      (e: unknown) => e as ZkError,
    );
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(ZkError);
    expect(error?.code).toBe('CONNECTION_LOSS');
    expect(error?.message).toMatch(
      /Not connected to ZooKeeper at 127\.0\.0\.1:\d+ for 4 s \(reconnecting\), so could not read \//,
    );
    expect(error?.message).toMatch(/the request was not sent/);
    expect(elapsed).toBeGreaterThanOrEqual(3900);
    expect(elapsed).toBeLessThan(6000);
    const connected = waitForSessionState(session, 'connected', 15_000);
    await server.start();
    await connected;
    expect((await session.exists('/'))?.numChildren).toBeGreaterThanOrEqual(1);
  });

  it('notices a frozen server (no FIN, no answers) and reconnects when it thaws', async () => {
    const session = await open(6000);
    const states = recordStates(session);
    const reconnecting = waitForSessionState(session, 'reconnecting', 8000);
    const frozenAt = Date.now();
    process.kill(server.pid, 'SIGSTOP');
    try {
      await reconnecting;
    } finally {
      process.kill(server.pid, 'SIGCONT');
    }
    // Two thirds of the session timeout without a byte from the server, plus one watchdog tick.
    expect(Date.now() - frozenAt).toBeLessThan(6000);
    await waitForSessionState(session, 'connected', 15_000);
    expect(states[0]?.state).toBe('reconnecting');
    expect(states.at(-1)?.state).toBe('connected');
    expect(await session.exists('/')).not.toBeNull();
  });

  it('replaces an expired session with a new one, re-adding digest auth', async () => {
    // Short timeout: if our reconnect wins the race against the intruder's closeSession, the server
    // leaves the connection mute and the watchdog (2/3 of the timeout) has to notice.
    const session = await open(6000, { digestAuth: ['ops:pw'] });
    const root = uniqueTestRoot('expiry');
    await session.create(root, Buffer.from('kept'), { acl: [digestAcl('ops', 'pw')] });
    const ephemeral = await session.create(`${root}/eph`, Buffer.alloc(0), { mode: 'ephemeral' });
    const oldSessionId = session.sessionId;
    const states = recordStates(session);

    const connectedAgain = new Promise<string | undefined>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no new session (saw ${states.map((s) => s.state).join(', ')})`)),
        20_000,
      );
      session.on('state', (state: string, detail: { sessionId?: string }) => {
        if (state === 'connected' && detail.sessionId !== oldSessionId) {
          clearTimeout(timer);
          resolve(detail.sessionId);
        }
      });
    });
    await expireSession(session, server.connectString, { untilExpired: true });
    const newSessionId = await connectedAgain;

    expect(newSessionId).toMatch(/^0x[0-9a-f]+$/);
    expect(newSessionId).not.toBe(oldSessionId);
    expect(session.sessionId).toBe(newSessionId);
    const sequence = states.map((s) => s.state);
    expect(sequence.slice(-3)).toEqual(['expired', 'connecting', 'connected']);
    // Before the expiry the connection may drop and come back in the old session (the intruder
    // attaching makes the server close our socket): only those two states may precede it.
    const beforeExpiry = sequence.slice(0, -3);
    expect(beforeExpiry.every((s) => s === 'reconnecting' || s === 'connected')).toBe(true);
    expect(beforeExpiry.at(-1)).toBe('reconnecting');
    const expired = states.find((s) => s.state === 'expired');
    expect(expired?.sessionId).toBe(oldSessionId);
    expect(expired?.message).toMatch(
      /expired.*ephemeral nodes and watches are gone\. Opening a new session\./,
    );

    // The old session's ephemeral is gone; the new session carries the credential again.
    expect(await session.exists(ephemeral)).toBeNull();
    expect((await session.getData(root)).data.toString()).toBe('kept');
    await session.remove(root, -1);
  });

  it('close() emits closed, lets the request already sent finish, and rejects queued work with CLOSED', async () => {
    const session = await open(10_000, { maxInFlight: 1 });
    const states = recordStates(session);
    const requests = Array.from({ length: 50 }, () =>
      session.exists('/').then(
        () => 'ok',
        (e: ZkError) => e.code,
      ),
    );
    // Let the first request reach the server before closing.
    for (let i = 0; i < 100 && session.stats().outstanding === 0; i += 1)
      await new Promise((r) => setImmediate(r));
    expect(session.stats()).toMatchObject({ outstanding: 1, inFlight: 1, queued: 49 });
    await session.close();
    const outcomes = await Promise.all(requests);
    expect(outcomes[0]).toBe('ok');
    expect(outcomes.slice(1).every((o) => o === 'CLOSED')).toBe(true);
    expect(states.map((s) => s.state)).toEqual(['closed']);
    expect(session.state).toBe('closed');
    const after = await session.getData('/').catch((e: ZkError) => e);
    expect(after).toBeInstanceOf(ZkError);
    expect((after as ZkError).code).toBe('CLOSED');
    await session.close();
  });

  it('uses its own server, not the shared ones', () => {
    expect(server.connectString).not.toBe(inject('zkPrimary'));
    expect(server.connectString).not.toBe(inject('zkSecondary'));
  });
});
