/**
 * Opening an SSH connection to a jump host (the ssh2 package, pure JavaScript): the host key is
 * checked against the one the operator trusted before anything else is sent, one authentication
 * method is tried (the one configured, so a failure says which), and every failure becomes an
 * SshTunnelError that says what to check.
 */
import { readFileSync } from 'node:fs';
import type { Client as SshClient, ConnectConfig } from 'ssh2';
// ssh2 is CommonJS: Node's ESM loader (tsx, vite-node) exposes only its default export, so named
// value imports fail at load time there although the bundled build works.
import ssh2 from 'ssh2';

const { Client, utils } = ssh2;
import { checkHostKey, type HostKeyIdentity, identifyHostKey, sshEndpoint } from './host-key';
import { hostKeyMismatchError, hostKeyUnknownError, SshTunnelError } from './ssh-errors';

export type SshAuth =
  | { kind: 'key'; privateKeyPath: string; passphrase?: string }
  | { kind: 'password'; password: string }
  /** The running ssh-agent (SSH_AUTH_SOCK), or the socket given. */
  | { kind: 'agent'; agentSocket?: string };

export interface SshJumpHost {
  host: string;
  port: number;
  username: string;
  auth: SshAuth;
  /** The key the operator trusted for host:port; without one the connection is refused (first use). */
  trustedHostKey?: HostKeyIdentity;
  readyTimeoutMs: number;
  /** SSH keepalives: a jump host that stops answering is noticed within interval x count. */
  keepaliveIntervalMs?: number;
}

const KEEPALIVE_COUNT_MAX = 3;

function endpointOf(jump: Pick<SshJumpHost, 'host' | 'port'>): string {
  return sshEndpoint(jump.host, jump.port);
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String((error as { code: unknown }).code)
    : undefined;
}

/** Reads and decrypts the private key here, so a wrong path or passphrase is named as such. */
function loadPrivateKey(path: string, passphrase: string | undefined): Buffer {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (error) {
    const code = errorCode(error);
    const why =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EACCES' || code === 'EPERM'
          ? 'cannot be read by this user (permission denied)'
          : `cannot be read (${code ?? String(error)})`;
    throw new SshTunnelError(
      'SSH_KEY_UNREADABLE',
      `The SSH private key file ${path} ${why}: check the path in the connection's SSH tunnel settings (it is read on the machine running Migration Desk)`,
      undefined,
      { cause: error },
    );
  }
  const parsed = utils.parseKey(data, passphrase);
  if (parsed instanceof Error) {
    const text = parsed.message;
    const message = /no passphrase/i.test(text)
      ? `The SSH private key ${path} is encrypted: enter its passphrase in the connection's SSH tunnel settings`
      : /passphrase|decrypt|bad (key|auth)/i.test(text)
        ? `The passphrase does not open the SSH private key ${path}: check the passphrase`
        : `${path} is not a private key Migration Desk can read (${text}): use an OpenSSH or PEM private key file, not the .pub file`;
    throw new SshTunnelError('SSH_KEY_UNREADABLE', message, undefined, { cause: parsed });
  }
  return data;
}

function authConfig(jump: SshJumpHost): Pick<
  ConnectConfig,
  'privateKey' | 'passphrase' | 'password' | 'agent'
> & {
  method: 'publickey' | 'password' | 'agent';
} {
  const { auth } = jump;
  if (auth.kind === 'key') {
    return {
      method: 'publickey',
      privateKey: loadPrivateKey(auth.privateKeyPath, auth.passphrase),
      ...(auth.passphrase ? { passphrase: auth.passphrase } : {}),
    };
  }
  if (auth.kind === 'password') return { method: 'password', password: auth.password };
  const socket = auth.agentSocket ?? process.env.SSH_AUTH_SOCK;
  if (!socket) {
    throw new SshTunnelError(
      'SSH_AUTH_FAILED',
      `No SSH agent for ${endpointOf(jump)}: SSH_AUTH_SOCK is not set for Migration Desk. Start ssh-agent and add your key (ssh-add) before starting the app, or use a private key file`,
    );
  }
  return { method: 'agent', agent: socket };
}

function authAdvice(jump: SshJumpHost): string {
  const user = jump.username;
  switch (jump.auth.kind) {
    case 'key':
      return `with the private key ${jump.auth.privateKeyPath}. Check the user name, and that the matching public key is in ~${user}/.ssh/authorized_keys on the jump host`;
    case 'password':
      return 'with the password given. Check the user name and password (and that the jump host allows password logins)';
    default:
      return `with the keys of the SSH agent. Check that the agent holds a key (ssh-add -l) whose public key is in ~${user}/.ssh/authorized_keys on the jump host`;
  }
}

