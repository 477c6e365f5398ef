/**
 * A throwaway system account with a random password, for the SSH password-login tests against the
 * real local sshd (which, with UsePAM no, checks passwords against /etc/shadow). Created with
 * useradd + chpasswd, no home directory and a nologin shell (port forwarding needs no shell), and
 * removed with userdel when the test ends, or when the test process exits, so the machine is left as
 * it was. Needs root (the test machine and CI run as root); otherwise the test fails saying so.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export interface LocalPasswordUser {
  readonly name: string;
  readonly password: string;
  /** Deletes the account (idempotent). */
  remove(): void;
}

export const PASSWORD_USER_NEEDS_ROOT =
  'The SSH password-login tests create a throwaway account with useradd and need root: run them as root (as CI does)';

function userExists(name: string): boolean {
  try {
    execFileSync('getent', ['passwd', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function createLocalPasswordUser(): LocalPasswordUser {
  if (process.getuid?.() !== 0) throw new Error(PASSWORD_USER_NEEDS_ROOT);
  // Unique per run (parallel test files, leftovers of a killed run never collide); <= 32 chars.
  const name = `mdesk-pw-${randomBytes(5).toString('hex')}`;
  // Random, with characters a careless quoting would break, so the test proves they get through.
  const password = `pw ${randomBytes(12).toString('base64url')}:"$'`;
  execFileSync('useradd', ['--no-create-home', '--shell', '/usr/sbin/nologin', name], { stdio: 'pipe' });
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    process.off('exit', remove);
    if (userExists(name)) execFileSync('userdel', [name], { stdio: 'pipe' });
  };
  process.on('exit', remove);
  try {
    execFileSync('chpasswd', [], { input: `${name}:${password}\n`, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    remove();
    throw error;
  }
  return { name, password, remove };
}
