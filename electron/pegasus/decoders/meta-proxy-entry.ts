/**
 * `<metaproxy root>/<table_name>`: where MetaProxy routes a table (reference §3.2), as the
 * implementation reads it: `{"cluster_name": "<c>", "meta_addrs": "<a,b,c>"}` with `meta_addrs` a
 * comma-separated string, not an array (the RFC's array draft was never implemented).
 *
 * What meta-proxy does with a bad entry (reference §3.3):
 * - data it cannot unmarshal (invalid JSON, or a key of the wrong type) makes the re-read after a
 *   data change call `logrus.Panicf`: the whole proxy exits. We report these as decode failures.
 * - `parseToMetaList` splits `meta_addrs` on ',' and rejects fewer than 2 parts (ERR_INVALID_DATA),
 *   so a single meta address (or none) is refused for every query of that table.
 */
import {
  type DecodeResult,
  decodeUtf8,
  describe,
  guardDecode,
  isPlainObject,
  PayloadError,
  success,
} from './decode-result';
import { isHostPort } from './host-port';

export const META_PROXY_ENTRY_KEYS = ['cluster_name', 'meta_addrs'] as const;

export interface MetaProxyEntry {
  clusterName: string;
  /** `meta_addrs` split on ',' exactly as meta-proxy splits it (empty parts included). */
  metaAddrs: string[];
  metaAddrsRaw: string;
  /** Why meta-proxy would answer ERR_INVALID_DATA for this table, or null if it accepts it. */
  rejection: string | null;
  /** Things meta-proxy accepts but that will not work well (empty parts, not host:port, no cluster name). */
  notes: string[];
}

export function decodeMetaProxyEntry(raw: Buffer): DecodeResult<MetaProxyEntry> {
  return guardDecode(raw, () => {
    const text = decodeUtf8(raw);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new PayloadError(`invalid JSON, meta-proxy would crash re-reading it after a change: ${detail}`);
    }
    // Go's json.Unmarshal into a struct fails on arrays, strings and numbers; null leaves it empty.
    if (parsed !== null && !isPlainObject(parsed)) {
      throw new PayloadError(
        `not a JSON object (found ${describe(parsed)}), meta-proxy would crash re-reading it`,
      );
    }
    const object = parsed ?? {};
    for (const key of META_PROXY_ENTRY_KEYS) {
      const value = object[key];
      if (value !== undefined && value !== null && typeof value !== 'string') {
        throw new PayloadError(
          `'${key}' should be a string, found ${describe(value)}: meta-proxy would crash re-reading it`,
        );
      }
    }
    const clusterName = typeof object.cluster_name === 'string' ? object.cluster_name : '';
    const metaAddrsRaw = typeof object.meta_addrs === 'string' ? object.meta_addrs : '';
    const metaAddrs = metaAddrsRaw.split(',');
    const rejection =
      metaAddrs.length < 2
        ? `meta_addrs ${JSON.stringify(metaAddrsRaw)} has fewer than 2 comma-separated addresses: meta-proxy rejects it (ERR_INVALID_DATA)`
        : null;
    const notes: string[] = [];
    if (clusterName === '') notes.push('cluster_name is empty');
    if (rejection === null) {
      if (metaAddrs.some((part) => part.trim() === '')) notes.push('meta_addrs has an empty entry');
      const bad = metaAddrs.filter((part) => part.trim() !== '' && !isHostPort(part.trim()));
      if (bad.length > 0) notes.push(`meta_addrs entries that are not host:port: ${bad.join(', ')}`);
    }
    const unknownKeys = Object.keys(object).filter(
      (key) => !(META_PROXY_ENTRY_KEYS as readonly string[]).includes(key),
    );
    const missingKeys = META_PROXY_ENTRY_KEYS.filter((key) => !Object.hasOwn(object, key));
    return success({ clusterName, metaAddrs, metaAddrsRaw, rejection, notes }, unknownKeys, missingKeys);
  });
}
