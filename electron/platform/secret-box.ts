/**
 * Sealing of secrets (digest credentials) before they reach SQLite, and the key file the browser host
 * keeps them under. The Electron shell passes a key protected by the OS keychain (safeStorage) to the
 * same createSecretBox, so the sealed format does not depend on where the key lives.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { SecretBox } from '../store/types';

export const SEALED_PREFIX = 'v1:';
export const KEY_BYTES = 32;
export const KEY_FILE_NAME = 'secret.key';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const ALGORITHM = 'aes-256-gcm';

/** A sealed value that cannot be opened with this key: the operator has to enter the credential again. */
export class SecretOpenError extends Error {
  override name = 'SecretOpenError';
}

export function createSecretBox(key: Buffer): SecretBox {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
    throw new Error(
      `A secret box needs a ${KEY_BYTES}-byte key, got ${Buffer.isBuffer(key) ? key.length : typeof key}`,
    );
  }
  // A private copy: a caller that reuses or zeroes its buffer must not change what we seal with.
  const ownKey = Buffer.from(key);

  return {
    seal(plain: string): string {
      // A fresh IV per seal: GCM loses both confidentiality and integrity if an IV repeats under a key.
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, ownKey, iv);
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return SEALED_PREFIX + Buffer.concat([iv, tag, ciphertext]).toString('base64');
    },

    open(sealed: string): string {
      if (typeof sealed !== 'string' || !sealed.startsWith(SEALED_PREFIX)) {
        throw new SecretOpenError(
          'This value is not a secret sealed by Migration Desk (it does not start with v1:): re-enter the credential',
        );
      }
      const raw = Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64');
      if (raw.length < IV_BYTES + TAG_BYTES) {
        throw new SecretOpenError('This sealed secret is truncated: re-enter the credential');
      }
      const iv = raw.subarray(0, IV_BYTES);
      const tag = raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
      const ciphertext = raw.subarray(IV_BYTES + TAG_BYTES);
      try {
        const decipher = createDecipheriv(ALGORITHM, ownKey, iv);
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
      } catch (cause) {
        // GCM cannot tell a wrong key from tampered bytes; a changed key is by far the likelier case.
        throw new SecretOpenError('This secret was sealed with another key: re-enter the credential', {
          cause,
        });
      }
    },
  };
}

export interface KeyFileOptions {
  /**
   * Told about problems that were fixed on the way (a key file readable by group or others is
   * tightened to 0600). Defaults to console.warn.
   */
  warn?: (message: string) => void;
}

/**
 * Loads the 32-byte key from `<dataDir>/secret.key`, creating it (mode 0600) on first use.
 * Loose permissions on an existing key file are tightened to 0600 and reported through `options.warn`.
 * Throws, naming the file and what to do, when the key cannot be read or is not a key.
 */
export function loadOrCreateKeyFile(dataDir: string, options: KeyFileOptions = {}): Buffer {
  const warn = options.warn ?? ((message: string) => console.warn(message));
  const keyPath = join(dataDir, KEY_FILE_NAME);

  const existing = readKeyFile(keyPath, warn);
  if (existing) return existing;
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    return createKeyFile(keyPath, warn);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new Error(
        `Cannot create the key file ${keyPath}: ${code === 'EROFS' ? 'read-only file system' : 'permission denied'}. ` +
          'Make the folder writable by your user, or start Migration Desk with another --data-dir.',
        { cause: error },
      );
    }
    throw error;
  }
}

function readKeyFile(keyPath: string, warn: (message: string) => void): Buffer | undefined {
  let key: Buffer;
  try {
    key = readFileSync(keyPath);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return undefined;
    if (code === 'EACCES' || code === 'EPERM') {
      throw new Error(
        `Cannot read the key file ${keyPath}: permission denied. It was probably created by another user ` +
          '(for example with sudo): give it back to your user with mode 600, or start Migration Desk with another --data-dir.',
        { cause: error },
      );
    }
    throw new Error(`Cannot read the key file ${keyPath}: ${messageOf(error)}`, { cause: error });
  }
  if (key.length !== KEY_BYTES) {
    // Never replace it: the stored credentials may still be sealed with a key the operator can restore.
    throw new Error(
      `The key file ${keyPath} holds ${key.length} bytes, not a ${KEY_BYTES}-byte key. It was not changed. ` +
        'Restore it from a backup, or delete it and re-enter the credentials of your connections.',
    );
  }
  tightenPermissions(keyPath, warn);
  return key;
}

function tightenPermissions(keyPath: string, warn: (message: string) => void): void {
  // Windows has no POSIX mode bits: the file inherits the ACL of the user's profile folder.
  if (process.platform === 'win32') return;
  const mode = statSync(keyPath).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  try {
    chmodSync(keyPath, 0o600);
  } catch (error) {
    throw new Error(
      `The key file ${keyPath} is readable by other users (mode ${octal(mode)}) and could not be restricted: ` +
        `${messageOf(error)}. Run: chmod 600 '${keyPath}'`,
      { cause: error },
    );
  }
  warn(`The key file ${keyPath} was readable by other users (mode ${octal(mode)}); its mode is now 600.`);
}

function createKeyFile(keyPath: string, warn: (message: string) => void): Buffer {
  const key = randomBytes(KEY_BYTES);
  const tempPath = `${keyPath}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(tempPath, 'wx', 0o600);
  try {
    writeSync(fd, key);
    // The link below must never publish a name whose bytes are not yet on disk.
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(tempPath);
    throw error;
  }
  closeSync(fd);

  try {
    // link() refuses to replace an existing name, so two processes starting at once agree on one key
    // instead of the later one silently replacing the key the earlier one already sealed with.
    linkSync(tempPath, keyPath);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST') {
      unlinkSync(tempPath);
      const winner = readKeyFile(keyPath, warn);
      if (winner) return winner;
      throw error;
    }
    // Some file systems (FAT, some network mounts) have no hard links: fall back to an atomic rename.
    renameSync(tempPath, keyPath);
    syncFolder(dirname(keyPath));
    return key;
  }
  unlinkSync(tempPath);
  syncFolder(dirname(keyPath));
  return key;
}

/** Makes the new name itself durable: without it a power cut can lose the key after secrets were sealed. */
function syncFolder(dir: string): void {
  // Windows cannot open a folder for fsync; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function octal(mode: number): string {
  return mode.toString(8).padStart(3, '0');
}
