/**
 * The copy engine's vocabulary: inputs, phases, counters, reports and progress, as the host API, the
 * CLI and the store see them. Everything here is plain JSON (no Buffers, no secrets), because it is
 * persisted with the run and sent to the renderer.
 */

export type CopyMode = 'create-only' | 'overwrite' | 'mirror';

export const COPY_MODES: readonly CopyMode[] = ['create-only', 'overwrite', 'mirror'];

/** Where a tree lives, as stored with a run: never a credential. */
export type EndpointRef =
  | {
      kind: 'zk';
      /** Normalized connect string, including any chroot. */
      connectString: string;
      /** Absolute path of the subtree, within the connect string's namespace. */
      path: string;
      /** The saved connection it came from, so a resume can find its credential again. */
      connectionId?: string;
      connectionName?: string;
      sessionTimeoutMs?: number;
      connectTimeoutMs?: number;
    }
  | {
      /** A saved export file (see engines/zk-export), read as a source. */
      kind: 'snapshot';
      file: string;
      /** Absolute path of the subtree inside the export. */
      path: string;
    }
  | StoredSnapshotRef;

/**
 * A snapshot kept in the app's store (engines/snapshots), read as a source: offline and read-only.
 * The run keeps which snapshot it was (id, name, capture time), so its report says what it copied
 * from, and a resume refuses a snapshot that was deleted meanwhile.
 */
export interface StoredSnapshotRef {
  kind: 'stored-snapshot';
  snapshotId: string;
  /** Its label, or 'connection:root' when it has none. */
  snapshotName: string;
  /** When the tree was read (epoch ms): the copy reproduces it as of then. */
  capturedAt: number;
  /** The saved connection it was captured from (its name as it was then). */
  capturedFrom: string;
  /** That connection's id, while it exists (the Copy view lists the run with it). */
  capturedFromConnectionId: string | null;
  /** The capture's root: `path` is it or below it. */
  snapshotRoot: string;
  /** What the capture could not read (those nodes are not in it, so not copied); null when nothing. */
  snapshotNote: string | null;
  /** Absolute path of the subtree, as captured (the connection's namespace). */
  path: string;
}

export interface CopyParams {
  source: EndpointRef;
  target: EndpointRef;
  mode: CopyMode;
  /** Copy each node's ACL (default); false creates nodes with the target's default (world:anyone). */
  copyAcl: boolean;
  /** Globs relative to the source root ('/apps/**'); a match includes the node and its subtree. */
  include: string[];
  /** Globs relative to the source root; a match leaves out the node and its subtree. */
  exclude: string[];
  /** Reconcile passes after a verify that found differences (0: report only). */
  reconcilePasses: number;
  /** Verify after the copy (default true). */
  verify: boolean;
  /**
   * Most source nodes read per second, in every phase (unset: as fast as the servers answer). For a
   * copy out of a production ensemble that must keep serving its clients (read-rate-limit.ts).
   */
  maxNodesPerSecond?: number;
}

export type RunKind = 'zk-copy' | 'zk-diff' | 'zk-import' | 'zk-cleanup';

export type RunState = 'created' | 'planned' | 'running' | 'paused' | 'completed' | 'failed' | 'cancelled';

export type PhaseName = 'plan' | 'copy' | 'verify' | 'reconcile' | 'export' | 'cleanup';

/** Paths (relative to the copy roots) kept as examples for each category of a report. */
export type Samples = Record<string, string[]>;

export const MAX_SAMPLES = 20;

/** A type, not an interface: it is also a plain record of counters (progress events). */
export type CopyCounts = {
  /** Source nodes examined (after filters). */
  examined: number;
  created: number;
  /** Nodes whose data was rewritten. */
  updated: number;
  /** Nodes whose ACL was set (existing nodes in overwrite mode, and deferred ACLs). */
  aclUpdated: number;
  unchanged: number;
  deleted: number;
  /** Differences the mode does not fix (create-only), or nodes changed by someone else meanwhile. */
  conflicts: number;
  skippedEphemeral: number;
  /** Ephemeral nodes on the target that mirror mode leaves in place. */
  keptTargetEphemeral: number;
  unreadable: number;
  errors: number;
  /** Data bytes written. */
  bytes: number;
  /** Write requests sent (multis and single ops), for the audit trail. */
  batches: number;
};

