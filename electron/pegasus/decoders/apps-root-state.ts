/**
 * `<root>/apps` holds the literal text `lock` or `unlock`, or nothing (reference §1.2). The meta
 * writes `lock` while it rewrites every app node and `unlock` when done
 * (`sync_apps_to_remote_storage`), and at load it CHECK-fails (crashes) unless the data is `unlock`
 * or empty. So `lock` is still a Pegasus root, but one whose meta server would not start.
 */
import { type DecodeResult, decodeUtf8, guardDecode, PayloadError, success } from './decode-result';

export type AppsRootState = 'lock' | 'unlock' | 'empty';

export interface AppsRootInfo {
  state: AppsRootState;
  /** False for `lock`: a meta server becoming leader would crash on this tree. */
  loadable: boolean;
}

export function decodeAppsRootState(raw: Buffer): DecodeResult<AppsRootInfo> {
  return guardDecode<AppsRootInfo>(raw, () => {
    if (raw.length === 0) return success({ state: 'empty', loadable: true });
    const text = decodeUtf8(raw);
    if (text === 'unlock') return success({ state: 'unlock', loadable: true });
    if (text === 'lock') return success({ state: 'lock', loadable: false });
    const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
    throw new PayloadError(`apps data should be 'lock', 'unlock' or empty, found ${JSON.stringify(shown)}`);
  });
}
