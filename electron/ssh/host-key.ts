/**
 * SSH host keys as an operator compares them: the SHA-256 fingerprint in OpenSSH's format
 * (`SHA256:` + unpadded base64, what `ssh-keygen -lf key.pub` and `ssh` print) and the key type.
 */
import { createHash } from 'node:crypto';

export interface HostKeyIdentity {
  /** 'ssh-ed25519', 'ecdsa-sha2-nistp256', 'rsa-sha2-512' keys say 'ssh-rsa', ... */
  keyType: string;
  /** `SHA256:...` as OpenSSH prints it. */
  fingerprint: string;
}

export type HostKeyVerdict = 'trusted' | 'unknown' | 'mismatch';

export function hostKeyFingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The key type is the first string of the key blob (RFC 4253 section 6.6). */
export function hostKeyType(key: Buffer): string {
  if (key.length < 4) return 'unknown';
  const length = key.readUInt32BE(0);
  if (length <= 0 || length > 64 || 4 + length > key.length) return 'unknown';
  return key.subarray(4, 4 + length).toString('latin1');
}

export function identifyHostKey(key: Buffer): HostKeyIdentity {
  return { keyType: hostKeyType(key), fingerprint: hostKeyFingerprint(key) };
}

/** Compares what the server presents with what the operator trusted for that host and port. */
export function checkHostKey(
  presented: HostKeyIdentity,
  trusted: HostKeyIdentity | undefined,
): HostKeyVerdict {
  if (!trusted) return 'unknown';
  return trusted.fingerprint === presented.fingerprint ? 'trusted' : 'mismatch';
}

/** `host:port`, brackets around IPv6, as known-hosts entries and messages name a jump host. */
export function sshEndpoint(host: string, port: number): string {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  return bare.includes(':') ? `[${bare}]:${port}` : `${bare}:${port}`;
}
