/**
 * The bytes the data tabs show: the stored bytes, or for gzip data the decompressed bytes (computed
 * off the render path, bounded by lib/gzip). The operator can switch back to the stored bytes.
 */
import { useEffect, useState } from 'react';
import { gunzip, isGzip } from '../../lib/gzip';

export type GzipState =
  | { kind: 'plain' }
  | { kind: 'inflating' }
  | { kind: 'inflated'; bytes: Uint8Array }
  | { kind: 'failed'; error: string };

export function useGzipView(stored: Uint8Array): GzipState {
  const compressed = isGzip(stored);
  const [state, setState] = useState<GzipState>(compressed ? { kind: 'inflating' } : { kind: 'plain' });
  useEffect(() => {
    if (!compressed) {
      setState({ kind: 'plain' });
      return;
    }
    let cancelled = false;
    setState({ kind: 'inflating' });
    void gunzip(stored).then((result) => {
      if (cancelled) return;
      setState(
        result.ok ? { kind: 'inflated', bytes: result.bytes } : { kind: 'failed', error: result.error },
      );
    });
    return () => {
      cancelled = true;
    };
  }, [stored, compressed]);
  return state;
}
