/** Connection profiles as the API accepts and returns them. Secrets never travel back out. */
import { z } from 'zod';
import { parseConnectString } from '../connect-string';

export const DIGEST_CREDENTIAL = /^[^:\s]+:.+$/;

/** How the app logs in to an SSH jump host: a private key file, a password, or the running ssh-agent. */
export const SSH_AUTH_KINDS = ['key', 'password', 'agent'] as const;
export type SshAuthKind = (typeof SSH_AUTH_KINDS)[number];

const SSH_HOST =
  /^(?:\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]+|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)$/;
const SSH_USER = /^[A-Za-z0-9._][A-Za-z0-9._@-]{0,63}$/;

/**
 * The SSH jump host of a connection. `secret` is the password (auth 'password') or the key's
 * passphrase (auth 'key'); omitted on update means: keep the stored one.
 */
export const sshTunnelInputSchema = z
  .object({
    host: z
      .string()
      .trim()
      .min(1, "Enter the SSH jump host's name or IP address, e.g. bastion.example.com")
      .regex(SSH_HOST, 'Enter the SSH host as a host name or an IP address, without user@ or :port'),
    port: z
      .number()
      .int()
      .min(1, 'Enter an SSH port from 1 to 65535 (usually 22)')
      .max(65535, 'Enter an SSH port from 1 to 65535 (usually 22)')
      .default(22),
    user: z
      .string()
      .trim()
      .min(1, 'Enter the user to log in to the jump host as, e.g. ops')
      .regex(SSH_USER, 'Enter the SSH user as a login name (letters, digits, . _ - @)'),
    auth: z.enum(SSH_AUTH_KINDS),
    keyPath: z.string().trim().max(4096).optional(),
    secret: z.string().max(1024).optional(),
    clearSecret: z.boolean().optional(),
  })
  .superRefine((value, ctx) => {
    if (value.auth !== 'key') return;
    const path = value.keyPath ?? '';
    if (path === '') {
      ctx.addIssue({
        code: 'custom',
        path: ['keyPath'],
        message: 'Enter the private key file for key authentication, e.g. ~/.ssh/id_ed25519',
      });
    } else if (!path.startsWith('/') && !path.startsWith('~/') && !/^[A-Za-z]:[\\/]/.test(path)) {
      ctx.addIssue({
        code: 'custom',
        path: ['keyPath'],
        message:
          'give the full path of the private key file, e.g. ~/.ssh/id_ed25519 or /home/you/.ssh/id_ed25519',
      });
    } else if (path.endsWith('.pub')) {
      ctx.addIssue({
        code: 'custom',
        path: ['keyPath'],
        message: 'this is the public key: give the private key file (the same path without .pub)',
      });
    }
  });

export type SshTunnelInput = z.input<typeof sshTunnelInputSchema>;

/** A connection's jump host as the API returns it: never the password or passphrase. */
export interface SshTunnelProfile {
  host: string;
  port: number;
  user: string;
  auth: SshAuthKind;
  keyPath: string | null;
  /** A password or key passphrase is stored (sealed). */
  hasSecret: boolean;
}

export const connectionInputSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'Enter a name for this connection, e.g. prod-pegasus-zk')
      .max(100, 'Shorten the name to at most 100 characters'),
    connectString: z.string(),
    chroot: z.string().optional(),
    sessionTimeoutMs: z
      .number({ error: 'Enter the session timeout in milliseconds, from 2000 to 120000' })
      .int('Enter the session timeout as a whole number of milliseconds')
      .min(2000, 'Enter a session timeout of at least 2000 ms (2 s)')
      .max(120_000, 'Enter a session timeout of at most 120000 ms (120 s)')
      .default(15_000),
    connectTimeoutMs: z
      .number({ error: 'Enter the connect timeout in milliseconds, from 1000 to 60000' })
      .int('Enter the connect timeout as a whole number of milliseconds')
      .min(1000, 'Enter a connect timeout of at least 1000 ms (1 s)')
      .max(60_000, 'Enter a connect timeout of at most 60000 ms (60 s)')
      .default(8000),
    /** Digest credential `user:password`. Omitted on update means: keep the stored one. */
    digestAuth: z
      .string()
      .regex(DIGEST_CREDENTIAL, 'Enter the digest credential as user:password, e.g. ops:secret')
      .optional(),
    clearDigestAuth: z.boolean().optional(),
    /** Reach the ensemble through this SSH jump host; null removes it, omitted on update keeps it. */
    sshTunnel: sshTunnelInputSchema.nullable().optional(),
  })
  .superRefine((value, ctx) => {
    const parsed = parseConnectString(value.connectString, value.chroot);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', path: ['connectString'], message: parsed.error });
  });

export type ConnectionInput = z.input<typeof connectionInputSchema>;

export interface ConnectionProfile {
  id: string;
  name: string;
  connectString: string;
  chroot: string | null;
  sessionTimeoutMs: number;
  connectTimeoutMs: number;
  hasDigestAuth: boolean;
  /** The SSH jump host the ensemble is reached through, or null for a direct connection. */
  sshTunnel: SshTunnelProfile | null;
  /** Connections are read-only until the operator switches them. */
  readOnly: boolean;
  createdAt: number;
  updatedAt: number;
}

export const connectionIdSchema = z.object({ connectionId: z.string().min(1) });
