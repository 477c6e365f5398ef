/**
 * What a MetaProxy entry must hold for meta-proxy to route its table (reference §3.2-3.3), with a
 * reason an operator can act on for every refusal.
 *
 * meta-proxy splits `meta_addrs` on ',' and hands each part, untrimmed, to the go-client: fewer than
 * two parts is ERR_INVALID_DATA for every query of the table, and a part with a space or an empty
 * part is an address that can never be dialled. We also refuse the same address twice: meta-proxy
 * counts it as two meta servers, but there is only one, so the failover the list promises is not there.
 */
import { isHostPort } from '../decoders/host-port';

/** An entry's meaning: the cluster and its meta servers, `metaAddrs` exactly as the payload holds it. */
export interface MetaProxyEntryValue {
  clusterName: string;
  /** Comma-separated host:port list, e.g. "10.0.0.1:34601,10.0.0.2:34601". */
  metaAddrs: string;
}

/**
 * Cluster names go into the JSON as admin-cli writes them (unescaped), and must match the keys of
 * `[pegasus.clusters]` / `[duplication-group]`: this is the character set those names use.
 */
const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MAX_CLUSTER_NAME_LENGTH = 128;

const quote = (text: string) => JSON.stringify(text);

/** Why `name` cannot be written as a cluster name, or null. */
export function clusterNameProblem(name: string): string | null {
  if (name === '') {
    return "the cluster name is empty: give the target cluster's name as its meta servers report it (cluster_info: cluster_name)";
  }
  if (name.length > MAX_CLUSTER_NAME_LENGTH) {
    return `the cluster name is ${name.length} characters long: at most ${MAX_CLUSTER_NAME_LENGTH}`;
  }
  if (!CLUSTER_NAME.test(name)) {
    return `the cluster name ${quote(name)} may only hold letters, digits, '.', '_' and '-' and must start with a letter or digit: it is the name listed in [pegasus.clusters]`;
  }
  return null;
}

/** The lower-cased form two addresses are compared by (host names are case-insensitive). */
function addressKey(address: string): string {
  return address.toLowerCase();
}

/**
 * Every reason meta-proxy would refuse or mis-route `metaAddrs` as stored (no trimming: meta-proxy
 * does not trim either). An empty list means the addresses are fine.
 */
export function metaAddrsProblems(metaAddrs: string): string[] {
  if (metaAddrs.trim() === '') {
    return [
      'meta_addrs is empty: list the meta servers of the cluster as host:port,host:port (at least two)',
    ];
  }
  const parts = metaAddrs.split(',');
  const problems: string[] = [];
  const seen = new Set<string>();
  const distinct: string[] = [];
  parts.forEach((part, index) => {
    if (part === '') {
      problems.push(
        `address ${index + 1} of ${parts.length} is empty (a comma at the start or end, or two in a row): remove the extra comma`,
      );
      return;
    }
    if (part !== part.trim()) {
      problems.push(
        `${quote(part)} has spaces around it: meta-proxy does not trim them and would dial the spaces too; remove them`,
      );
      return;
    }
    if (!isHostPort(part)) {
      problems.push(
        `${quote(part)} is not host:port (for example 10.0.0.1:34601; the port is 1-65535, an IPv6 host goes in brackets)`,
      );
      return;
    }
    const key = addressKey(part);
    if (seen.has(key)) {
      problems.push(
        `${quote(part)} is listed twice: meta-proxy would count it as two meta servers, but it is one; list each meta server once`,
      );
      return;
    }
    seen.add(key);
    distinct.push(part);
  });
  // Only worth saying when the parts themselves are fine: otherwise the fixes above come first.
  if (problems.length === 0 && distinct.length < 2) {
    problems.push(
      `only one meta server (${distinct[0]}): meta-proxy rejects a meta_addrs with fewer than 2 comma-separated addresses (ERR_INVALID_DATA); list at least two of the cluster's meta servers`,
    );
  }
  return problems;
}

/** Every reason `value` cannot be written as a new entry; empty when it can. */
export function newEntryProblems(value: MetaProxyEntryValue): string[] {
  const problems: string[] = [];
  const name = clusterNameProblem(value.clusterName);
  if (name) problems.push(name);
  problems.push(...metaAddrsProblems(value.metaAddrs));
  return problems;
}

/**
 * Problems of an entry found in ZooKeeper (written by anyone): only what breaks routing. A cluster
 * name outside our character set still routes, so it is not held against an existing entry.
 */
export function storedEntryProblems(value: MetaProxyEntryValue): string[] {
  if (value.clusterName === '' && value.metaAddrs === '') {
    return [
      'no cluster_name and no meta_addrs: meta-proxy reads only these two keys (the RFC draft\'s "cluster"/"meta-addrs" layout was never implemented), so this entry routes nowhere',
    ];
  }
  const problems: string[] = [];
  if (value.clusterName === '') problems.push('cluster_name is empty');
  problems.push(...metaAddrsProblems(value.metaAddrs));
  return problems;
}

/**
 * The operator's `--metas` text as it will be written: whitespace around each address removed (a
 * pasted "a:1, b:2" means "a:1,b:2"), nothing else changed, so empty parts still reach validation.
 */
export function normalizeMetaAddrsInput(text: string): string {
  return text
    .split(',')
    .map((part) => part.trim())
    .join(',');
}

/** Two entries that route the same way (formatting of the JSON aside). */
export function sameEntryValue(a: MetaProxyEntryValue, b: MetaProxyEntryValue): boolean {
  return a.clusterName === b.clusterName && a.metaAddrs === b.metaAddrs;
}
