/**
 * Subtree search: results and progress stream as server-sent events; unsubscribing cancels it. The
 * walk reads through a bulk reader (multiRead batches on two short-lived sessions to the same
 * ensemble, through the same SSH tunnel) when one can be opened, else through the shared session.
 */
import { searchInputSchema } from '../../../shared/api/subtree-search';
import { ZkBulkReader } from '../../zk/bulk-read/bulk-reader';
import { searchSubtree } from '../services/subtree-search';
import { publicProcedure, router, toTRPCError } from '../trpc';

/** A bulk reader that cannot connect this fast is not worth waiting for: the session reads instead. */
const BULK_OPEN_TIMEOUT_MS = 5000;

export const searchRouter = router({
  run: publicProcedure.input(searchInputSchema).subscription(async function* ({ ctx, input, signal }) {
    let session: Awaited<ReturnType<typeof ctx.services.sessions.open>>;
    try {
      session = await ctx.services.sessions.open(input.connectionId);
    } catch (error) {
      throw toTRPCError(error);
    }
    const options = ctx.services.sessions.sessionOptions(input.connectionId);
    const bulk = options
      ? await ZkBulkReader.open({
          ...options,
          connectTimeoutMs: Math.min(options.connectTimeoutMs, BULK_OPEN_TIMEOUT_MS),
          sessions: 2,
        }).catch(() => undefined)
      : undefined;
    try {
      yield* searchSubtree({
        session,
        request: input,
        signal,
        bulk,
        // The bulk reader's sessions share the session's chroot.
        ensembleRoot: !(session as { chroot?: string }).chroot,
      });
    } finally {
      await bulk?.close();
    }
  }),
});
