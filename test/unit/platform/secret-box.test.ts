import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createSecretBox,
  KEY_BYTES,
  SEALED_PREFIX,
  SecretOpenError,
} from '../../../electron/platform/secret-box';

const WRONG_KEY = 'This secret was sealed with another key: re-enter the credential';

function flipByte(sealed: string, index: number): string {
  const raw = Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64');
  raw[index] = raw[index]! ^ 0x01;
  return SEALED_PREFIX + raw.toString('base64');
}

describe('createSecretBox', () => {
  const key = randomBytes(KEY_BYTES);
  const box = createSecretBox(key);

  it('opens what it sealed, including empty and non-ASCII text', () => {
    for (const plain of ['alice:s3cret', '', 'opérateur:пароль:🔑', 'x'.repeat(10_000)]) {
      expect(box.open(box.seal(plain))).toBe(plain);
    }
  });

  it('seals as v1: + base64(iv 12 | tag 16 | ciphertext), never containing the plain text', () => {
    const plain = 'alice:correct-horse-battery';
    const sealed = box.seal(plain);
    expect(sealed.startsWith('v1:')).toBe(true);
    const raw = Buffer.from(sealed.slice(3), 'base64');
    expect(raw.length).toBe(12 + 16 + Buffer.byteLength(plain));
    expect(sealed).not.toContain('correct-horse');
    expect(raw.includes(Buffer.from('correct-horse'))).toBe(false);
  });

  it('uses a fresh IV for every seal', () => {
    const a = box.seal('same');
    const b = box.seal('same');
    expect(a).not.toBe(b);
    const ivA = Buffer.from(a.slice(3), 'base64').subarray(0, 12);
    const ivB = Buffer.from(b.slice(3), 'base64').subarray(0, 12);
    expect(ivA.equals(ivB)).toBe(false);
  });

  it('detects tampering with the IV, the tag or the ciphertext', () => {
    const sealed = box.seal('alice:s3cret');
    for (const index of [0, 11, 12, 27, 28, 28 + 5]) {
      const tampered = flipByte(sealed, index);
      expect(() => box.open(tampered)).toThrow(SecretOpenError);
      expect(() => box.open(tampered)).toThrow(WRONG_KEY);
    }
  });

  it('refuses a value sealed with another key', () => {
    const other = createSecretBox(randomBytes(KEY_BYTES));
    expect(() => other.open(box.seal('alice:s3cret'))).toThrow(WRONG_KEY);
  });

  it('refuses values that are not sealed secrets, or truncated ones, saying to re-enter the credential', () => {
    expect(() => box.open('alice:s3cret')).toThrow(
      /not a secret sealed by Migration Desk.*re-enter the credential/,
    );
    expect(() => box.open('v2:AAAA')).toThrow(SecretOpenError);
    expect(() => box.open(`v1:${Buffer.alloc(20).toString('base64')}`)).toThrow(
      /truncated: re-enter the credential/,
    );
  });

  it('needs a 32-byte key', () => {
    expect(() => createSecretBox(randomBytes(16))).toThrow(/32-byte key, got 16/);
    expect(() => createSecretBox(Buffer.alloc(0))).toThrow(/32-byte key/);
  });

  it('keeps its own copy of the key', () => {
    const callerKey = randomBytes(KEY_BYTES);
    const own = createSecretBox(callerKey);
    const sealed = own.seal('alice:s3cret');
    const copy = Buffer.from(callerKey);
    callerKey.fill(0);
    expect(own.open(sealed)).toBe('alice:s3cret');
    expect(createSecretBox(copy).open(own.seal('bob:pw'))).toBe('bob:pw');
  });
});