/** Maps what ssh2 reports onto an error that says what to check. */
function describeFailure(jump: SshJumpHost, error: Error & { level?: string }): SshTunnelError {
  const where = endpointOf(jump);
  const code = errorCode(error);
  if (error.level === 'client-authentication' || /authentication methods failed/i.test(error.message)) {
    return new SshTunnelError(
      'SSH_AUTH_FAILED',
      `The SSH jump host ${where} refused user '${jump.username}' ${authAdvice(jump)}`,
      undefined,
      { cause: error },
    );
  }
  if (error.level === 'agent') {
    return new SshTunnelError(
      'SSH_AUTH_FAILED',
      `The SSH agent could not be used for ${where} (${error.message}): check that ssh-agent is running and SSH_AUTH_SOCK points at it`,
      undefined,
      { cause: error },
    );
  }
  if (error.level === 'client-timeout') {
    return new SshTunnelError(
      'SSH_TIMEOUT',
      `The SSH jump host ${where} did not complete the handshake within ${Math.round(jump.readyTimeoutMs / 1000)} s: check the host and port, and that a firewall or VPN lets you reach it`,
      undefined,
      { cause: error },
    );
  }
  if (error.level === 'client-dns' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new SshTunnelError(
      'SSH_UNREACHABLE',
      `The SSH jump host name '${jump.host}' cannot be resolved (${code ?? error.message}): check its spelling, or your DNS/VPN`,
      undefined,
      { cause: error },
    );
  }
  return new SshTunnelError(
    'SSH_UNREACHABLE',
    `Could not reach the SSH jump host ${where} (${code ?? error.message}): check that sshd runs there on that port and that you can reach it (VPN, firewall)`,
    undefined,
    { cause: error },
  );
}

/** Connects and authenticates; resolves with a ready client. */
export function openSshClient(jump: SshJumpHost): Promise<SshClient> {
  const where = endpointOf(jump);
  const { method, ...credentials } = authConfig(jump);
  return new Promise<SshClient>((resolve, reject) => {
    const client = new Client();
    let settled = false;
    let hostKeyFailure: SshTunnelError | undefined;
    const fail = (error: SshTunnelError) => {
      if (settled) return;
      settled = true;
      client.removeAllListeners('ready');
      client.end();
      reject(error);
    };
    client.once('ready', () => {
      if (settled) return;
      settled = true;
      resolve(client);
    });
    client.on('error', (error: Error & { level?: string }) => {
      fail(hostKeyFailure ?? describeFailure(jump, error));
    });
    client.once('close', () => {
      fail(
        hostKeyFailure ??
          new SshTunnelError(
            'SSH_UNREACHABLE',
            `The SSH jump host ${where} closed the connection during the handshake: check the host and port (is it an SSH server?)`,
          ),
      );
    });
    client.connect({
      host: jump.host.replace(/^\[(.*)\]$/, '$1'),
      port: jump.port,
      username: jump.username,
      ...credentials,
      // Only the configured method: a failure then names it, and no other key is offered by surprise.
      authHandler: [method],
      readyTimeout: jump.readyTimeoutMs,
      keepaliveInterval: jump.keepaliveIntervalMs ?? 5000,
      keepaliveCountMax: KEEPALIVE_COUNT_MAX,
      hostVerifier: (key: Buffer) => {
        const presented = identifyHostKey(key);
        const verdict = checkHostKey(presented, jump.trustedHostKey);
        if (verdict === 'trusted') return true;
        hostKeyFailure =
          verdict === 'unknown'
            ? hostKeyUnknownError(where, presented)
            : hostKeyMismatchError(where, jump.trustedHostKey as HostKeyIdentity, presented);
        return false;
      },
    });
  });
}

/**
 * The host key a jump host presents, without logging in: the handshake stops right after the key
 * exchange, before any credential is sent. For the first-use confirmation.
 */
export function probeHostKey(host: string, port: number, timeoutMs: number): Promise<HostKeyIdentity> {
  const where = sshEndpoint(host, port);
  return new Promise<HostKeyIdentity>((resolve, reject) => {
    const client = new Client();
    let presented: HostKeyIdentity | undefined;
    let settled = false;
    const finish = (error?: SshTunnelError) => {
      if (settled) return;
      settled = true;
      client.end();
      if (presented) resolve(presented);
      else
        reject(
          error ??
            new SshTunnelError(
              'SSH_UNREACHABLE',
              `The SSH jump host ${where} closed the connection before presenting a host key`,
            ),
        );
    };
    client.on('error', (error: Error & { level?: string }) =>
      finish(
        describeFailure(
          { host, port, username: '-', auth: { kind: 'password', password: '' }, readyTimeoutMs: timeoutMs },
          error,
        ),
      ),
    );
    client.once('close', () => finish());
    client.once('ready', () => finish());
    client.connect({
      host: host.replace(/^\[(.*)\]$/, '$1'),
      port,
      username: 'host-key-probe',
      readyTimeout: timeoutMs,
      hostVerifier: (key: Buffer) => {
        presented = identifyHostKey(key);
        // Stop here: this connection only learns the key, it never authenticates.
        setImmediate(() => finish());
        return false;
      },
    });
  });
}
