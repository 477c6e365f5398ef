/**
 * The one API client. Queries and mutations are batched over fetch (with the desktop's bearer token);
 * subscriptions run over server-sent events, which the host authorizes by its cookie.
 */
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import type { AppRouter } from '../../../electron/host/router';
import { type Platform, platform } from '../platform';

export function createApiClient(target: Platform) {
  const url = `${target.apiUrl}/trpc`;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url }),
        false: httpBatchLink({ url, headers: () => target.authHeaders() }),
      }),
    ],
  });
}

export type ApiClient = ReturnType<typeof createApiClient>;

export const api: ApiClient = createApiClient(platform);
