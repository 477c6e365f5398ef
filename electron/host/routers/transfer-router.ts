/**
 * Export and import (issue 3, item 7). The files themselves cross the host's HTTP (file-transfer.ts):
 * an export is downloaded once its job is done, a file to import is uploaded before its preview.
 */
import { TRPCError } from '@trpc/server';
import {
  exportInputSchema,
  importApplyInputSchema,
  importPreviewInputSchema,
} from '../../../shared/api/transfer';
import { ExportFormatError } from '../../engines/zk-export/export-format';
import {
  startExport,
  startImportApply,
  startImportPreview,
  TransferRefusedError,
} from '../services/transfer-service';
import { guarded, publicProcedure, router } from '../trpc';

async function refusals<T>(fn: () => T): Promise<T> {
  return guarded(() => {
    try {
      return fn();
    } catch (error) {
      if (error instanceof TransferRefusedError || error instanceof ExportFormatError)
        throw new TRPCError({ code: 'BAD_REQUEST', message: error.message, cause: error });
      throw error;
    }
  });
}

export const transferRouter = router({
  /** Starts an export into the data folder; the done event names the file to download. */
  export: publicProcedure
    .input(exportInputSchema)
    .mutation(({ ctx, input }) => refusals(() => startExport(ctx.services, input))),

  /** Reads the uploaded file and plans the import (a dry run: nothing is written). */
  previewImport: publicProcedure
    .input(importPreviewInputSchema)
    .mutation(({ ctx, input }) => refusals(() => startImportPreview(ctx.services, input))),

  /** Applies a previewed import; needs the connection in read-write mode. */
  applyImport: publicProcedure
    .input(importApplyInputSchema)
    .mutation(({ ctx, input }) => refusals(() => startImportApply(ctx.services, input))),
});
