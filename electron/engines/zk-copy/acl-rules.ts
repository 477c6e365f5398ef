/**
 * ACL rules of the copy: comparing ACLs, and knowing when copying one would lock the copier out.
 *
 * A node created with its final ACL, when that ACL does not grant the writer create (c) and delete
 * (d), makes the node's children impossible to create (or, in mirror mode, to delete). Such a node is
 * created with a temporary ACL that grants the writer everything, and gets its final ACL once its
 * subtree is written (zookeeper-reference.md, section 1: "create children first, then set the ACL").
 */
import { digestAclId, lettersToPerms, OPEN_ACL_UNSAFE, PERM_BITS, parseDigestCredential } from '../../zk/acl';
import type { ZkAcl } from '../../zk/types';

function canonical(acl: readonly ZkAcl[]): string[] {
  return acl.map((entry) => `${entry.scheme}\u0000${entry.id}\u0000${lettersToPerms(entry.perms)}`).sort();
}

/**
 * ZooKeeper shows a digest ACL as 'user:x' to a client without ADMIN permission on the node
 * (ZOOKEEPER-1392): such an ACL is a mask, not the hash. Written to a target, it locks that user out.
 */
export function isMaskedDigest(entry: { scheme: string; id: string }): boolean {
  return entry.scheme === 'digest' && entry.id.endsWith(':x');
}

/** Same entries, whatever the order. */
export function aclEqual(a: readonly ZkAcl[] | undefined, b: readonly ZkAcl[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.length !== b.length) return false;
  const left = canonical(a);
  const right = canonical(b);
  return left.every((entry, index) => entry === right[index]);
}

export function formatAcl(acl: readonly ZkAcl[] | undefined): string {
  if (!acl) return '(not read)';
  return acl.map((entry) => `${entry.scheme}:${entry.id}:${entry.perms}`).join(', ');
}

/** Who the writer is to ZooKeeper: world:anyone, plus a digest id per credential it added. */
export interface WriterIdentity {
  digestIds: string[];
}

export function writerIdentity(digestAuth: readonly string[]): WriterIdentity {
  return {
    digestIds: digestAuth.map((credential) => {
      const { user, password } = parseDigestCredential(credential);
      return digestAclId(user, password);
    }),
  };
}

/**
 * Whether the ACL grants the writer every permission in `letters`. ip and other schemes are not
 * assumed to match: treating them as "locked out" only costs a deferred setACL, never a failed copy.
 */
export function aclGrants(acl: readonly ZkAcl[], letters: string, identity: WriterIdentity): boolean {
  let granted = 0;
  for (const entry of acl) {
    const matches =
      (entry.scheme === 'world' && entry.id === 'anyone') ||
      (entry.scheme === 'digest' && identity.digestIds.includes(entry.id));
    if (matches) granted |= lettersToPerms(entry.perms);
  }
  for (const letter of letters) {
    if ((granted & PERM_BITS[letter as keyof typeof PERM_BITS]) === 0) return false;
  }
  return true;
}

/** The ACL a locked-out node gets until its subtree is written: everything, for the writer only. */
export function temporaryAcl(identity: WriterIdentity): ZkAcl[] {
  const id = identity.digestIds[0];
  return id ? [{ scheme: 'digest', id, perms: 'cdrwa' }] : [...OPEN_ACL_UNSAFE];
}

/** Names that end in ZooKeeper's 10-digit sequence suffix. */
export function looksSequential(name: string): boolean {
  return /\d{10}$/.test(name);
}
