/**
 * The copy form's values, what is wrong with them (said so the operator knows what to change), and
 * the API input they make. Pure functions: the same rules the host applies, checked before a click.
 */
import type { ConnectionProfile } from '../../../../shared/api/connections';
import { type SnapshotView, snapshotIdOfWorkspace } from '../../../../shared/api/snapshots';
import { MAX_RATE_PROBLEM, MAX_RATE_RANGE } from '../../../../shared/api/zk-copy';
import { validateZkPath } from '../../../../shared/zk-path';
import type { CopyInput, DiffInput } from './copy-runs-store';

export type CopyMode = 'create-only' | 'overwrite' | 'mirror';

export interface CopyFormValues {
  /**
   * Where to copy from: null for this view's connection, another saved connection's id, or a saved
   * snapshot's workspace id ('snapshot:<id>'), read offline as it was captured.
   */
  sourceId?: string | null;
  sourcePath: string;
  targetConnectionId: string | null;
  targetPath: string;
  mode: CopyMode;
  copyAcl: boolean;
  include: string[];
  exclude: string[];
  /** Reconcile passes after a verify that found differences. */
  reconcilePasses: number;
  verify: boolean;
  /**
   * The read-rate ceiling (source nodes per second, every phase) as the number field holds it: a
   * number, or text ('' when empty: no ceiling). Kept raw so an out-of-range value is shown, not clamped.
   */
  maxRate?: number | string;
}

export function initialValues(sourcePath: string): CopyFormValues {
  return {
    sourceId: null,
    sourcePath,
    targetConnectionId: null,
    targetPath: sourcePath,
    mode: 'create-only',
    copyAcl: true,
    include: [],
    exclude: [],
    reconcilePasses: 2,
    verify: true,
    maxRate: '',
  };
}

export const MAX_RATE_HELP =
  'Spares a busy production ensemble: plan, copy and verify read no faster than this';

/**
 * The ceiling the field holds: undefined when empty (no ceiling), the number when it is a whole
 * number in the range the host accepts, null when it is not (see `validate`).
 */
export function maxRateOf(values: Pick<CopyFormValues, 'maxRate'>): number | undefined | null {
  const raw = values.maxRate;
  if (raw === undefined || (typeof raw === 'string' && raw.trim() === '')) return undefined;
  const rate = typeof raw === 'number' ? raw : Number(raw.replace(/[,\s]/g, ''));
  return Number.isInteger(rate) && rate >= MAX_RATE_RANGE.min && rate <= MAX_RATE_RANGE.max ? rate : null;
}

export const MODE_HELP: Record<CopyMode, string> = {
  'create-only':
    'Creates what the target lacks. A target node with other data is a conflict and is left alone; identical nodes are not rewritten.',
  overwrite: 'Creates what is missing and rewrites what differs (data, and the ACL when ACLs are copied).',
  mirror:
    'Like overwrite, and also deletes the target nodes the source lacks. You will type the target path to confirm.',
};

/** A saved snapshot as the source (the form's sourceId is its workspace id). */
export interface SnapshotSource {
  snapshot: SnapshotView;
}

/** What the source picker resolved to: a live connection's profile, or a saved snapshot. */
export type CopySource = ConnectionProfile | SnapshotSource;

export function isSnapshotSource(source: CopySource): source is SnapshotSource {
  return 'snapshot' in source;
}

/** Snapshots a copy can read: complete ones (a failed or unfinished capture holds part of a tree). */
export function copyableSnapshots(items: readonly SnapshotView[]): SnapshotView[] {
  return items.filter((item) => item.state === 'complete');
}

/** The snapshot id behind the form's source, or null for a live connection. */
export function sourceSnapshotId(values: Pick<CopyFormValues, 'sourceId'>): string | null {
  return values.sourceId ? snapshotIdOfWorkspace(values.sourceId) : null;
}

export interface FormProblems {
  sourceId?: string;
  sourcePath?: string;
  targetConnectionId?: string;
  targetPath?: string;
  include?: string;
  exclude?: string;
  maxRate?: string;
}

