/**
 * Probes one ZooKeeper server with the four-letter words: srvr first (is it up, which mode), then
 * mntr, conf, cons and ruok side by side. Each word is its own short TCP connection, so a server
 * that refuses some words (4lw.commands.whitelist) still reports what it allows.
 */
import type { HealthWord, ServerHealth, WordOutcome } from '../../../shared/api/ensemble-health';
import { fourLetterWord } from '../four-letter-word';
import {
  isWhitelistRefusal,
  mntrNumber,
  parseConf,
  parseCons,
  parseMntr,
  parseSrvr,
  splitZxid,
} from './four-letter-parsers';

/** Clients listed per server; the count covers them all. */
export const MAX_CLIENTS = 50;

/** conf keys worth showing; the rest (paths of jars, secure ports at -1) is noise. */
const CONFIG_KEYS = [
  'clientPort',
  'dataDir',
  'dataLogDir',
  'tickTime',
  'initLimit',
  'syncLimit',
  'maxClientCnxns',
  'minSessionTimeout',
  'maxSessionTimeout',
  'electionPort',
  'quorumPort',
];

export interface ProbeTarget {
  /** host:port as the connect string names it. */
  address: string;
  /** Where to dial (a tunnel's loopback forward, or the address itself). */
  host: string;
  port: number;
}

type Answer = { outcome: WordOutcome; text: string | null; error: string | null };

async function ask(target: ProbeTarget, word: HealthWord, timeoutMs: number): Promise<Answer> {
  try {
    const text = await fourLetterWord(target.host, target.port, word, timeoutMs);
    if (isWhitelistRefusal(text)) return { outcome: 'refused', text, error: null };
    if (text.trim() === '') return { outcome: 'failed', text, error: 'empty answer' };
    return { outcome: 'ok', text, error: null };
  } catch (error) {
    return { outcome: 'failed', text: null, error: error instanceof Error ? error.message : String(error) };
  }
}

function emptyHealth(address: string): ServerHealth {
  return {
    address,
    reachable: false,
    error: null,
    probeMs: null,
    words: { srvr: 'failed', mntr: 'failed', conf: 'failed', cons: 'failed', ruok: 'failed' },
    mode: 'unknown',
    version: null,
    zxid: null,
    epoch: null,
    latency: null,
    outstanding: null,
    nodeCount: null,
    watchCount: null,
    ephemerals: null,
    dataSize: null,
    connections: null,
    received: null,
    sent: null,
    openFileDescriptors: null,
    maxFileDescriptors: null,
    followers: null,
    syncedFollowers: null,
    serverId: null,
    membership: [],
    config: {},
    clients: [],
    clientCount: null,
    ruok: null,
  };
}

/** The messages name the dialled address; the operator knows the server by its connect-string name. */
function renamed(message: string, target: ProbeTarget): string {
  return message.replaceAll(`${target.host}:${target.port}`, target.address);
}

export async function probeServer(target: ProbeTarget, timeoutMs: number): Promise<ServerHealth> {
  const health = emptyHealth(target.address);
  const started = performance.now();
  const srvr = await ask(target, 'srvr', timeoutMs);
  health.words.srvr = srvr.outcome;
  if (srvr.outcome === 'failed') {
    health.error = renamed(srvr.error ?? 'no answer to srvr', target);
    return health;
  }
  health.probeMs = Math.round(performance.now() - started);
  health.reachable = true;

  const [mntr, conf, cons, ruok] = await Promise.all(
    (['mntr', 'conf', 'cons', 'ruok'] as const).map((word) => ask(target, word, timeoutMs)),
  );
  for (const [word, answer] of [
    ['mntr', mntr],
    ['conf', conf],
    ['cons', cons],
    ['ruok', ruok],
  ] as const) {
    health.words[word] = answer?.outcome ?? 'failed';
  }

  if (srvr.outcome === 'ok' && srvr.text) {
    const parsed = parseSrvr(srvr.text);
    Object.assign(health, {
      mode: parsed.mode,
      version: parsed.version,
      zxid: parsed.zxid,
      latency: parsed.latency,
      outstanding: parsed.outstanding,
      nodeCount: parsed.nodeCount,
      connections: parsed.connections,
      received: parsed.received,
      sent: parsed.sent,
    });
  }
  if (mntr?.outcome === 'ok' && mntr.text) {
    const values = parseMntr(mntr.text);
    const number = (key: string) => mntrNumber(values, key);
    health.watchCount = number('zk_watch_count');
    health.ephemerals = number('zk_ephemerals_count');
    health.dataSize = number('zk_approximate_data_size');
    health.openFileDescriptors = number('zk_open_file_descriptor_count');
    health.maxFileDescriptors = number('zk_max_file_descriptor_count');
    health.followers = number('zk_followers') ?? number('zk_learners');
    // zk_learners counts observers and non-voting followers too: compare it with all the synced ones.
    const synced = ['zk_synced_followers', 'zk_synced_non_voting_followers', 'zk_synced_observers']
      .map(number)
      .filter((n): n is number => n !== null);
    health.syncedFollowers = synced.length > 0 ? synced.reduce((a, b) => a + b, 0) : null;
    // srvr may be refused where mntr is not: mntr carries the same facts.
    health.version ??= values.get('zk_version') ?? null;
    health.outstanding ??= number('zk_outstanding_requests');
    health.nodeCount ??= number('zk_znode_count');
    health.connections ??= number('zk_num_alive_connections');
    if (health.mode === 'unknown') {
      const state = values.get('zk_server_state');
      if (state === 'leader' || state === 'follower' || state === 'observer' || state === 'standalone') {
        health.mode = state;
      }
    }
    const [min, avg, max] = ['zk_min_latency', 'zk_avg_latency', 'zk_max_latency'].map(number);
    if (!health.latency && min !== null && avg !== null && max !== null) {
      health.latency = { min: min as number, avg: avg as number, max: max as number };
    }
  }
  if (conf?.outcome === 'ok' && conf.text) {
    const parsed = parseConf(conf.text);
    health.serverId = parsed.values.get('serverId') ?? null;
    health.membership = parsed.membership;
    health.config = Object.fromEntries(
      CONFIG_KEYS.flatMap((key) => {
        const value = parsed.values.get(key);
        return value === undefined ? [] : [[key, value]];
      }),
    );
  }
  if (cons?.outcome === 'ok' && cons.text) {
    const clients = parseCons(cons.text);
    health.clientCount = clients.length;
    health.clients = clients.slice(0, MAX_CLIENTS);
  }
  health.ruok = ruok?.outcome === 'ok' ? ruok.text?.trim() === 'imok' : null;
  if (health.zxid) health.epoch = splitZxid(health.zxid).epoch;
  return health;
}
