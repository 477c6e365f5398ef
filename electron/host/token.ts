import { randomBytes } from 'node:crypto';

/** A per-launch API token: 256 random bits, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}