function isUnder(path: string, root: string): boolean {
  return path === root || root === '/' || path.startsWith(`${root}/`);
}

/** Globs are relative to the source root ('/apps/**'); only what the host would refuse is flagged. */
function globProblem(globs: string[]): string | undefined {
  for (const glob of globs) {
    if (glob.trim() === '') return 'A glob must not be empty: use /** for everything';
    if (glob.length > 500) return `'${glob.slice(0, 40)}…' is longer than 500 characters`;
  }
  if (globs.length > 100) return 'At most 100 globs';
  return undefined;
}

export function validate(
  values: CopyFormValues,
  source: CopySource | undefined,
  target: ConnectionProfile | undefined,
): FormProblems {
  const problems: FormProblems = {};
  if (!source) problems.sourceId = 'Choose the source: a live connection or a saved snapshot';
  const sourceProblem = validateZkPath(values.sourcePath.trim());
  if (sourceProblem) problems.sourcePath = `The source path ${sourceProblem}`;
  if (!sourceProblem && source && isSnapshotSource(source)) {
    const root = source.snapshot.root;
    if (!isUnder(values.sourcePath.trim(), root)) {
      problems.sourcePath = `The snapshot holds ${root} and below: choose a path there`;
    }
  }
  const targetProblem = validateZkPath(values.targetPath.trim());
  if (targetProblem) problems.targetPath = `The target path ${targetProblem}`;
  if (!values.targetConnectionId || !target)
    problems.targetConnectionId = 'Choose the connection to copy into';
  if (
    !problems.sourcePath &&
    !problems.targetPath &&
    target &&
    source &&
    // A snapshot is not the live tree: copying it back over its own origin is the point of a restore.
    !isSnapshotSource(source) &&
    target.connectString === source.connectString
  ) {
    const a = values.sourcePath.trim();
    const b = values.targetPath.trim();
    if ((target.chroot ?? '') === (source.chroot ?? '') && (isUnder(a, b) || isUnder(b, a))) {
      problems.targetPath = `The target ${b} overlaps the source ${a} on the same ensemble: choose a path outside it`;
    }
  }
  const include = globProblem(values.include);
  if (include) problems.include = include;
  const exclude = globProblem(values.exclude);
  if (exclude) problems.exclude = exclude;
  if (maxRateOf(values) === null) problems.maxRate = MAX_RATE_PROBLEM;
  return problems;
}

export function hasProblems(problems: FormProblems): boolean {
  return Object.values(problems).some(Boolean);
}

/** The API's source: the snapshot, or the chosen live connection (this view's when none was chosen). */
function sourceInput(values: CopyFormValues, viewConnectionId: string): CopyInput['source'] {
  const path = values.sourcePath.trim();
  const snapshotId = sourceSnapshotId(values);
  if (snapshotId) return { snapshotId, path };
  return { connectionId: values.sourceId ?? viewConnectionId, path };
}

export function toCopyInput(values: CopyFormValues, sourceConnectionId: string): CopyInput {
  return {
    source: sourceInput(values, sourceConnectionId),
    target: { connectionId: values.targetConnectionId ?? '', path: values.targetPath.trim() },
    mode: values.mode,
    copyAcl: values.copyAcl,
    include: values.include,
    exclude: values.exclude,
    reconcilePasses: values.verify ? values.reconcilePasses : 0,
    verify: values.verify,
    ...ceiling(values),
  };
}

/** The ceiling as the API takes it: absent when there is none (`validate` flags a bad one first). */
function ceiling(values: CopyFormValues): Pick<CopyInput, 'maxNodesPerSecond'> {
  const rate = maxRateOf(values);
  return typeof rate === 'number' ? { maxNodesPerSecond: rate } : {};
}

export function toDiffInput(values: CopyFormValues, sourceConnectionId: string): DiffInput {
  return {
    source: sourceInput(values, sourceConnectionId),
    target: { connectionId: values.targetConnectionId ?? '', path: values.targetPath.trim() },
    compareAcl: values.copyAcl,
    ...ceiling(values),
  };
}
