/**
 * Parsing and validation of ZooKeeper connect strings (`host:port[,host:port...][/chroot]`).
 *
 * Written by hand because no library validates the ZooKeeper dialect (bracketed IPv6, an optional
 * chroot suffix) with messages an operator can act on. Used by the form (as you type) and by the API
 * boundary (zod refinement), so both give the same message.
 */
import { validateZkPath } from './zk-path';

export interface ZkHostPort {
  host: string;
  port: number;
}

export interface ParsedConnectString {
  hosts: ZkHostPort[];
  /** Chroot path ('/pegasus'), or undefined for none. */
  chroot?: string;
  /** Canonical form: hosts joined by ',' followed by the chroot, as node-zookeeper-client expects. */
  normalized: string;
}

export type ParseResult = { ok: true; value: ParsedConnectString } | { ok: false; error: string };

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV6_BODY = /^[0-9A-Fa-f:.]+$/;

function parseHostPort(
  entry: string,
  position: number,
): { ok: true; value: ZkHostPort } | { ok: false; error: string } {
  const where = `server ${position}`;
  let host: string;
  let portText: string | undefined;
  if (entry.startsWith('[')) {
    const close = entry.indexOf(']');
    if (close < 0)
      return { ok: false, error: `${where} '${entry}': IPv6 address is missing its closing ']'` };
    host = entry.slice(1, close);
    if (!IPV6_BODY.test(host))
      return { ok: false, error: `${where} '${entry}': '${host}' is not an IPv6 address` };
    const rest = entry.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) {
      return { ok: false, error: `${where} '${entry}': expected ':port' after the IPv6 address` };
    }
    portText = rest === '' ? undefined : rest.slice(1);
    host = `[${host}]`;
  } else {
    const colons = entry.split(':').length - 1;
    if (colons > 1) {
      return { ok: false, error: `${where} '${entry}': too many ':' (write IPv6 addresses as [::1]:2181)` };
    }
    const colon = entry.indexOf(':');
    host = colon < 0 ? entry : entry.slice(0, colon);
    portText = colon < 0 ? undefined : entry.slice(colon + 1);
    if (host === '') return { ok: false, error: `${where} '${entry}': the host name is missing` };
    if (!HOSTNAME.test(host)) {
      return { ok: false, error: `${where}: '${host}' is not a valid host name or IPv4 address` };
    }
  }
  if (portText === undefined) {
    return { ok: false, error: `${where} '${entry}' has no port: write it as ${entry}:2181` };
  }
  if (!/^\d{1,5}$/.test(portText)) {
    return { ok: false, error: `${where} '${entry}': port '${portText}' is not a number` };
  }
  const port = Number(portText);
  if (port < 1 || port > 65535) {
    return { ok: false, error: `${where} '${entry}': port ${port} is out of range (1-65535)` };
  }
  return { ok: true, value: { host, port } };
}

/** Parses `host:port[,host:port...][/chroot]`; `extraChroot` is a chroot given in a separate field. */
export function parseConnectString(input: string, extraChroot?: string): ParseResult {
  const text = input.trim();
  if (text === '')
    return { ok: false, error: 'Connect string is empty: enter host:port, e.g. 127.0.0.1:2181' };
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text);
  if (scheme) {
    return {
      ok: false,
      error: `Connect string must not have a scheme: remove '${scheme[0]}' and write host:port, e.g. 127.0.0.1:2181`,
    };
  }
  if (/\s/.test(text)) return { ok: false, error: 'Connect string must not contain spaces' };

  const slash = text.indexOf('/');
  const hostsPart = slash < 0 ? text : text.slice(0, slash);
  let chroot = slash < 0 ? undefined : text.slice(slash);
  if (chroot === '/') chroot = undefined;

  if (hostsPart === '') return { ok: false, error: 'Connect string has no servers before the chroot' };
  const entries = hostsPart.split(',');
  const hosts: ZkHostPort[] = [];
  for (const [index, entry] of entries.entries()) {
    if (entry === '') {
      return {
        ok: false,
        error: `Connect string has an empty server entry at position ${index + 1} (check for ',,' or a trailing ',')`,
      };
    }
    const parsed = parseHostPort(entry, index + 1);
    if (!parsed.ok) return parsed;
    hosts.push(parsed.value);
  }

  if (extraChroot !== undefined && extraChroot.trim() !== '' && extraChroot.trim() !== '/') {
    if (chroot !== undefined)
      return {
        ok: false,
        error: 'Give the chroot either in the connect string or in the chroot field, not both',
      };
    chroot = extraChroot.trim();
  }
  if (chroot !== undefined) {
    const problem = validateZkPath(chroot);
    if (problem) return { ok: false, error: `Chroot ${problem}` };
  }
  const normalized = hosts.map((h) => `${h.host}:${h.port}`).join(',') + (chroot ?? '');
  return { ok: true, value: { hosts, chroot, normalized } };
}

/** The error message for a connect string, or undefined when it is valid. */
export function connectStringError(input: string, extraChroot?: string): string | undefined {
  const result = parseConnectString(input, extraChroot);
  return result.ok ? undefined : result.error;
}
