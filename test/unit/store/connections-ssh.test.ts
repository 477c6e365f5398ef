/**
 * Jump host settings in the store: the password or passphrase sealed (never in clear in SQLite),
 * kept across edits that do not retype it, dropped when the login method changes; trusted host keys
 * per host and port.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSecretBox } from '../../../electron/platform/secret-box';
import { openStore } from '../../../electron/store/open-store';
import type { Store } from '../../../electron/store/types';

let dir: string;
let file: string;
let store: Store;
const SECRET = 'tr0ub4dor&3-passphrase';

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdesk-ssh-store-'));
  file = path.join(dir, 'store.db');
  store = openStore({ file, secretBox: createSecretBox(Buffer.alloc(32, 7)), now: () => 1000 });
});

afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const direct = {
  name: 'p',
  connectString: 'zk:2181',
  chroot: null,
  sessionTimeoutMs: 15_000,
  connectTimeoutMs: 8000,
  digestAuth: null,
};
const tunnel = {
  host: 'bastion',
  port: 22,
  user: 'ops',
  auth: 'key' as const,
  keyPath: '~/.ssh/id_ed25519',
  secret: SECRET,
};

describe('connections with an SSH jump host', () => {
  it('seals the passphrase and never returns it in a profile', () => {
    const profile = store.connections.create({ ...direct, sshTunnel: tunnel });
    expect(profile.sshTunnel).toEqual({
      host: 'bastion',
      port: 22,
      user: 'ops',
      auth: 'key',
      keyPath: '~/.ssh/id_ed25519',
      hasSecret: true,
    });
    expect(JSON.stringify(profile)).not.toContain(SECRET);
    expect(store.connections.sshSecret(profile.id)).toBe(SECRET);
    const raw = new Database(file, { readonly: true });
    const dump = JSON.stringify(raw.prepare('SELECT * FROM connections').all());
    raw.close();
    expect(dump).not.toContain(SECRET);
  });

  it('keeps the stored secret on an edit that does not retype it, and drops it with the method', () => {
    const { id } = store.connections.create({ ...direct, sshTunnel: tunnel });
    const { secret: _typed, ...withoutSecret } = tunnel;
    store.connections.update(id, { sshTunnel: { ...withoutSecret, host: 'bastion2' } });
    expect(store.connections.sshSecret(id)).toBe(SECRET);
    expect(store.connections.get(id)?.sshTunnel?.host).toBe('bastion2');
    store.connections.update(id, { sshTunnel: { ...withoutSecret, auth: 'agent', keyPath: null } });
    expect(store.connections.get(id)?.sshTunnel).toMatchObject({
      auth: 'agent',
      keyPath: null,
      hasSecret: false,
    });
    store.connections.update(id, { sshTunnel: null });
    expect(store.connections.get(id)?.sshTunnel).toBeNull();
  });

  it('leaves older connections direct', () => {
    expect(store.connections.create(direct).sshTunnel).toBeNull();
  });

  it('keeps one trusted host key per host and port', () => {
    expect(store.sshKnownHosts.get('Bastion', 22)).toBeUndefined();
    store.sshKnownHosts.trust({
      host: 'Bastion',
      port: 22,
      keyType: 'ssh-ed25519',
      fingerprint: 'SHA256:aaa',
      trustedBy: 'ops',
    });
    expect(store.sshKnownHosts.get('bastion', 22)).toEqual({
      host: 'bastion',
      port: 22,
      keyType: 'ssh-ed25519',
      fingerprint: 'SHA256:aaa',
      trustedAt: 1000,
      trustedBy: 'ops',
    });
    expect(store.sshKnownHosts.get('bastion', 2222)).toBeUndefined();
    store.sshKnownHosts.trust({
      host: 'bastion',
      port: 22,
      keyType: 'ssh-ed25519',
      fingerprint: 'SHA256:bbb',
      trustedBy: 'ops',
    });
    expect(store.sshKnownHosts.list().map((k) => k.fingerprint)).toEqual(['SHA256:bbb']);
    expect(store.sshKnownHosts.forget('bastion', 22)).toBe(true);
    expect(store.sshKnownHosts.forget('bastion', 22)).toBe(false);
  });
});
