/**
 * What an operator should be told about an ensemble, from its servers' own reports. The thresholds
 * are deliberately coarse: the probes of different servers are a few milliseconds apart, so small
 * zxid lags and passing queues are normal; a warning must mean something to act on.
 */
import type {
  EnsembleHealth,
  HealthWarning,
  HealthWord,
  ServerHealth,
} from '../../../shared/api/ensemble-health';
import { splitZxid } from './four-letter-parsers';

/** Transactions a member may trail the leader by between two probes before it is called lagging. */
export const ZXID_LAG_WARN = 1000;
/** Outstanding requests worth a warning (the server throttles at globalOutstandingLimit, 1000). */
export const OUTSTANDING_WARN = 100;
/** Average request latency worth a warning, ms. */
export const AVG_LATENCY_WARN_MS = 100;
export const FD_USE_WARN = 0.8;

/** The words this app reads, as the zoo.cfg line that allows them. */
export const WHITELIST_LINE = '4lw.commands.whitelist=srvr,mntr,conf,cons,ruok';

const QUORUM_MODES = new Set(['leader', 'follower']);

function list(servers: readonly ServerHealth[]): string {
  return servers.map((s) => s.address).join(', ');
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

function versionNumber(version: string | null): string | null {
  return version ? (/^[\d.]+/.exec(version)?.[0] ?? version) : null;
}

export function healthWarnings(servers: readonly ServerHealth[]): HealthWarning[] {
  const warnings: HealthWarning[] = [];
  const reachable = servers.filter((s) => s.reachable);
  const down = servers.filter((s) => !s.reachable);
  const voters = reachable.filter((s) => QUORUM_MODES.has(s.mode));
  const leaders = reachable.filter((s) => s.mode === 'leader');
  const standalones = reachable.filter((s) => s.mode === 'standalone');
  const notServing = reachable.filter((s) => s.mode === 'not-serving');
  const replicated = servers.length > 1 && standalones.length === 0;
  // The ensemble's own member list (conf) when a member answered it; else the connect string.
  const members = Math.max(0, ...reachable.map((s) => s.membership.length)) || servers.length;
  const majority = Math.floor(members / 2) + 1;
  const voting = reachable.filter((s) => QUORUM_MODES.has(s.mode) || s.mode === 'not-serving').length;

  for (const server of down) {
    // A leader means a quorum stands, whatever the connect string lists.
    const quorumAtRisk = replicated && leaders.length === 0 && voting < majority;
    warnings.push({
      severity: quorumAtRisk || servers.length === 1 ? 'critical' : 'warning',
      code: 'unreachable',
      message: `${server.address} did not answer: ${server.error ?? 'no answer'}. ${
        quorumAtRisk
          ? `Only ${voting} of ${members} members answer, fewer than a majority (${majority}): the ensemble cannot keep a quorum.`
          : servers.length > 1
            ? `The others still answer; an ensemble of ${members} members survives ${members - majority} down.`
            : 'Check that it runs, and the host, port, firewall or tunnel.'
      }`,
      servers: [server.address],
    });
  }

  if (notServing.length > 0) {
    warnings.push({
      severity: 'critical',
      code: 'not-serving',
      message: `${list(notServing)} ${notServing.length === 1 ? 'is' : 'are'} up but not serving requests: no quorum, or a leader election is still running. Check the other members and the server log.`,
      servers: notServing.map((s) => s.address),
    });
  }

  if (standalones.length > 0 && servers.length > 1) {
    warnings.push({
      severity: 'critical',
      code: 'standalone-in-ensemble',
      message: `${list(standalones)} ${standalones.length === 1 ? 'runs' : 'run'} standalone, yet the connect string names ${servers.length} servers: they are not one ensemble, and a client lands on whichever it picks, each with its own data. Give each ensemble its own connection.`,
      servers: standalones.map((s) => s.address),
    });
  }

  if (replicated && reachable.length > 0 && notServing.length < reachable.length) {
    if (leaders.length === 0 && voters.length > 0) {
      warnings.push({
        severity: 'critical',
        code: 'no-leader',
        message: `No server reports itself leader (${list(voters)} answer as followers): the leader is down or unreachable from here, or the ensemble lost its quorum. Writes fail until a leader is elected.`,
        servers: voters.map((s) => s.address),
      });
    } else if (leaders.length === 0 && voters.length === 0 && notServing.length === 0) {
      warnings.push({
        severity: 'critical',
        code: 'no-leader',
        message: 'No server reports itself leader: the quorum state cannot be read (is srvr whitelisted?).',
        servers: reachable.map((s) => s.address),
      });
    }
  }
  if (leaders.length > 1) {
    warnings.push({
      severity: 'critical',
      code: 'several-leaders',
      message: `${leaders.length} servers report themselves leader (${list(leaders)}): they belong to different ensembles (different server.N lists?). The connect string mixes ensembles.`,
      servers: leaders.map((s) => s.address),
    });
  }

  warnings.push(...zxidWarnings(leaders.length === 1 ? leaders[0] : undefined, voters, standalones));

  for (const server of reachable) {
    if (server.outstanding !== null && server.outstanding >= OUTSTANDING_WARN) {
      warnings.push({
        severity: 'warning',
        code: 'outstanding-high',
        message: `${server.address} has ${fmt(server.outstanding)} outstanding requests: it is falling behind (slow disk or fsync, GC pauses, overload); at globalOutstandingLimit (1,000 by default) it stops reading from clients.`,
        servers: [server.address],
      });
    }
    if (server.latency && server.latency.avg >= AVG_LATENCY_WARN_MS) {
      warnings.push({
        severity: 'warning',
        code: 'latency-high',
        message: `${server.address} answers in ${server.latency.avg} ms on average (max ${fmt(server.latency.max)} ms): look at disk latency (fsync of the transaction log) and GC.`,
        servers: [server.address],
      });
    }
    if (
      server.openFileDescriptors !== null &&
      server.maxFileDescriptors !== null &&
      server.maxFileDescriptors > 0 &&
      server.openFileDescriptors / server.maxFileDescriptors >= FD_USE_WARN
    ) {
      warnings.push({
        severity: 'warning',
        code: 'file-descriptors',
        message: `${server.address} uses ${fmt(server.openFileDescriptors)} of ${fmt(server.maxFileDescriptors)} file descriptors: new client connections will fail when it runs out (raise the limit, or find the client leaking connections).`,
        servers: [server.address],
      });
    }
    if (
      server.mode === 'leader' &&
      server.followers !== null &&
      server.syncedFollowers !== null &&
      server.syncedFollowers < server.followers
    ) {
      warnings.push({
        severity: 'warning',
        code: 'followers-not-synced',
        message: `The leader ${server.address} has ${server.followers} learners, of which ${server.syncedFollowers} are in sync: a follower is still syncing or falling behind.`,
        servers: [server.address],
      });
    }
  }

  const versions = new Map<string, string[]>();
  for (const server of reachable) {
    const version = versionNumber(server.version);
    if (version) versions.set(version, [...(versions.get(version) ?? []), server.address]);
  }
  if (versions.size > 1) {
    warnings.push({
      severity: 'info',
      code: 'version-mismatch',
      message: `Servers run different versions (${[...versions].map(([v, s]) => `${v} on ${s.join(', ')}`).join('; ')}): expected during a rolling upgrade, not otherwise.`,
      servers: reachable.map((s) => s.address),
    });
  }

  const refusing = reachable.filter((s) => refusedWords(s).length > 0);
  if (refusing.length > 0) {
    warnings.push({
      severity: refusing.some((s) => s.words.srvr === 'refused') ? 'warning' : 'info',
      code: 'whitelist',
      message: `${refusing
        .map((s) => `${s.address} refuses ${refusedWords(s).join(', ')}`)
        .join(
          '; ',
        )}: these words are not in its 4lw.commands.whitelist, so ${refusing.length === 1 ? 'its' : 'their'} figures are incomplete. Add \`${WHITELIST_LINE}\` to zoo.cfg and restart the server.`,
      servers: refusing.map((s) => s.address),
    });
  }
  return warnings;
}

export function refusedWords(server: ServerHealth): HealthWord[] {
  return (Object.keys(server.words) as HealthWord[]).filter((word) => server.words[word] === 'refused');
}

function zxidWarnings(
  leader: ServerHealth | undefined,
  voters: readonly ServerHealth[],
  standalones: readonly ServerHealth[],
): HealthWarning[] {
  const warnings: HealthWarning[] = [];
  if (leader?.zxid) {
    const lead = splitZxid(leader.zxid);
    for (const member of voters) {
      if (member === leader || !member.zxid) continue;
      const own = splitZxid(member.zxid);
      // Right after an election the followers still show the previous epoch until the first write.
      const behindEpoch = own.epoch < lead.epoch && lead.counter > 0;
      const lag = own.epoch === lead.epoch ? lead.counter - own.counter : 0;
      if (behindEpoch || lag > ZXID_LAG_WARN || own.epoch > lead.epoch) {
        warnings.push({
          severity: 'warning',
          code: 'zxid-divergence',
          message: `${member.address} is at zxid ${member.zxid}, the leader ${leader.address} at ${leader.zxid}${
            lag > 0 ? ` (${fmt(lag)} transactions behind)` : ' (another epoch)'
          }: it is not keeping up, or is not part of this ensemble.`,
          servers: [member.address, leader.address],
        });
      }
    }
  }
  const distinct = new Set(standalones.map((s) => s.zxid));
  if (standalones.length > 1 && distinct.size > 1) {
    warnings.push({
      severity: 'critical',
      code: 'zxid-divergence',
      message: `The standalone servers disagree: ${standalones
        .map((s) => `${s.address} at ${s.zxid ?? '?'} with ${s.nodeCount ?? '?'} nodes`)
        .join(', ')}. They hold different data.`,
      servers: standalones.map((s) => s.address),
    });
  }
  return warnings;
}

export function ensembleSummary(servers: readonly ServerHealth[]): EnsembleHealth['summary'] {
  const reachable = servers.filter((s) => s.reachable);
  const standalones = reachable.filter((s) => s.mode === 'standalone').length;
  const voters = reachable.filter((s) => QUORUM_MODES.has(s.mode)).length;
  const leader = reachable.find((s) => s.mode === 'leader');
  return {
    kind:
      standalones > 0 && (voters > 0 || servers.length > 1)
        ? 'mixed'
        : standalones > 0
          ? 'standalone'
          : voters > 0 || reachable.some((s) => s.mode === 'observer' || s.mode === 'not-serving')
            ? 'ensemble'
            : 'unknown',
    leader: leader?.address ?? null,
    reachable: reachable.length,
    total: servers.length,
    serving: voters,
  };
}
