/**
 * Snapshots (issue 3, item 8): capture a subtree (a job), list, delete with the node count typed
 * back, compare with the live tree (a job), and the bundled sample cluster. Browsing a snapshot uses
 * the node API with the snapshot's workspace id (see shared/api/snapshots).
 */
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import {
  captureSnapshotInputSchema,
  listSnapshotsInputSchema,
  removeSnapshotInputSchema,
  snapshotIdSchema,
  type SnapshotView,
} from '../../../shared/api/snapshots';
import { ExportFormatError } from '../../engines/zk-export/export-format';
import { SnapshotNotFoundError } from '../../store/snapshots-repo';
import {
  openSample,
  removeSnapshot,
  requireSnapshot,
  SnapshotRefusedError,
  snapshotView,
  startCapture,
  startCompare,
} from '../services/snapshots-service';
import { snapshotFromUpload, TransferRefusedError } from '../services/transfer-service';
import { guarded, publicProcedure, router } from '../trpc';

async function refusals<T>(fn: () => Promise<T> | T): Promise<T> {
  return guarded(async () => {
    try {
      return await fn();
    } catch (error) {
      if (
        error instanceof SnapshotRefusedError ||
        error instanceof TransferRefusedError ||
        error instanceof ExportFormatError
      )
        throw new TRPCError({ code: 'BAD_REQUEST', message: error.message, cause: error });
      if (error instanceof SnapshotNotFoundError)
        throw new TRPCError({ code: 'NOT_FOUND', message: error.message, cause: error });
      throw error;
    }
  });
}

export const snapshotsRouter = router({
  /** Newest first; per connection when one is given. */
  list: publicProcedure
    .input(listSnapshotsInputSchema)
    .query(({ ctx, input }) =>
      refusals((): SnapshotView[] =>
        ctx.services.store.snapshots
          .list({ connectionId: input?.connectionId, limit: input?.limit })
          .map((record) => snapshotView(ctx.services, record)),
      ),
    ),

  get: publicProcedure
    .input(snapshotIdSchema)
    .query(({ ctx, input }) =>
      refusals(() => snapshotView(ctx.services, requireSnapshot(ctx.services, input.snapshotId))),
    ),

  /** Starts a capture; follow it with jobs.events. Allowed on read-only connections: it only reads. */
  capture: publicProcedure
    .input(captureSnapshotInputSchema)
    .mutation(({ ctx, input }) => refusals(() => startCapture(ctx.services, input))),

  /** Starts a comparison with the live tree; follow it with jobs.events. */
  compare: publicProcedure
    .input(snapshotIdSchema)
    .mutation(({ ctx, input }) => refusals(() => startCompare(ctx.services, input.snapshotId))),

  remove: publicProcedure
    .input(removeSnapshotInputSchema)
    .mutation(({ ctx, input }) =>
      refusals(() => removeSnapshot(ctx.services, input.snapshotId, input.confirmNodeCount)),
    ),

  /** An uploaded export file (ours or zk-shell's) as a snapshot, to browse it offline. */
  fromUpload: publicProcedure
    .input(z.object({ fileId: z.string().uuid('fileId must be the id the upload returned') }))
    .mutation(({ ctx, input }) =>
      refusals(() => snapshotView(ctx.services, snapshotFromUpload(ctx.services, input.fileId))),
    ),

  /** The bundled sample cluster, loaded into the store on first use; opened like any snapshot. */
  openSample: publicProcedure.mutation(({ ctx }) => refusals(() => openSample(ctx.services))),
});
