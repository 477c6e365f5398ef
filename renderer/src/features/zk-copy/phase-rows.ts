/**
 * A run's phases as the progress list shows them: which phases, in what order, whether each is
 * done, running or stopped, and the words under each bar. Pure, so the rules are tested: the ETA
 * only from 1 % on, never a percentage above 100, 100 only once the host says the phase is done.
 */
import type { ProgressEvent, RunView } from '../../../../electron/engines/zk-copy/types';
import { formatBytes, formatDuration } from '../background-jobs/BackgroundJobProgress';
import { clampPercent, fmt, formatSeconds, PHASE_LABELS, PHASE_UNITS } from './copy-format';
import type { PhaseKey } from './copy-runs-store';

/** Counters worth a word per phase, in the order an operator reads them. */
const SHOWN_COUNTS: Record<string, string[]> = {
  plan: ['creates', 'updates', 'unchanged', 'deletes', 'conflicts'],
  copy: [
    'created',
    'updated',
    'aclUpdated',
    'unchanged',
    'deleted',
    'conflicts',
    'skippedEphemeral',
    'errors',
  ],
  reconcile: [
    'created',
    'updated',
    'aclUpdated',
    'deleted',
    'matching',
    'mismatched',
    'extraSource',
    'extraTarget',
  ],
  verify: ['matching', 'mismatched', 'aclMismatched', 'extraSource', 'extraTarget', 'unreadable'],
  export: ['exported'],
  cleanup: ['deleted'],
};

const COUNT_WORDS: Record<string, string> = {
  creates: 'to create',
  updates: 'to update',
  deletes: 'to delete',
  aclUpdated: 'ACLs set',
  skippedEphemeral: 'ephemeral skipped',
  aclMismatched: 'ACL differences',
  extraSource: 'only on source',
  extraTarget: 'only on target',
};

export type PhaseStatus = 'done' | 'active' | 'stopped';

export interface PhaseRow {
  key: PhaseKey;
  label: string;
  status: PhaseStatus;
  /** 0-100 for the bar; null while the size is unknown. */
  percent: number | null;
  /** "1,200 of 5,000 nodes · 120 KiB · 800/s · about 5 s left". */
  details: string;
  /** "1,100 created · 100 unchanged". */
  counts: string;
}

function basePhase(key: PhaseKey): string {
  return key.startsWith('reconcile-') ? 'reconcile' : key;
}

function keyOf(event: Pick<ProgressEvent, 'phase' | 'pass'> | null | undefined): PhaseKey | undefined {
  if (!event?.phase) return undefined;
  return event.phase === 'reconcile' && event.pass ? `reconcile-${event.pass}` : event.phase;
}

const ORDER = ['plan', 'export', 'copy', 'verify', 'cleanup'];

function rank(key: PhaseKey): number {
  if (key.startsWith('reconcile-')) return 100 + Number(key.slice('reconcile-'.length));
  const index = ORDER.indexOf(key);
  return index < 0 ? 50 : index;
}

function countsText(base: string, counts: Record<string, number> | undefined): string {
  if (!counts) return '';
  return (SHOWN_COUNTS[base] ?? [])
    .filter((name) => (counts[name] ?? 0) > 0)
    .map((name) => `${fmt.format(counts[name] ?? 0)} ${COUNT_WORDS[name] ?? name}`)
    .join(' · ');
}

function detailsText(event: ProgressEvent, unit: string, active: boolean, percent: number | null): string {
  const parts = [`${fmt.format(event.done)}${event.total ? ` of ${fmt.format(event.total)}` : ''} ${unit}`];
  if (event.bytes > 0) parts.push(formatBytes(event.bytes));
  if (active && event.rate > 0) parts.push(`${fmt.format(event.rate)}/s`);
  if (active && event.bytesPerSecond > 0) parts.push(`${formatBytes(event.bytesPerSecond)}/s`);
  // Below 1 % an estimate is noise; the host leaves it out, and so does the view.
  if (active && event.etaSeconds !== null && percent !== null && percent >= 1) {
    parts.push(`about ${formatDuration(event.etaSeconds)} left`);
  }
  return parts.join(' · ');
}

function reportSummary(key: PhaseKey, run: RunView): string | undefined {
  const result = run.result ?? {};
  if (key === 'plan' && result.plan) {
    return `${fmt.format(result.plan.records)} nodes compared in ${formatSeconds(result.plan.seconds)}`;
  }
  if (key === 'copy' && result.copy) {
    return `${fmt.format(result.copy.counts.examined)} nodes in ${formatSeconds(result.copy.seconds)}`;
  }
  if (key === 'verify' && result.verify) {
    return `${fmt.format(result.verify.counts.compared)} nodes compared in ${formatSeconds(result.verify.seconds)}`;
  }
  return undefined;
}

/** The rows of a run: phases that ran (or run now), with the latest event of each. */
export function phaseRows(run: RunView, events: Record<PhaseKey, ProgressEvent> | undefined): PhaseRow[] {
  const result = run.result ?? {};
  const current = keyOf(run.progress);
  const keys = new Set<PhaseKey>(Object.keys(events ?? {}));
  if (current) keys.add(current);
  if (result.plan) keys.add('plan');
  if (result.copy) keys.add('copy');
  if (result.verify) keys.add('verify');
  const live = run.live && run.state !== 'completed' && run.state !== 'failed' && run.state !== 'cancelled';
  return [...keys]
    .sort((a, b) => rank(a) - rank(b))
    .map((key) => {
      const base = basePhase(key);
      const event = events?.[key] ?? (key === current ? (run.progress ?? undefined) : undefined);
      const reported =
        (key === 'plan' && result.plan !== undefined) ||
        (key === 'copy' && result.copy !== undefined) ||
        (key === 'verify' && result.verify !== undefined && !live);
      const done = reported || event?.percent === 100 || (!live && run.state === 'completed');
      const status: PhaseStatus = done ? 'done' : live && key === current ? 'active' : 'stopped';
      // 100 only once done: an event below it stays below it, whatever the counts say.
      const shown = clampPercent(event?.percent);
      const percent = done ? 100 : shown === null ? null : Math.min(99.9, shown);
      const unit = PHASE_UNITS[base as keyof typeof PHASE_UNITS] ?? 'items';
      const label = key.startsWith('reconcile-')
        ? `${PHASE_LABELS.reconcile} (pass ${key.slice('reconcile-'.length)})`
        : (PHASE_LABELS[base as keyof typeof PHASE_LABELS] ?? key);
      return {
        key,
        label,
        status,
        percent,
        details: event
          ? detailsText(event, unit, status === 'active', percent)
          : (reportSummary(key, run) ?? ''),
        counts: countsText(base, event?.counts),
      };
    });
}
