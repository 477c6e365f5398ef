/**
 * SSH password logins through the host API, against the real local sshd (password logins allowed
 * for a throwaway account made for this file and removed after) and the real test ZooKeeper: a
 * connection saved with a password tunnels to ZooKeeper; a wrong password is refused with a message
 * that says what to check; the password is in no API answer, and not in the SQLite files' bytes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { rejectionOf, startTestHost, type TestHost } from '../../setup/host-fixture';
import { createLocalPasswordUser, type LocalPasswordUser } from '../../setup/local-password-user';
import { type LocalSshd, startLocalSshd } from '../../setup/local-sshd';

const zkPrimary = inject('zkPrimary');
let account: LocalPasswordUser;
let sshd: LocalSshd;
let dir: string;
let host: TestHost;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdesk-sshd-pw-'));
  account = createLocalPasswordUser();
  sshd = await startLocalSshd({ dir, passwordUser: account });
  host = await startTestHost('ssh-pw');
  const probe = await host.api.ssh.probeHostKey.mutate({ host: '127.0.0.1', port: sshd.port });
  await host.api.ssh.trustHostKey.mutate({
    host: '127.0.0.1',
    port: sshd.port,
    keyType: probe.keyType,
    fingerprint: probe.fingerprint,
  });
});

afterAll(async () => {
  await host?.stop();
  await sshd?.stop();
  account?.remove();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function passwordTunnel(password: string | undefined) {
  return {
    host: '127.0.0.1',
    port: sshd.port,
    user: account.name,
    auth: 'password' as const,
    secret: password,
  };
}

/** Every byte SQLite wrote for the data dir (the database, its WAL and journal if present). */
function sqliteBytes(dataDir: string): Buffer {
  const files = fs.readdirSync(dataDir).filter((name) => name.includes('.db'));
  expect(files).toContain('migration-desk.db');
  return Buffer.concat(files.map((name) => fs.readFileSync(path.join(dataDir, name))));
}

describe('SSH password login', () => {
  it('tunnels to ZooKeeper with a connection saved with a password', async () => {
    const { api } = host;
    const profile = await api.connections.create.mutate({
      name: 'via-password',
      connectString: zkPrimary,
      sessionTimeoutMs: 10_000,
      sshTunnel: passwordTunnel(account.password),
    });
    expect(profile.sshTunnel).toMatchObject({ auth: 'password', user: account.name, hasSecret: true });

    const state = await api.sessions.open.mutate({ connectionId: profile.id });
    expect(state.state).toBe('connected');
    const children = await api.nodes.children.query({ connectionId: profile.id, path: '/' });
    expect(children.children).toContain('zookeeper');
    const status = await api.ssh.tunnelStatus.query({ connectionId: profile.id });
    expect(status).toMatchObject({ state: 'up', jumpHost: `127.0.0.1:${sshd.port}`, user: account.name });
    // sshd itself says which method it accepted: the password, not some key.
    expect(fs.readFileSync(path.join(sshd.dir, 'sshd.log'), 'utf8')).toContain(
      `Accepted password for ${account.name}`,
    );

    // The form leaves the password empty on edit: the stored one is used.
    const test = await api.connections.test.mutate({
      id: profile.id,
      input: { name: 'via-password', connectString: zkPrimary, sshTunnel: passwordTunnel(undefined) },
    });
    expect(test.ok).toBe(true);
    expect(test.tunnel?.targets).toEqual([{ target: zkPrimary, ok: true, error: null }]);
    await api.sessions.close.mutate({ connectionId: profile.id });
  });

  it('refuses a wrong password with a message that says what to check', async () => {
    const { api } = host;
    const wrong = await api.connections.create.mutate({
      name: 'wrong-password',
      connectString: zkPrimary,
      sshTunnel: passwordTunnel(`${account.password}x`),
    });
    const denied = await rejectionOf(api.sessions.open.mutate({ connectionId: wrong.id }));
    expect(denied.message).toContain(
      `The SSH jump host 127.0.0.1:${sshd.port} refused user '${account.name}'`,
    );
    expect(denied.message).toContain('Check the user name and password');
    expect(denied.message).not.toContain(account.password);

    // The connection test says the same, without opening a session.
    const test = await api.connections.test.mutate({
      input: { name: 'wrong-password', connectString: zkPrimary, sshTunnel: passwordTunnel('not it') },
    });
    expect(test.ok).toBe(false);
    expect(test.message).toContain(`refused user '${account.name}'`);
    expect(test.message).toContain('Check the user name and password');
  });

  it('never keeps the password in clear: not in answers, the audit log or the SQLite files', async () => {
    const { api } = host;
    const listed = await api.connections.list.query();
    expect(listed.some((c: { name: string }) => c.name === 'via-password')).toBe(true);
    expect(JSON.stringify(listed)).not.toContain(account.password);
    expect(JSON.stringify(await api.audit.list.query({ limit: 500 }))).not.toContain(account.password);

    const bytes = sqliteBytes(host.dataDir);
    for (const encoding of ['utf8', 'utf16le', 'latin1'] as const) {
      expect(bytes.includes(Buffer.from(account.password, encoding))).toBe(false);
    }
    // The part after the fixed prefix, alone: no fragment of the secret leaked either.
    const random = account.password.slice(3, 19);
    expect(bytes.includes(Buffer.from(random, 'utf8'))).toBe(false);
  });
});
