/**
 * Running an engine run in the foreground of the CLI: progress to stderr, Ctrl-C pauses it (settled
 * and checkpointed, resumable with --resume) instead of leaving an unknown state; a second Ctrl-C
 * quits at once (still safe: the checkpoint is only ever behind the truth, never ahead).
 */
import type { EngineRuns } from '../engines/zk-copy/run-manager';
import type { ProgressEvent, RunView } from '../engines/zk-copy/types';
import type { CliContext } from './context';
import { ProgressPrinter } from './progress-printer';

export async function runInForeground(
  context: CliContext,
  runs: EngineRuns,
  runId: string,
  start: () => Promise<RunView>,
): Promise<RunView> {
  const printer = new ProgressPrinter(context.io);
  const onProgress = (event: ProgressEvent) => {
    if (event.runId === runId) printer.show(event);
  };
  let interrupted = 0;
  const onSigint = () => {
    interrupted += 1;
    if (interrupted > 1) process.exit(130);
    printer.done();
    context.io.stderr('Pausing: settling the batches in flight (Ctrl-C again to quit at once)...\n');
    runs
      .pauseAndSettle(runId)
      .then(() => {
        context.io.stderr(`Paused. Resume with: mdesk zk copy --resume ${runId}\n`);
        return context.close();
      })
      .then(() => process.exit(130))
      .catch(() => process.exit(130));
  };
  runs.events.on('progress', onProgress);
  process.on('SIGINT', onSigint);
  try {
    return await start();
  } finally {
    process.off('SIGINT', onSigint);
    runs.events.off('progress', onProgress);
    printer.done();
  }
}
