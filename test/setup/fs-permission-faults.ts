/**
 * Permission errors cannot be produced for real when the tests run as root (CAP_DAC_OVERRIDE), so
 * tests wrap node:fs to fail for chosen paths exactly as the kernel would, and the real code path
 * runs. Use from a vi.mock factory:
 *
 *   const faults = vi.hoisted(() => ({ denied: new Map<string, string>() }));
 *   vi.mock('node:fs', async (importOriginal) =>
 *     (await import('../../setup/fs-permission-faults')).withPermissionFaults(await importOriginal(), faults));
 *
 * This module imports node:fs only as a type: a value import would be the mock itself.
 */
import type * as Fs from 'node:fs';

export interface FsFaults {
  /** path -> errno code ('EACCES', 'EPERM', 'EROFS') thrown by any syscall on exactly that path. */
  denied: Map<string, string>;
  /** Called before linkSync creates `target`: lets a test race another writer. */
  beforeLink?: ((target: string) => void) | undefined;
}

export function withPermissionFaults(actual: typeof Fs, faults: FsFaults): typeof Fs {
  const check = (syscall: string, path: unknown) => {
    const code = faults.denied.get(String(path));
    if (code) {
      throw Object.assign(new Error(`${code}: permission denied, ${syscall} '${String(path)}'`), {
        code,
        syscall,
        path: String(path),
      });
    }
  };
  const wrapped = {
    ...actual,
    mkdirSync: ((path: Fs.PathLike, options?: Fs.MakeDirectoryOptions) => {
      // As the kernel does: a recursive mkdir of a folder that exists succeeds without writing.
      if (!actual.existsSync(path)) check('mkdir', path);
      return actual.mkdirSync(path, options);
    }) as typeof actual.mkdirSync,
    accessSync: ((path: Fs.PathLike, mode?: number) => {
      check('access', path);
      return actual.accessSync(path, mode);
    }) as typeof actual.accessSync,
    readFileSync: ((path: Fs.PathOrFileDescriptor, options?: unknown) => {
      check('open', path);
      return actual.readFileSync(path, options as BufferEncoding);
    }) as typeof actual.readFileSync,
    linkSync: ((existing: Fs.PathLike, target: Fs.PathLike) => {
      faults.beforeLink?.(String(target));
      return actual.linkSync(existing, target);
    }) as typeof actual.linkSync,
  };
  return { ...wrapped, default: wrapped } as typeof Fs;
}