export function emptyCopyCounts(): CopyCounts {
  return {
    examined: 0,
    created: 0,
    updated: 0,
    aclUpdated: 0,
    unchanged: 0,
    deleted: 0,
    conflicts: 0,
    skippedEphemeral: 0,
    keptTargetEphemeral: 0,
    unreadable: 0,
    errors: 0,
    bytes: 0,
    batches: 0,
  };
}

export interface CopyWarnings {
  /** Names that end in a 10-digit counter: the parent's sequence counter is not copied. */
  sequentialNames: number;
  sequentialSamples: string[];
  /**
   * Plan only: source nodes whose digest ACL ZooKeeper masked ('user:x') for this connection (it lacks
   * ADMIN there). The copy with ACLs stops at the first one. Absent in runs recorded before.
   */
  hiddenAcls?: number;
  hiddenAclSamples?: string[];
}

export interface CopyReport {
  counts: CopyCounts;
  samples: Samples;
  warnings: CopyWarnings;
  seconds: number;
}

export interface PlanReport {
  creates: number;
  updates: number;
  aclUpdates: number;
  unchanged: number;
  deletes: number;
  conflicts: number;
  skippedEphemeral: number;
  keptTargetEphemeral: number;
  unreadable: number;
  /** Source nodes in scope (the size of the copy). */
  sourceNodes: number;
  /** Pairs the walk handled: the total the copy's progress counts towards. */
  records: number;
  /** Data bytes the copy would write. */
  bytes: number;
  samples: Samples;
  warnings: CopyWarnings;
  seconds: number;
}

/** A type, not an interface: it is also a plain record of counters (progress events). */
export type VerifyCounts = {
  compared: number;
  matching: number;
  /** Both sides have the node, data differs. */
  mismatched: number;
  /** Both sides have the node, ACL differs (only when ACLs are copied). */
  aclMismatched: number;
  /** On the source only. */
  extraSource: number;
  /** On the target only. */
  extraTarget: number;
  skippedEphemeral: number;
  unreadable: number;
};

export function emptyVerifyCounts(): VerifyCounts {
  return {
    compared: 0,
    matching: 0,
    mismatched: 0,
    aclMismatched: 0,
    extraSource: 0,
    extraTarget: 0,
    skippedEphemeral: 0,
    unreadable: 0,
  };
}

export function verifyDifferences(counts: VerifyCounts): number {
  return (
    counts.mismatched + counts.aclMismatched + counts.extraSource + counts.extraTarget + counts.unreadable
  );
}

export interface VerifyReport {
  counts: VerifyCounts;
  samples: Samples;
  /** When the comparison finished (epoch ms): a report is only true as of then. */
  checkedAt: number;
  seconds: number;
}

export interface ProgressCounts {
  [name: string]: number;
}

export interface ProgressEvent {
  runId: string;
  kind: RunKind;
  state: RunState;
  phase: PhaseName | null;
  /** Reconcile pass (1-based) while reconciling. */
  pass?: number;
  /** Items finished in this phase. */
  done: number;
  /** Items the phase will handle, when known (from the plan or the previous phase). */
  total: number | null;
  /** 0-100, never above 100; null when the total is unknown. */
  percent: number | null;
  /** Items per second over the recent window. */
  rate: number;
  bytes: number;
  bytesPerSecond: number;
  /** Seconds left; null below 1 % or without a total. */
  etaSeconds: number | null;
  counts: ProgressCounts;
  /** Why it is waiting (a reconnect, a pause), when it is. */
  message?: string;
  at: number;
}

export interface RunError {
  code: string;
  message: string;
  path?: string;
  /** What the operator must supply to get past it (a credential, a confirmation). */
  needs?: string;
}

export interface RunResult {
  plan?: PlanReport;
  copy?: CopyReport;
  verify?: VerifyReport;
  reconcile?: { passes: number; fixed: number; verify?: VerifyReport };
  cleanup?: { deleted: number; exportFile: string; nodeCount: number };
  error?: RunError;
  seconds?: number;
  /** When the operator confirmed mirror mode (epoch ms). */
  mirrorConfirmedAt?: number;
}

/** A run as the API returns it. */
export interface RunView {
  id: string;
  kind: RunKind;
  state: RunState;
  /** True when the store says running but no process is running it (it was killed): resumable. */
  interrupted: boolean;
  live: boolean;
  phase: PhaseName | null;
  params: Record<string, unknown>;
  progress: ProgressEvent | null;
  result: RunResult | null;
  createdAt: number;
  updatedAt: number;
}
