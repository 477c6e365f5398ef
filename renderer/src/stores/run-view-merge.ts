/**
 * How the runs store folds what the host sends into what it holds: a control's answer and the
 * stream can arrive in either order, output comes both live and in pages (and again after a
 * reconnect), and progress patches one step. Pure, so the ordering rules are unit-tested.
 */
import type { RunOutputLine, RunProgressEvent, RunView } from '../../../shared/api/run-views';

/** Output lines kept per run in the view; older ones stay in the host (and in the report). */
export const OUTPUT_KEEP = 5000;

/** The newer of two views of one run: a control's answer may arrive after the stream moved on. */
export function newer(known: RunView | null, incoming: RunView): RunView {
  return known && known.updatedAt > incoming.updatedAt ? known : incoming;
}

/** In print order, each line once, the newest OUTPUT_KEEP. */
export function mergeOutput(
  known: RunOutputLine[],
  incoming: RunOutputLine[],
  keep = OUTPUT_KEEP,
): RunOutputLine[] {
  if (incoming.length === 0) return known;
  const last = known.at(-1)?.seq ?? -1;
  const fresh = incoming.every((line) => line.seq > last);
  const merged = fresh
    ? [...known, ...incoming]
    : [...new Map([...known, ...incoming].map((line) => [line.seq, line])).values()].sort(
        (a, b) => a.seq - b.seq,
      );
  return merged.length > keep ? merged.slice(merged.length - keep) : merged;
}

export function applyProgress(run: RunView, event: RunProgressEvent): RunView {
  return {
    ...run,
    steps: run.steps.map((step) =>
      step.index === event.index ? { ...step, progress: event.progress, waitingFor: event.waitingFor } : step,
    ),
  };
}
