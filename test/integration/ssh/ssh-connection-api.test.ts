/**
 * Connections through an SSH jump host, end to end through the host API, against a real sshd on
 * 127.0.0.1 and the real test ZooKeeper: the first use is refused until the operator confirms the
 * host key (probed without logging in), then the explorer's session, the connection test and the
 * health probes all go through the tunnel. Secrets stay sealed: never in a profile, the audit log
 * or SQLite in clear.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { rejectionOf, startTestHost, type TestHost } from '../../setup/host-fixture';
import { type LocalSshd, PASSPHRASE, startLocalSshd } from '../../setup/local-sshd';

const zkPrimary = inject('zkPrimary');
let sshd: LocalSshd;
let dir: string;
let host: TestHost;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdesk-sshd-api-'));
  sshd = await startLocalSshd({ dir });
  host = await startTestHost('ssh-api');
});

afterAll(async () => {
  await host?.stop();
  await sshd?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function tunnelInput(overrides: Record<string, unknown> = {}) {
  return {
    host: '127.0.0.1',
    port: sshd.port,
    user: sshd.user,
    auth: 'key' as const,
    keyPath: sshd.encryptedClientKey.privateKeyPath,
    secret: PASSPHRASE,
    ...overrides,
  };
}

describe('connections through an SSH jump host', () => {
  it('asks for the host key first, then browses, tests and probes health through the tunnel', async () => {
    const { api } = host;
    const profile = await api.connections.create.mutate({
      name: 'via-bastion',
      connectString: zkPrimary,
      sessionTimeoutMs: 10_000,
      sshTunnel: tunnelInput(),
    });
    expect(profile.sshTunnel).toEqual({
      host: '127.0.0.1',
      port: sshd.port,
      user: sshd.user,
      auth: 'key',
      keyPath: sshd.encryptedClientKey.privateKeyPath,
      hasSecret: true,
    });

    // First use: refused, with the fingerprint to compare.
    const refused = await rejectionOf(api.sessions.open.mutate({ connectionId: profile.id }));
    expect(refused.message).toContain('not trusted yet');
    expect(refused.message).toContain(sshd.hostKey.fingerprint);
    expect(refused.data?.httpStatus).toBe(403);

    const probe = await api.ssh.probeHostKey.mutate({ host: '127.0.0.1', port: sshd.port });
    expect(probe).toMatchObject({
      verdict: 'unknown',
      fingerprint: sshd.hostKey.fingerprint,
      keyType: 'ssh-ed25519',
    });
    await api.ssh.trustHostKey.mutate({
      host: '127.0.0.1',
      port: sshd.port,
      keyType: probe.keyType,
      fingerprint: probe.fingerprint,
    });
    expect((await api.ssh.probeHostKey.mutate({ host: '127.0.0.1', port: sshd.port })).verdict).toBe(
      'trusted',
    );

    const state = await api.sessions.open.mutate({ connectionId: profile.id });
    expect(state.state).toBe('connected');
    const children = await api.nodes.children.query({ connectionId: profile.id, path: '/' });
    expect(children.children).toContain('zookeeper');
    const status = await api.ssh.tunnelStatus.query({ connectionId: profile.id });
    expect(status).toMatchObject({ state: 'up', jumpHost: `127.0.0.1:${sshd.port}`, user: sshd.user });
    expect(status?.forwards.map((f) => f.target)).toEqual([zkPrimary]);

    const health = await api.health.probe.query({ connectionId: profile.id });
    expect(health.via).toBe(`127.0.0.1:${sshd.port}`);
    expect(health.servers).toHaveLength(1);
    expect(health.servers[0]).toMatchObject({ address: zkPrimary, reachable: true, mode: 'standalone' });

    // Test with the stored passphrase (the form leaves the field empty on edit).
    const test = await api.connections.test.mutate({
      id: profile.id,
      input: { name: 'via-bastion', connectString: zkPrimary, sshTunnel: tunnelInput({ secret: undefined }) },
    });
    expect(test.ok).toBe(true);
    expect(test.message).toContain(`through the SSH jump host 127.0.0.1:${sshd.port}`);
    expect(test.tunnel?.targets).toEqual([{ target: zkPrimary, ok: true, error: null }]);

    const actions = (await api.audit.list.query({ limit: 100 })).map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['ssh.host-key-trusted', 'ssh.tunnel-opened', 'ssh.tunnel-failed']),
    );
    await api.sessions.close.mutate({ connectionId: profile.id });
  });

  it('keeps the passphrase sealed: not in the profile, the audit log or SQLite in clear', async () => {
    const { api } = host;
    const listed = await api.connections.list.query();
    expect(JSON.stringify(listed)).not.toContain(PASSPHRASE);
    const audit = await api.audit.list.query({ limit: 500 });
    expect(JSON.stringify(audit)).not.toContain(PASSPHRASE);
    const db = new Database(path.join(host.dataDir, 'migration-desk.db'), { readonly: true });
    try {
      const rows = db.prepare('SELECT * FROM connections').all();
      expect(JSON.stringify(rows)).not.toContain(PASSPHRASE);
      expect(
        rows.some((row) => (row as { ssh_secret_sealed: string | null }).ssh_secret_sealed !== null),
      ).toBe(true);
    } finally {
      db.close();
    }
  });

  it('says what is wrong when the key is not accepted, and refuses a changed host key', async () => {
    const { api } = host;
    const stranger = await api.connections.create.mutate({
      name: 'wrong-key',
      connectString: zkPrimary,
      sshTunnel: tunnelInput({ keyPath: sshd.strangerKey.privateKeyPath, secret: undefined }),
    });
    const denied = await rejectionOf(api.sessions.open.mutate({ connectionId: stranger.id }));
    expect(denied.message).toContain(`refused user '${sshd.user}'`);
    expect(denied.message).toContain('authorized_keys');

    // The operator once trusted another key for this host: the server's real key is refused now.
    await api.ssh.trustHostKey.mutate({
      host: '127.0.0.1',
      port: sshd.port,
      keyType: 'ssh-ed25519',
      fingerprint: sshd.strangerKey.fingerprint,
    });
    const fresh = await api.connections.create.mutate({
      name: 'changed-key',
      connectString: zkPrimary,
      sshTunnel: tunnelInput(),
    });
    const mismatch = await rejectionOf(api.sessions.open.mutate({ connectionId: fresh.id }));
    expect(mismatch.message).toContain('presented a different host key');
    expect((await api.ssh.probeHostKey.mutate({ host: '127.0.0.1', port: sshd.port })).verdict).toBe(
      'mismatch',
    );
    expect(await api.ssh.forgetHostKey.mutate({ host: '127.0.0.1', port: sshd.port })).toEqual({
      forgotten: true,
    });
  });

  it('rejects tunnel settings that cannot work, naming the field', async () => {
    const { api } = host;
    const relative = await rejectionOf(
      api.connections.create.mutate({
        name: 'bad-key-path',
        connectString: zkPrimary,
        sshTunnel: tunnelInput({ keyPath: 'id_ed25519' }),
      }),
    );
    expect(relative.message).toContain('sshTunnel.keyPath: give the full path');
    const noPassword = await rejectionOf(
      api.connections.create.mutate({
        name: 'no-password',
        connectString: zkPrimary,
        sshTunnel: tunnelInput({ auth: 'password', keyPath: undefined, secret: undefined }),
      }),
    );
    expect(noPassword.message).toContain('SSH password is required');
    const badHost = await rejectionOf(
      api.connections.create.mutate({
        name: 'bad-host',
        connectString: zkPrimary,
        sshTunnel: tunnelInput({ host: 'ops@bastion:22' }),
      }),
    );
    expect(badHost.message).toContain('without user@ or :port');
  });
});
