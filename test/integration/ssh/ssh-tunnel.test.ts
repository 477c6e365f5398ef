/**
 * The SSH tunnel against a real OpenSSH server (Debian's sshd on 127.0.0.1, started here) and the
 * real test ZooKeeper: a session through the jump host reads and writes byte-exact data; an
 * untrusted or changed host key, a key the server does not accept and an encrypted key without its
 * passphrase are refused with a message that says what to do; a jump host that goes away and comes
 * back gets a new SSH connection and the same ZooKeeper session carries on.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseConnectString } from '../../../shared/connect-string';
import type { SshJumpHost } from '../../../electron/ssh/ssh-connect';
import { SshTunnelError } from '../../../electron/ssh/ssh-errors';
import { SshTunnel } from '../../../electron/ssh/ssh-tunnel';
import { ZkSession } from '../../../electron/zk/zk-session';
import { type LocalSshd, PASSPHRASE, startLocalSshd } from '../../setup/local-sshd';
import { readWithKazoo, uniqueTestRoot, waitForSessionState } from '../../setup/zk-test-helpers';

const zkPrimary = inject('zkPrimary');
let sshd: LocalSshd;
let dir: string;
const opened: { close(): Promise<void> }[] = [];

function jump(overrides: Partial<SshJumpHost> = {}): SshJumpHost {
  return {
    host: '127.0.0.1',
    port: sshd.port,
    username: sshd.user,
    auth: { kind: 'key', privateKeyPath: sshd.clientKey.privateKeyPath },
    trustedHostKey: { keyType: sshd.hostKey.keyType, fingerprint: sshd.hostKey.fingerprint },
    readyTimeoutMs: 15_000,
    keepaliveIntervalMs: 1000,
    ...overrides,
  };
}

async function openTunnel(overrides: Partial<SshJumpHost> = {}): Promise<SshTunnel> {
  const parsed = parseConnectString(zkPrimary);
  if (!parsed.ok) throw new Error(parsed.error);
  const tunnel = await SshTunnel.open(jump(overrides), parsed.value.hosts);
  opened.push(tunnel);
  return tunnel;
}

async function refusal(promise: Promise<unknown>): Promise<SshTunnelError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof SshTunnelError))
    throw new Error(`expected an SshTunnelError, got ${String(outcome)}`);
  return outcome;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdesk-sshd-'));
  sshd = await startLocalSshd({ dir });
});

afterAll(async () => {
  for (const item of opened.reverse()) await item.close().catch(() => undefined);
  await sshd?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('SSH tunnel to ZooKeeper', () => {
  it('carries a ZooKeeper session through the jump host, bytes intact both ways', async () => {
    const tunnel = await openTunnel();
    expect(tunnel.forwards).toHaveLength(1);
    expect(tunnel.forwards[0]?.target).toBe(zkPrimary);
    expect(tunnel.connectString('/')).toMatch(/^127\.0\.0\.1:\d+\/$/);
    const session = await ZkSession.connect({
      connectString: tunnel.connectString(),
      sessionTimeoutMs: 10_000,
      connectTimeoutMs: 10_000,
    });
    opened.push(session);
    const root = uniqueTestRoot('ssh-bytes');
    const bytes = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x41, 0x0a]);
    await session.create(root, bytes);
    // kazoo connects directly, not through the tunnel: the bytes reached the real server.
    const direct = await readWithKazoo(zkPrimary, root);
    expect(direct?.equals(bytes)).toBe(true);
    const back = await session.getData(root);
    expect(back.data.equals(bytes)).toBe(true);
    expect(tunnel.status()).toMatchObject({ state: 'up', reconnects: 0, jumpHost: `127.0.0.1:${sshd.port}` });
    expect(await tunnel.checkTargets()).toEqual([{ target: zkPrimary, ok: true, error: null }]);
    await session.remove(root, -1);
  });

  it('refuses a jump host whose key was never trusted, naming its fingerprint', async () => {
    const error = await refusal(openTunnel({ trustedHostKey: undefined }));
    expect(error.code).toBe('SSH_HOST_KEY_UNKNOWN');
    expect(error.hostKey).toEqual({ keyType: 'ssh-ed25519', fingerprint: sshd.hostKey.fingerprint });
    expect(error.message).toContain(sshd.hostKey.fingerprint);
    expect(error.message).toContain('confirm it');
    expect(error.zkCode).toBe('AUTH_FAILED');
  });

  it('refuses a jump host whose key changed, and says what to check before trusting the new one', async () => {
    const error = await refusal(
      openTunnel({ trustedHostKey: { keyType: 'ssh-ed25519', fingerprint: sshd.strangerKey.fingerprint } }),
    );
    expect(error.code).toBe('SSH_HOST_KEY_MISMATCH');
    expect(error.message).toContain(`trusted ssh-ed25519 ${sshd.strangerKey.fingerprint}`);
    expect(error.message).toContain(`now ssh-ed25519 ${sshd.hostKey.fingerprint}`);
    expect(error.message).toMatch(/intercepting/);
    expect(error.message).toMatch(/Nothing was sent/);
  });

  it('says which user and key the jump host refused', async () => {
    const error = await refusal(
      openTunnel({ auth: { kind: 'key', privateKeyPath: sshd.strangerKey.privateKeyPath } }),
    );
    expect(error.code).toBe('SSH_AUTH_FAILED');
    expect(error.message).toContain(`refused user '${sshd.user}'`);
    expect(error.message).toContain(sshd.strangerKey.privateKeyPath);
    expect(error.message).toContain('authorized_keys');
  });

  it('tells a missing key file, a missing passphrase and a wrong one apart', async () => {
    const missing = await refusal(
      openTunnel({ auth: { kind: 'key', privateKeyPath: path.join(dir, 'nope') } }),
    );
    expect(missing.code).toBe('SSH_KEY_UNREADABLE');
    expect(missing.message).toMatch(/does not exist/);
    const encrypted = sshd.encryptedClientKey.privateKeyPath;
    const noPassphrase = await refusal(openTunnel({ auth: { kind: 'key', privateKeyPath: encrypted } }));
    expect(noPassphrase.message).toMatch(/is encrypted: enter its passphrase/);
    const wrong = await refusal(
      openTunnel({ auth: { kind: 'key', privateKeyPath: encrypted, passphrase: 'not it' } }),
    );
    expect(wrong.message).toMatch(/passphrase does not open/);
    const tunnel = await openTunnel({
      auth: { kind: 'key', privateKeyPath: encrypted, passphrase: PASSPHRASE },
    });
    expect(tunnel.status().state).toBe('up');
  });

  it('logs in with the keys of a running ssh-agent', async () => {
    const socket = path.join(dir, 'agent.sock');
    const agent: ChildProcess = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    opened.push({
      close: async () => {
        agent.kill('SIGTERM');
      },
    });
    const deadline = Date.now() + 10_000;
    while (!fs.existsSync(socket) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    execFileSync('ssh-add', [sshd.clientKey.privateKeyPath], {
      env: { ...process.env, SSH_AUTH_SOCK: socket },
      stdio: 'ignore',
    });
    const tunnel = await openTunnel({ auth: { kind: 'agent', agentSocket: socket } });
    expect(await tunnel.checkTargets()).toEqual([{ target: zkPrimary, ok: true, error: null }]);
    const noAgent = await refusal(
      openTunnel({ auth: { kind: 'agent', agentSocket: path.join(dir, 'none.sock') } }),
    );
    expect(noAgent.code).toBe('SSH_AUTH_FAILED');
  });

  it('says when the jump host cannot be reached at all', async () => {
    const error = await refusal(openTunnel({ port: 1 }));
    expect(error.code).toBe('SSH_UNREACHABLE');
    expect(error.message).toContain('127.0.0.1:1');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('recreates the SSH connection when the jump host comes back, and the session carries on', async () => {
    const tunnel = await openTunnel();
    const session = await ZkSession.connect({
      connectString: tunnel.connectString(),
      sessionTimeoutMs: 30_000,
      connectTimeoutMs: 10_000,
    });
    opened.push(session);
    const sessionId = session.sessionId;
    const root = uniqueTestRoot('ssh-reconnect');
    await session.create(root, Buffer.from('before'));

    const lost = waitForSessionState(session, 'reconnecting', 25_000);
    await sshd.stop();
    await lost;
    // SSH keepalives (1 s x 3 here) notice the loss even when no FIN arrives.
    await expect.poll(() => tunnel.status().state, { timeout: 25_000 }).not.toBe('up');

    const back = waitForSessionState(session, 'connected', 25_000);
    await sshd.start();
    await back;
    expect(session.sessionId).toBe(sessionId);
    expect((await session.getData(root)).data.toString()).toBe('before');
    expect(tunnel.status().reconnects).toBeGreaterThanOrEqual(1);
    expect(tunnel.status().state).toBe('up');
    await session.remove(root, -1);
  });
});
