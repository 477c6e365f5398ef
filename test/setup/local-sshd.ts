/**
 * A real OpenSSH server (Debian's openssh-server) on 127.0.0.1 for the SSH tunnel tests: its own
 * host key, an authorized client key and a config in a temp dir, options that work without a system
 * install (StrictModes no, UsePAM no, absolute paths everywhere), started with -D and stopped by PID.
 * The login user is whoever runs the tests. When sshd is missing the tests fail with what to install.
 * With `passwordUser`, password logins are allowed too, for a throwaway system account (see
 * local-password-user.ts) that only exists while the fixture runs.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { findFreePort, stopProcess } from '../../scripts/local-zookeeper';
import type { LocalPasswordUser } from './local-password-user';

export const SSHD = '/usr/sbin/sshd';
export const SSHD_NOT_INSTALLED =
  'OpenSSH server is not installed: run `sudo apt-get install openssh-server` (the SSH tunnel tests start their own sshd on 127.0.0.1; no service is needed)';

export interface SshKeyPair {
  privateKeyPath: string;
  publicKey: string;
  /** `SHA256:...` as ssh-keygen -lf prints it. */
  fingerprint: string;
  keyType: string;
}

export interface LocalSshd {
  readonly port: number;
  readonly user: string;
  readonly dir: string;
  readonly hostKey: SshKeyPair;
  /** Authorized for `user`. */
  readonly clientKey: SshKeyPair;
  /** Authorized, encrypted with PASSPHRASE. */
  readonly encryptedClientKey: SshKeyPair;
  /** Not authorized: a login with it must be refused. */
  readonly strangerKey: SshKeyPair;
  readonly running: boolean;
  stop(): Promise<void>;
  /** The account allowed to log in with a password (only when started with `passwordUser`). */
  readonly passwordUser?: LocalPasswordUser;
  /** Starts it again on the same port with the same keys (after stop()). */
  start(): Promise<void>;
}

export const PASSPHRASE = 'correct horse battery staple';

export function generateKeyPair(file: string, passphrase = ''): SshKeyPair {
  execFileSync(
    'ssh-keygen',
    ['-q', '-t', 'ed25519', '-N', passphrase, '-C', path.basename(file), '-f', file],
    {
      stdio: 'ignore',
    },
  );
  const listing = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${file}.pub`], {
    encoding: 'utf8',
  });
  const fingerprint = /(SHA256:[A-Za-z0-9+/]+)/.exec(listing)?.[1];
  if (!fingerprint) throw new Error(`ssh-keygen printed no fingerprint for ${file}: ${listing}`);
  return {
    privateKeyPath: file,
    publicKey: fs.readFileSync(`${file}.pub`, 'utf8').trim(),
    fingerprint,
    keyType: 'ssh-ed25519',
  };
}

/** PIDs of the processes below `pid` (sshd's per-login processes call setsid, so no group kill reaches them). */
function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(name)]);
    } catch {
      // exited while we looked
    }
  }
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const child of parents.get(parent) ?? []) {
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves once the server sends its SSH banner. */
function banner(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no banner'));
    }, 2000);
    socket.once('data', (chunk) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(chunk.toString('latin1'));
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

export async function startLocalSshd(options: {
  dir: string;
  /** Also accept password logins, for this account (created by createLocalPasswordUser). */
  passwordUser?: LocalPasswordUser;
}): Promise<LocalSshd> {
  if (!fs.existsSync(SSHD)) throw new Error(SSHD_NOT_INSTALLED);
  const dir = path.resolve(options.dir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const user = os.userInfo().username;
  const hostKey = generateKeyPair(path.join(dir, 'host_ed25519_key'));
  const clientKey = generateKeyPair(path.join(dir, 'client_key'));
  const encryptedClientKey = generateKeyPair(path.join(dir, 'client_key_encrypted'), PASSPHRASE);
  const strangerKey = generateKeyPair(path.join(dir, 'stranger_key'));
  fs.writeFileSync(
    path.join(dir, 'authorized_keys'),
    `${clientKey.publicKey}\n${encryptedClientKey.publicKey}\n`,
    {
      mode: 0o600,
    },
  );
  const port = await findFreePort();
  const config = path.join(dir, 'sshd_config');
  fs.writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey.privateKeyPath}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      'StrictModes no',
      'UsePAM no',
      'PubkeyAuthentication yes',
      // UsePAM no: sshd checks the password against /etc/shadow itself (it runs as root here).
      `PasswordAuthentication ${options.passwordUser ? 'yes' : 'no'}`,
      'PermitEmptyPasswords no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'AllowTcpForwarding yes',
      'X11Forwarding no',
      'PrintMotd no',
      'LogLevel VERBOSE',
      '',
    ].join('\n'),
  );
  // As root, sshd insists on its privilege separation directory (Debian creates it at boot).
  if (process.getuid?.() === 0) fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const logFile = path.join(dir, 'sshd.log');
  let child: ChildProcess | undefined;

  const isRunning = () => child !== undefined && child.exitCode === null && child.signalCode === null;
  const launch = async () => {
    const log = fs.openSync(logFile, 'a');
    try {
      // Absolute path: sshd re-executes itself and refuses a relative one.
      child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', log, log] });
    } finally {
      fs.closeSync(log);
    }
    child.on('error', () => undefined);
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (!isRunning()) {
        throw new Error(
          `sshd exited before it was ready; see ${logFile}:\n${fs.readFileSync(logFile, 'utf8')}`,
        );
      }
      const greeting = await banner(port).catch(() => '');
      if (greeting.startsWith('SSH-2.0-')) return;
      await sleep(100);
    }
    throw new Error(`sshd on 127.0.0.1:${port} did not answer within 20 s; see ${logFile}`);
  };
  const killOnExit = () => {
    const pid = child?.pid;
    if (!pid) return;
    for (const target of [...descendants(pid), pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  await launch();
  process.on('exit', killOnExit);

  return {
    port,
    user,
    dir,
    hostKey,
    clientKey,
    encryptedClientKey,
    strangerKey,
    ...(options.passwordUser ? { passwordUser: options.passwordUser } : {}),
    get running() {
      return isRunning();
    },
    async stop() {
      const pid = child?.pid;
      if (!pid) return;
      // The logins at once, as when the jump host goes away (they hold the client connections;
      // sshd's listener does not end them), then the listener.
      for (const login of descendants(pid)) {
        try {
          process.kill(login, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      if (isRunning()) await stopProcess(pid, 5000, child);
      process.off('exit', killOnExit);
    },
    async start() {
      if (isRunning()) throw new Error('sshd is still running');
      await launch();
      process.on('exit', killOnExit);
    },
  };
}
