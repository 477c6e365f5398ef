/**
 * What this tool last wrote to an entry, from the audit log: how `mdesk metaproxy rollback` guards a
 * rollback typed from a ticket (no run record at hand) against undoing someone else's later change.
 */
import type { EventsRepo } from '../../store/types';
import { METAPROXY_WRITE_ACTIONS } from './write-audit';
import type { MetaProxyLastWrite } from './write-plan';

const PAGE = 500;
/** Refusals and no-ops between writes are few; past this many events the log is not a guide anyway. */
const MAX_PAGES = 20;

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function findLastMetaProxyWrite(
  events: Pick<EventsRepo, 'list'>,
  target: string,
): MetaProxyLastWrite | null {
  let beforeId: number | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const batch = events.list({ target, actionPrefix: 'metaproxy.', limit: PAGE, beforeId });
    for (const event of batch) {
      if (!METAPROXY_WRITE_ACTIONS.includes(event.action)) continue;
      const after = event.detail.after as Record<string, unknown> | null | undefined;
      if (!after || typeof after.version !== 'number' || typeof after.digest !== 'string') continue;
      return {
        version: after.version,
        digest: after.digest,
        clusterName: stringOrNull(after.clusterName),
        metaAddrs: stringOrNull(after.metaAddrs),
        eventId: event.id,
        at: event.at,
      };
    }
    if (batch.length < PAGE) return null;
    beforeId = batch.at(-1)?.id;
  }
  return null;
}
