/**
 * Why an SSH jump host could not be used, with a message that says what to do. Each error also has
 * the ZooKeeper layer's code it stands for (`zkCode`), so the API maps it like any connection
 * failure: a jump host that cannot be reached is UNREACHABLE (502), one that refuses us or whose
 * host key is not trusted is AUTH_FAILED (403).
 */
import type { HostKeyIdentity } from './host-key';

export type SshErrorCode =
  | 'SSH_UNREACHABLE'
  | 'SSH_TIMEOUT'
  | 'SSH_HOST_KEY_UNKNOWN'
  | 'SSH_HOST_KEY_MISMATCH'
  | 'SSH_AUTH_FAILED'
  | 'SSH_KEY_UNREADABLE'
  | 'SSH_FORWARD_FAILED'
  | 'SSH_CLOSED';

const ZK_CODE: Record<SshErrorCode, 'UNREACHABLE' | 'AUTH_FAILED' | 'CLOSED'> = {
  SSH_UNREACHABLE: 'UNREACHABLE',
  SSH_TIMEOUT: 'UNREACHABLE',
  SSH_FORWARD_FAILED: 'UNREACHABLE',
  SSH_HOST_KEY_UNKNOWN: 'AUTH_FAILED',
  SSH_HOST_KEY_MISMATCH: 'AUTH_FAILED',
  SSH_AUTH_FAILED: 'AUTH_FAILED',
  SSH_KEY_UNREADABLE: 'AUTH_FAILED',
  SSH_CLOSED: 'CLOSED',
};

export class SshTunnelError extends Error {
  override name = 'SshTunnelError';
  constructor(
    readonly code: SshErrorCode,
    message: string,
    /** The key the server presented, for the host-key codes. */
    readonly hostKey?: HostKeyIdentity,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  /** Read by the API's error mapping (electron/host/trpc.ts). */
  get zkCode(): string {
    return ZK_CODE[this.code];
  }
}

export function isSshTunnelError(error: unknown): error is SshTunnelError {
  return error instanceof SshTunnelError;
}

export function hostKeyUnknownError(endpoint: string, presented: HostKeyIdentity): SshTunnelError {
  return new SshTunnelError(
    'SSH_HOST_KEY_UNKNOWN',
    `The SSH jump host ${endpoint} is not trusted yet: it presents a ${presented.keyType} key with fingerprint ${presented.fingerprint}. ` +
      "Compare it with the server's own (run `ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub` there, or ask its admin), then confirm it in the connection's SSH tunnel settings (Edit connection > Check host key). Nothing was sent to it.",
    presented,
  );
}

export function hostKeyMismatchError(
  endpoint: string,
  trusted: HostKeyIdentity,
  presented: HostKeyIdentity,
): SshTunnelError {
  return new SshTunnelError(
    'SSH_HOST_KEY_MISMATCH',
    `Refused: the SSH jump host ${endpoint} presented a different host key than the one you trusted (trusted ${trusted.keyType} ${trusted.fingerprint}, now ${presented.keyType} ${presented.fingerprint}). ` +
      "Someone may be intercepting the connection, or the server was reinstalled. Nothing was sent to it. Ask the server's admin whether its host key changed; only then forget the old key in the connection's SSH tunnel settings and confirm the new one.",
    presented,
  );
}
