/**
 * The key that seals secrets in the store. On the desktop it is kept encrypted by the OS keychain
 * (Electron's safeStorage: Keychain, DPAPI, libsecret); where no keychain is available (a bare Linux
 * session) it falls back to the browser host's 0600 key file, and says so.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SafeStorage } from 'electron';
import { loadOrCreateKeyFile } from '../platform/secret-box';

export const KEYCHAIN_KEY_FILE = 'secret.key.enc';

export interface DataKey {
  key: Buffer;
  protectedBy: 'os-keychain' | 'key-file';
}

export function loadDataKey(
  dataDir: string,
  safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'>,
): DataKey {
  if (!safeStorage.isEncryptionAvailable()) {
    return { key: loadOrCreateKeyFile(dataDir), protectedBy: 'key-file' };
  }
  const file = join(dataDir, KEYCHAIN_KEY_FILE);
  if (existsSync(file)) {
    const key = Buffer.from(safeStorage.decryptString(readFileSync(file)), 'base64');
    if (key.length !== 32)
      throw new Error(`${file} does not hold a valid key: move it away and re-enter your credentials`);
    return { key, protectedBy: 'os-keychain' };
  }
  const key = randomBytes(32);
  // Write then rename: a crash never leaves half a key behind.
  writeFileSync(`${file}.tmp`, safeStorage.encryptString(key.toString('base64')), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  return { key, protectedBy: 'os-keychain' };
}
