/**
 * Meta HTTP reads for steps (reference §5): `/meta/cluster`, `/meta/nodes`, `/meta/apps` from the
 * profile's meta servers, following 307 to the leader. Failures are answers here, not exceptions:
 * a step falls back (to the shell, to a manual check) and says why. The case that needs saying
 * most is a meta that answers 307 to a leader that does not answer: the metas that are up still
 * believe in a leader that died (or is restarting), which no retry of the same URL fixes.
 */
import type { PegasusProfile } from '../../../shared/api/pegasus-profile';
import {
  fetchMetaApps,
  fetchMetaCluster,
  fetchMetaNodes,
  type MetaApps,
  type MetaClusterInfo,
  MetaHttpError,
  type MetaHttpOptions,
  type MetaHttpResponse,
  type MetaNodes,
} from '../../pegasus/meta-http';
import { type AnyStepContext, messageOf } from './cluster-profile';

export type MetaHttpRead<T> =
  | { ok: true; value: T; server: string; redirects: string[] }
  | {
      ok: false;
      reason: string;
      /** A meta answered 307 and the leader it named did not answer. */
      deadLeader: { from: string; leader: string } | null;
    };

const STEP_TIMEOUT_MS = 4000;

interface Redirect {
  from: string;
  to: string;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

async function read<T>(
  ctx: AnyStepContext,
  profile: PegasusProfile,
  fetcher: (servers: readonly string[], options: MetaHttpOptions) => Promise<MetaHttpResponse<T>>,
  what: string,
): Promise<MetaHttpRead<T>> {
  if (profile.metaServers.length === 0) {
    return {
      ok: false,
      reason: `the cluster profile '${profile.name}' lists no meta servers, so ${what} cannot be read over HTTP`,
      deadLeader: null,
    };
  }
  // Seen through fetch, because metaHttpGet reports an unreachable hop by the host it tried last.
  const redirects: Redirect[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get('location') ?? '';
      redirects.push({ from: hostOf(String(input)), to: hostOf(location) });
    }
    return response;
  };
  try {
    const response = await fetcher(profile.metaServers, {
      fetchImpl,
      timeoutMs: STEP_TIMEOUT_MS,
      signal: ctx.signal,
    });
    return { ok: true, value: response.data, server: response.server, redirects: response.redirects };
  } catch (error) {
    if (ctx.signal.aborted) return { ok: false, reason: 'stopped', deadLeader: null };
    const attempts = error instanceof MetaHttpError ? (error.details.attempts ?? []) : [];
    const dead = redirects.find((redirect) =>
      attempts.some((attempt) => attempt.error.startsWith(`${redirect.to}:`)),
    );
    if (dead) {
      return {
        ok: false,
        reason:
          `meta server ${dead.from} answered ${what} with 307 to the leader ${dead.to}, which does not answer: ` +
          'the running metas still name a leader that died or is restarting (the lock nodes in ZooKeeper say who holds the lock now)',
        deadLeader: { from: dead.from, leader: dead.to },
      };
    }
    return { ok: false, reason: `meta HTTP ${what}: ${messageOf(error)}`, deadLeader: null };
  }
}

export function readMetaCluster(ctx: AnyStepContext, profile: PegasusProfile) {
  return read<MetaClusterInfo>(ctx, profile, fetchMetaCluster, '/meta/cluster');
}

export function readMetaNodes(ctx: AnyStepContext, profile: PegasusProfile) {
  return read<MetaNodes>(
    ctx,
    profile,
    (servers, options) => fetchMetaNodes(servers, { ...options, detail: true }),
    '/meta/nodes?detail',
  );
}

export function readMetaApps(ctx: AnyStepContext, profile: PegasusProfile) {
  return read<MetaApps>(ctx, profile, fetchMetaApps, '/meta/apps');
}
