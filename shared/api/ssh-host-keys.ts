/**
 * SSH host keys of jump hosts: what a server presents, what the operator trusted, and the first-use
 * confirmation that turns the one into the other.
 */
import { z } from 'zod';

const endpoint = {
  host: z.string().trim().min(1, "Enter the SSH jump host's name or IP address").max(253),
  port: z.number().int().min(1).max(65535).default(22),
};

export const sshEndpointInputSchema = z.object(endpoint);

export const trustHostKeyInputSchema = z.object({
  ...endpoint,
  keyType: z.string().min(1).max(64),
  fingerprint: z
    .string()
    .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'fingerprint must be an OpenSSH SHA256 fingerprint (SHA256:...)'),
});

export interface TrustedHostKey {
  host: string;
  port: number;
  keyType: string;
  fingerprint: string;
  trustedAt: number;
  trustedBy: string;
}

export interface HostKeyProbe {
  host: string;
  port: number;
  /** What the server presents now. */
  keyType: string;
  fingerprint: string;
  /** trusted: matches the stored key; unknown: none stored (first use); mismatch: a different one is stored. */
  verdict: 'trusted' | 'unknown' | 'mismatch';
  trusted: TrustedHostKey | null;
}
