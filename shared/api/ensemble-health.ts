/**
 * Ensemble health: what every server of a connection's connect string says about itself through
 * ZooKeeper's four-letter words (srvr, mntr, conf, cons, ruok), side by side, and the warnings an
 * operator acts on (no leader, a server down, members disagreeing, requests piling up).
 */
import { z } from 'zod';

export const ensembleHealthInputSchema = z.object({ connectionId: z.string().min(1) });

export const HEALTH_WORDS = ['srvr', 'mntr', 'conf', 'cons', 'ruok'] as const;
export type HealthWord = (typeof HEALTH_WORDS)[number];

/** ok: answered; refused: not in 4lw.commands.whitelist; failed: no usable answer. */
export type WordOutcome = 'ok' | 'refused' | 'failed';

export type ServerMode =
  | 'leader'
  | 'follower'
  | 'observer'
  | 'standalone'
  | 'read-only'
  /** Up, but "not currently serving requests": no quorum, or still electing. */
  | 'not-serving'
  | 'unknown';

export interface ClientConnection {
  address: string;
  sessionId: string | null;
  queued: number | null;
  received: number | null;
  sent: number | null;
  lastOperation: string | null;
  avgLatencyMs: number | null;
  maxLatencyMs: number | null;
}

export interface ServerHealth {
  /** As the connect string names it (host:port). */
  address: string;
  reachable: boolean;
  /** Why the server could not be probed, when it could not. */
  error: string | null;
  /** Round trip of the srvr probe, ms (through the tunnel when there is one). */
  probeMs: number | null;
  words: Record<HealthWord, WordOutcome>;
  mode: ServerMode;
  version: string | null;
  /** 0x-hex, as zkCli and the server print it. */
  zxid: string | null;
  epoch: number | null;
  latency: { min: number; avg: number; max: number } | null;
  outstanding: number | null;
  nodeCount: number | null;
  watchCount: number | null;
  ephemerals: number | null;
  /** zk_approximate_data_size, bytes. */
  dataSize: number | null;
  connections: number | null;
  received: number | null;
  sent: number | null;
  openFileDescriptors: number | null;
  maxFileDescriptors: number | null;
  /** Leader only (mntr): learners and how many are in sync. */
  followers: number | null;
  syncedFollowers: number | null;
  /** From conf: server id and the membership lines (server.N=...). */
  serverId: string | null;
  membership: string[];
  /** Selected conf keys (clientPort, dataDir, tickTime, maxClientCnxns, session timeouts). */
  config: Record<string, string>;
  /** From cons, at most MAX_CLIENTS; clientCount has them all. */
  clients: ClientConnection[];
  clientCount: number | null;
  ruok: boolean | null;
}

export type HealthSeverity = 'critical' | 'warning' | 'info';

export interface HealthWarning {
  severity: HealthSeverity;
  code:
    | 'unreachable'
    | 'no-leader'
    | 'several-leaders'
    | 'not-serving'
    | 'standalone-in-ensemble'
    | 'zxid-divergence'
    | 'outstanding-high'
    | 'latency-high'
    | 'file-descriptors'
    | 'followers-not-synced'
    | 'version-mismatch'
    | 'whitelist';
  message: string;
  servers: string[];
}

export interface EnsembleHealth {
  connectionId: string;
  probedAt: number;
  tookMs: number;
  /** The SSH jump host the probes went through, or null for a direct connection. */
  via: string | null;
  servers: ServerHealth[];
  warnings: HealthWarning[];
  summary: {
    kind: 'ensemble' | 'standalone' | 'mixed' | 'unknown';
    leader: string | null;
    reachable: number;
    total: number;
    /** Voting members answering in leader/follower mode. */
    serving: number;
  };
  /** The zoo.cfg line that would let this app read everything, when some server refused a word. */
  whitelistAdvice: string | null;
}
