/**
 * Parsers for the answers of ZooKeeper's four-letter words, written against what the servers print
 * (3.4 to 3.9: srvr's "Key: value" lines, mntr's tab-separated zk_* pairs, conf's key=value lines
 * with a membership section, cons's one line per connection). Unknown lines are ignored, missing
 * fields are null: an older or newer server never breaks the view.
 */
import type { ClientConnection, ServerMode } from '../../../shared/api/ensemble-health';

/** 3.5+ answers a word outside 4lw.commands.whitelist with this sentence instead of the data. */
const NOT_WHITELISTED = /^\s*(\w{4}) is not executed because it is not in the whitelist\.?\s*$/;
const NOT_SERVING = /This ZooKeeper instance is not currently serving requests/;

export function isWhitelistRefusal(answer: string): boolean {
  return NOT_WHITELISTED.test(answer);
}

export function isNotServing(answer: string): boolean {
  return NOT_SERVING.test(answer);
}

function toNumber(text: string | undefined): number | null {
  if (text === undefined) return null;
  const value = Number(text.trim());
  return Number.isFinite(value) ? value : null;
}

export interface SrvrAnswer {
  version: string | null;
  latency: { min: number; avg: number; max: number } | null;
  received: number | null;
  sent: number | null;
  connections: number | null;
  outstanding: number | null;
  zxid: string | null;
  mode: ServerMode;
  nodeCount: number | null;
}

const MODES: Record<string, ServerMode> = {
  leader: 'leader',
  follower: 'follower',
  observer: 'observer',
  standalone: 'standalone',
  'read-only': 'read-only',
};

export function parseSrvr(answer: string): SrvrAnswer {
  const fields = new Map<string, string>();
  for (const line of answer.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const latencyText = fields.get('latency min/avg/max');
  const latencyParts = latencyText?.split('/').map((part) => toNumber(part));
  const latency =
    latencyParts && latencyParts.length === 3 && latencyParts.every((n) => n !== null)
      ? { min: latencyParts[0] as number, avg: latencyParts[1] as number, max: latencyParts[2] as number }
      : null;
  const modeText = fields.get('mode');
  const zxid = fields.get('zxid');
  return {
    version: fields.get('zookeeper version') ?? null,
    latency,
    received: toNumber(fields.get('received')),
    sent: toNumber(fields.get('sent')),
    connections: toNumber(fields.get('connections')),
    outstanding: toNumber(fields.get('outstanding')),
    zxid: zxid && /^0x[0-9a-f]+$/i.test(zxid) ? zxid.toLowerCase() : null,
    mode: isNotServing(answer)
      ? 'not-serving'
      : modeText
        ? (MODES[modeText.toLowerCase()] ?? 'unknown')
        : 'unknown',
    nodeCount: toNumber(fields.get('node count')),
  };
}

/** mntr: `zk_key<TAB>value` per line. */
export function parseMntr(answer: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of answer.split('\n')) {
    const match = /^(zk_\w+)\s+(.*?)\s*$/.exec(line);
    if (match) values.set(match[1] as string, match[2] as string);
  }
  return values;
}

export function mntrNumber(values: Map<string, string>, key: string): number | null {
  return toNumber(values.get(key));
}

export interface ConfAnswer {
  values: Map<string, string>;
  /** `server.N=host:peer:election[:role][;client]` lines, from the membership section or plain keys. */
  membership: string[];
}

export function parseConf(answer: string): ConfAnswer {
  const values = new Map<string, string>();
  const membership: string[] = [];
  for (const raw of answer.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('membership:')) continue;
    const equals = line.indexOf('=');
    if (equals <= 0) continue;
    const key = line.slice(0, equals);
    if (/^server\.\d+$/.test(key)) membership.push(line);
    else values.set(key, line.slice(equals + 1));
  }
  return { values, membership };
}

/**
 * cons: ` /127.0.0.1:36058[1](queued=0,recved=5,sent=5,sid=0x10000...,lop=PING,...,avglat=0,maxlat=0)`.
 * The probe's own connection has no sid and is left out.
 */
export function parseCons(answer: string): ClientConnection[] {
  const clients: ClientConnection[] = [];
  for (const line of answer.split('\n')) {
    const match = /^\s*\/?(\S+?)\[\d+\]\((.*)\)\s*$/.exec(line);
    if (!match) continue;
    const fields = new Map<string, string>();
    for (const pair of (match[2] as string).split(',')) {
      const equals = pair.indexOf('=');
      if (equals > 0) fields.set(pair.slice(0, equals), pair.slice(equals + 1));
    }
    const sessionId = fields.get('sid') ?? null;
    if (sessionId === null) continue;
    clients.push({
      address: match[1] as string,
      sessionId,
      queued: toNumber(fields.get('queued')),
      received: toNumber(fields.get('recved')),
      sent: toNumber(fields.get('sent')),
      lastOperation: fields.get('lop') ?? null,
      avgLatencyMs: toNumber(fields.get('avglat')),
      maxLatencyMs: toNumber(fields.get('maxlat')),
    });
  }
  return clients;
}

/** A zxid's epoch (high 32 bits) and counter (low 32 bits). */
export function splitZxid(zxid: string): { epoch: number; counter: number } {
  const value = BigInt(zxid);
  return { epoch: Number(value >> 32n), counter: Number(value & 0xffffffffn) };
}
