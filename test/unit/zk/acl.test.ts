import { createHash } from 'node:crypto';
import zookeeper from 'node-zookeeper-client';
import { describe, expect, it } from 'vitest';
import {
  digestAcl,
  digestAclId,
  fromClientAcl,
  lettersToPerms,
  normalizePerms,
  OPEN_ACL_UNSAFE,
  parseDigestCredential,
  permsToLetters,
  toClientAcl,
  validateAcl,
} from '../../../electron/zk/acl';
import { ZkError } from '../../../electron/zk/errors';

describe('ACL permissions', () => {
  it('maps bits to letters in cdrwa order', () => {
    expect(permsToLetters(31)).toBe('cdrwa');
    expect(permsToLetters(1)).toBe('r');
    expect(permsToLetters(2)).toBe('w');
    expect(permsToLetters(4)).toBe('c');
    expect(permsToLetters(8)).toBe('d');
    expect(permsToLetters(16)).toBe('a');
    expect(permsToLetters(1 | 2)).toBe('rw');
    expect(permsToLetters(16 | 4 | 1)).toBe('cra');
    expect(permsToLetters(0)).toBe('');
  });

  it('maps letters in any order back to the bitmask, round-tripping every combination', () => {
    expect(lettersToPerms('cdrwa')).toBe(31);
    expect(lettersToPerms('awrdc')).toBe(31);
    expect(lettersToPerms('r')).toBe(zookeeper.Permission.READ);
    expect(lettersToPerms('')).toBe(0);
    for (let bits = 0; bits <= 31; bits += 1) expect(lettersToPerms(permsToLetters(bits))).toBe(bits);
    expect(normalizePerms('wr')).toBe('rw');
  });

  it('refuses unknown and repeated letters with a message naming them', () => {
    expect(() => lettersToPerms('rx')).toThrow(/contain 'x'.*c \(create\)/);
    expect(() => lettersToPerms('rr')).toThrow(/repeat 'r'/);
    try {
      lettersToPerms('ALL');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ZkError);
      expect((error as ZkError).code).toBe('BAD_ARGUMENTS');
    }
  });
});

describe('digest ids', () => {
  it("is user:base64(sha1(user:password)), matching ZooKeeper's DigestAuthenticationProvider", () => {
    const expected = createHash('sha1').update('admin:secret').digest('base64');
    expect(digestAclId('admin', 'secret')).toBe(`admin:${expected}`);
    // Printed by ZooKeeper 3.8 itself: java -cp zookeeper.jar ...DigestAuthenticationProvider user:pass
    expect(digestAclId('user', 'pass')).toBe('user:smGaoVKd/cQkjm7b88GyorAUz20=');
  });

  it('keeps a password containing colons whole', () => {
    expect(parseDigestCredential('bob:a:b:c')).toEqual({ user: 'bob', password: 'a:b:c' });
    expect(digestAclId('bob', 'a:b:c')).toBe('bob:G4hYDsOgQHPiy2ze+nCB45qSJng=');
    expect(() => parseDigestCredential('nocolon')).toThrow(/user:password/);
    expect(() => parseDigestCredential(':pw')).toThrow(/user name must not be empty/);
  });

  it('builds a digest ACL entry', () => {
    expect(digestAcl('u', 'p', 'ar')).toEqual({ scheme: 'digest', id: digestAclId('u', 'p'), perms: 'ra' });
  });
});

describe('ACL lists', () => {
  it('OPEN_ACL_UNSAFE is world:anyone with every permission, and frozen', () => {
    expect(OPEN_ACL_UNSAFE).toEqual([{ scheme: 'world', id: 'anyone', perms: 'cdrwa' }]);
    expect(Object.isFrozen(OPEN_ACL_UNSAFE)).toBe(true);
  });

  it("converts to and from the client's ACL objects", () => {
    const clientAcl = toClientAcl({ scheme: 'digest', id: 'u:abc=', perms: 'rw' });
    expect(clientAcl).toBeInstanceOf(zookeeper.ACL);
    expect(clientAcl.id.scheme).toBe('digest');
    expect(clientAcl.id.id).toBe('u:abc=');
    expect(fromClientAcl(clientAcl)).toEqual({ scheme: 'digest', id: 'u:abc=', perms: 'rw' });
    expect(fromClientAcl(new zookeeper.ACL(31, new zookeeper.Id('world', 'anyone')))).toEqual(
      OPEN_ACL_UNSAFE[0],
    );
  });

  it('validates lists before sending', () => {
    expect(() => validateAcl([])).toThrow(/at least one entry/);
    expect(() => validateAcl([{ scheme: 'world', id: 'anyone', perms: '' }])).toThrow(
      /grants no permissions/,
    );
    expect(() => validateAcl([{ scheme: '', id: 'x', perms: 'r' }])).toThrow(/no scheme/);
    expect(() => validateAcl([...OPEN_ACL_UNSAFE])).not.toThrow();
  });
});
