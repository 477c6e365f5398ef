/**
 * Why a live stream cannot come back: the host is down (it will answer again), or it answers but
 * refuses this page (401). The second happens in browser mode after the host restarted: the token
 * is per launch, so the cookie this page got from the old launch's address no longer opens it, and
 * no retry can fix that until the operator opens the new address (which refreshes the cookie for
 * every tab of this host). An EventSource cannot see the status code, so a plain request asks.
 */
import { type Platform, platform } from '../platform';

export type HostAccess = 'ok' | 'refused' | 'unreachable';

/** Must answer well within the stream's retry interval; a hung host counts as unreachable. */
const ACCESS_CHECK_MS = 3000;

export async function checkHostAccess(target: Platform = platform): Promise<HostAccess> {
  try {
    // The cheapest authorized query; GET so the host's guard sees it like any API call.
    const response = await fetch(`${target.apiUrl}/trpc/system.info`, {
      headers: target.authHeaders(),
      cache: 'no-store',
      signal: AbortSignal.timeout(ACCESS_CHECK_MS),
    });
    return response.status === 401 ? 'refused' : 'ok';
  } catch {
    return 'unreachable';
  }
}
