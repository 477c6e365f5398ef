/**
 * ACLs as the API shows them ({ scheme, id, perms: 'cdrwa' letters, the order zkCli prints}) and as
 * ZooKeeper stores them (a permission bitmask per scheme:id).
 */
import { createHash } from 'node:crypto';
import zookeeper from 'node-zookeeper-client';
import { ZkError } from './errors';
import type { ZkAcl } from './types';

/** ZooKeeper's permission bits (ZooDefs.Perms). */
export const PERM_BITS = { r: 1, w: 2, c: 4, d: 8, a: 16 } as const;
export const ALL_PERMS = 31;

const LETTER_ORDER = ['c', 'd', 'r', 'w', 'a'] as const;

/** Letters in 'cdrwa' order for a bitmask; bits outside the five known ones are ignored. */
export function permsToLetters(bits: number): string {
  let letters = '';
  for (const letter of LETTER_ORDER) {
    if ((bits & PERM_BITS[letter]) !== 0) letters += letter;
  }
  return letters;
}

/** The bitmask for letters from 'cdrwa' in any order; throws BAD_ARGUMENTS on anything else. */
export function lettersToPerms(letters: string): number {
  let bits = 0;
  for (const letter of letters) {
    const bit = (PERM_BITS as Record<string, number>)[letter];
    if (bit === undefined) {
      throw new ZkError(
        'BAD_ARGUMENTS',
        `ACL permissions '${letters}' contain '${letter}': use only the letters c (create), d (delete), r (read), w (write), a (admin)`,
      );
    }
    if ((bits & bit) !== 0) {
      throw new ZkError('BAD_ARGUMENTS', `ACL permissions '${letters}' repeat '${letter}'`);
    }
    bits |= bit;
  }
  return bits;
}

/** Canonical 'cdrwa' order for letters given in any order. */
export function normalizePerms(letters: string): string {
  return permsToLetters(lettersToPerms(letters));
}

/** The id ZooKeeper's digest scheme stores for a credential: user:base64(sha1('user:password')). */
export function digestAclId(user: string, password: string): string {
  const digest = createHash('sha1').update(`${user}:${password}`, 'utf8').digest('base64');
  return `${user}:${digest}`;
}

/** A digest ACL entry granting `perms` to the holder of user:password. */
export function digestAcl(user: string, password: string, perms = 'cdrwa'): ZkAcl {
  return { scheme: 'digest', id: digestAclId(user, password), perms: normalizePerms(perms) };
}

/** Anyone may do anything: ZooKeeper's default for new nodes (ZooDefs.Ids.OPEN_ACL_UNSAFE). */
export const OPEN_ACL_UNSAFE: readonly ZkAcl[] = Object.freeze([
  Object.freeze({ scheme: 'world', id: 'anyone', perms: 'cdrwa' }),
]);

/** Splits a digest credential 'user:password' (the password may itself contain ':'). */
export function parseDigestCredential(credential: string): { user: string; password: string } {
  const colon = credential.indexOf(':');
  if (colon <= 0) {
    throw new ZkError(
      'BAD_ARGUMENTS',
      'A digest credential must be written user:password (the user name must not be empty)',
    );
  }
  return { user: credential.slice(0, colon), password: credential.slice(colon + 1) };
}

/** Checks an ACL list before it is sent, so the operator gets a message instead of INVALID_ACL. */
export function validateAcl(acl: readonly ZkAcl[]): void {
  if (acl.length === 0)
    throw new ZkError(
      'BAD_ARGUMENTS',
      'An ACL needs at least one entry (use world:anyone:cdrwa for open access)',
    );
  for (const entry of acl) {
    if (entry.scheme === '') throw new ZkError('BAD_ARGUMENTS', `ACL entry '${entry.id}' has no scheme`);
    if (lettersToPerms(entry.perms) === 0) {
      throw new ZkError(
        'BAD_ARGUMENTS',
        `ACL entry ${entry.scheme}:${entry.id} grants no permissions: give it at least one of cdrwa`,
      );
    }
  }
}

/** The client's ACL object for an entry; validates the letters first. */
export function toClientAcl(entry: ZkAcl): zookeeper.ACL {
  return new zookeeper.ACL(lettersToPerms(entry.perms), new zookeeper.Id(entry.scheme, entry.id));
}

/**
 * The API's view of an ACL object from the client. At runtime the bitmask lives in `permission`
 * (lib/ACL.js); @types/node-zookeeper-client calls it `perms`, so both are read.
 */
export function fromClientAcl(acl: zookeeper.ACL): ZkAcl {
  const runtime = acl as unknown as { permission?: number; perms?: number };
  const bits = runtime.permission ?? runtime.perms ?? 0;
  return { scheme: acl.id.scheme, id: acl.id.id, perms: permsToLetters(bits) };
}
