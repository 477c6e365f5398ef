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
      .min(1, 'SSH host is required')
      .regex(SSH_HOST, 'SSH host must be a host name or an IP address, without user@ or :port'),
    port: z
      .number()
      .int()
      .min(1, 'SSH port must be 1-65535')
      .max(65535, 'SSH port must be 1-65535')
      .default(22),
    user: z
      .string()
      .trim()
      .min(1, 'SSH user is required')
      .regex(SSH_USER, 'SSH user must be a login name (letters, digits, . _ - @)'),
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
        message: 'private key file is required for key authentication',
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
    name: z.string().trim().min(1, 'name is required').max(100, 'name is longer than 100 characters'),
    connectString: z.string(),
    chroot: z.string().optional(),
    sessionTimeoutMs: z.number().int().min(2000).max(120_000).default(15_000),
    connectTimeoutMs: z.number().int().min(1000).max(60_000).default(8000),
    /** Digest credential `user:password`. Omitted on update means: keep the stored one. */
    digestAuth: z
      .string()
      .regex(DIGEST_CREDENTIAL, 'digest credential must look like user:password')
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
