/** The SSH jump host part of the connection form: what it sends, what it keeps, what it refuses. */
import { describe, expect, it } from 'vitest';
import type { ConnectionProfile } from '../../../shared/api/connections';
import {
  fieldErrorsToForm,
  initialFormValues,
  toConnectionInput,
  validateConnectionForm,
} from '../../../renderer/src/features/connections/connection-form-model';

const base = { ...initialFormValues(), name: 'prod', connectString: 'zk1:2181,zk2:2181' };
const withTunnel = {
  ...base,
  sshEnabled: true,
  sshHost: 'bastion.example.com',
  sshPort: 2222,
  sshUser: 'ops',
  sshKeyPath: '~/.ssh/id_ed25519',
};

const saved: ConnectionProfile = {
  id: 'c1',
  name: 'prod',
  connectString: 'zk1:2181',
  chroot: null,
  sessionTimeoutMs: 15_000,
  connectTimeoutMs: 8000,
  hasDigestAuth: false,
  readOnly: true,
  createdAt: 0,
  updatedAt: 0,
  sshTunnel: { host: 'bastion', port: 22, user: 'ops', auth: 'password', keyPath: null, hasSecret: true },
};

describe('connection form: SSH jump host', () => {
  it('sends the jump host with a key file, and no secret when none was typed', () => {
    expect(validateConnectionForm(withTunnel)).toEqual({});
    expect(toConnectionInput(withTunnel).sshTunnel).toEqual({
      host: 'bastion.example.com',
      port: 2222,
      user: 'ops',
      auth: 'key',
      keyPath: '~/.ssh/id_ed25519',
    });
    expect(toConnectionInput({ ...withTunnel, sshSecret: 'pass phrase' }).sshTunnel?.secret).toBe(
      'pass phrase',
    );
  });

  it('leaves a direct connection alone, and removes a saved jump host switched off', () => {
    expect('sshTunnel' in toConnectionInput(base)).toBe(false);
    const editing = { ...initialFormValues(saved), sshEnabled: false };
    expect(toConnectionInput(editing).sshTunnel).toBeNull();
  });

  it('requires a password for password logins, unless one is stored', () => {
    const password = { ...withTunnel, sshAuth: 'password' as const };
    expect(validateConnectionForm(password).sshSecret).toBe(
      'Enter the SSH password (password authentication needs one), or pick key or agent',
    );
    const edit = initialFormValues(saved);
    expect(edit.sshEnabled).toBe(true);
    expect(validateConnectionForm({ ...edit, name: 'prod' }, saved)).toEqual({});
    expect(toConnectionInput(edit).sshTunnel).toEqual({
      host: 'bastion',
      port: 22,
      user: 'ops',
      auth: 'password',
    });
  });

  it('puts the schema messages on the SSH fields', () => {
    const errors = validateConnectionForm({
      ...withTunnel,
      sshHost: 'ops@bastion',
      sshUser: '',
      sshKeyPath: 'id_rsa.pub',
    });
    expect(errors.sshHost).toBe('Enter the SSH host as a host name or an IP address, without user@ or :port');
    expect(errors.sshUser).toBe('Enter the user to log in to the jump host as, e.g. ops');
    expect(errors.sshKeyPath).toMatch(/full path/);
    expect(
      validateConnectionForm({ ...withTunnel, sshKeyPath: '/home/ops/.ssh/id_rsa.pub' }).sshKeyPath,
    ).toMatch(/public key/);
    expect(validateConnectionForm({ ...withTunnel, sshPort: 70000 }).sshPort).toBe(
      'Enter an SSH port from 1 to 65535 (usually 22)',
    );
    expect(fieldErrorsToForm({ 'sshTunnel.secret': 'x', 'sshTunnel.host': 'y' })).toEqual({
      sshSecret: 'x',
      sshHost: 'y',
    });
  });
});
