/**
 * One MetaProxy entry as read from ZooKeeper, in the form plans, results, audit events and rollback
 * records carry it: the exact bytes (base64), their digest, the JSON text (these are routing facts,
 * not secrets), the decoded cluster and addresses, the znode version, and what is wrong with it.
 */
import { dataDigest } from '../../host/services/data-digest';
import { decodeMetaProxyEntry } from '../decoders/meta-proxy-entry';
import { readerErrorCode } from '../zk-reader';
import { storedEntryProblems } from './entry-validation';

/** An entry's bytes and what they mean, without a place or a version. */
export interface MetaProxyEntryBytes {
  /** null when the bytes do not decode as a MetaProxy entry (meta-proxy would crash on them). */
  clusterName: string | null;
  metaAddrs: string | null;
  /** The bytes as UTF-8 text; null when they are not UTF-8. */
  text: string | null;
  base64: string;
  digest: string;
  bytes: number;
  /** Why meta-proxy would crash on or reject this entry; empty when it routes. */
  problems: string[];
}

export interface MetaProxyEntrySnapshot extends MetaProxyEntryBytes {
  path: string;
  /** The znode's data version: what a compare-and-set against this read expects. */
  version: number;
}

/** The ZooKeeper calls the switch needs: ZkSession has them, and so does any test double. */
export interface MetaProxyZk {
  getData(path: string): Promise<{ data: Buffer; stat: { version: number } }>;
  setData(path: string, data: Buffer, version: number): Promise<{ version: number }>;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function utf8OrNull(data: Buffer): string | null {
  try {
    return strictUtf8.decode(data);
  } catch {
    return null;
  }
}

export function describeEntryBytes(data: Buffer): MetaProxyEntryBytes {
  const decoded = decodeMetaProxyEntry(data);
  const base = {
    text: utf8OrNull(data),
    base64: data.toString('base64'),
    digest: dataDigest(data),
    bytes: data.length,
  };
  if (!decoded.ok) return { ...base, clusterName: null, metaAddrs: null, problems: [decoded.error] };
  const value = { clusterName: decoded.value.clusterName, metaAddrs: decoded.value.metaAddrsRaw };
  return { ...base, ...value, problems: storedEntryProblems(value) };
}

export function entryBuffer(entry: Pick<MetaProxyEntryBytes, 'base64'>): Buffer {
  return Buffer.from(entry.base64, 'base64');
}

/** Reads `path`; null when there is no such node. Other failures (NO_AUTH, unreachable) are thrown. */
export async function readMetaProxyEntry(
  zk: MetaProxyZk,
  path: string,
): Promise<MetaProxyEntrySnapshot | null> {
  try {
    const { data, stat } = await zk.getData(path);
    return { path, version: stat.version, ...describeEntryBytes(data) };
  } catch (error) {
    if (readerErrorCode(error) === 'NO_NODE') return null;
    throw error;
  }
}

/** "cluster 'c1' at 10.0.0.1:34601,10.0.0.2:34601", or the raw text when it does not decode. */
export function describeRoute(entry: MetaProxyEntryBytes): string {
  if (entry.clusterName !== null && entry.metaAddrs !== null) {
    return `cluster '${entry.clusterName}' at ${entry.metaAddrs || '(no meta servers)'}`;
  }
  if (entry.text === null) return `${entry.bytes} bytes that are not UTF-8 text`;
  const shown = entry.text.length > 200 ? `${entry.text.slice(0, 200)}…` : entry.text;
  return `undecodable data ${JSON.stringify(shown)}`;
}

/** describeRoute plus the version: "cluster 'c1' at a:1,b:2 (version 3)". */
export function describeSnapshot(entry: MetaProxyEntrySnapshot): string {
  return `${describeRoute(entry)} (version ${entry.version})`;
}
