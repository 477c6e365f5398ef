/**
 * Duplication rules: which action fits which status (admin-cli's pause-only-from-DS_LOG and
 * start-only-from-DS_PAUSE, remove from any live state, fail mode slow|skip with the data-loss
 * warning, the legacy DS_START read as removed), and the confirmed-decree lag from the cluster model.
 */
import { describe, expect, it } from 'vitest';
import { loadClusterModel } from '../../../electron/pegasus/cluster-model';
import {
  decodeDuplicationInfo,
  type DuplicationStatus,
} from '../../../electron/pegasus/decoders/duplication-info';
import {
  allowedDuplicationActions,
  checkDuplicationAction,
  type DuplicationStateView,
  duplicationLagOf,
  explainDuplicationRefusal,
  FAIL_SKIP_WARNING,
  isLiveDuplication,
  judgeDuplicationLag,
  REMOVE_WARNING,
  summarizeDuplicationLag,
} from '../../../electron/pegasus/duplication-rules';
import { seedInMemoryCluster } from '../../fixtures/pegasus-cluster/in-memory-cluster';
import { bytes, REFERENCE_PAYLOADS } from '../../fixtures/pegasus-cluster/payloads';

const state = (
  status: DuplicationStatus | null,
  failMode: DuplicationStateView['failMode'] = 'FAIL_SLOW',
) => ({
  status,
  statusRaw: status,
  failMode,
});

describe('duplication actions by status', () => {
  it('allows exactly the documented transitions', () => {
    const table = (['DS_INIT', 'DS_PREPARE', 'DS_APP', 'DS_LOG', 'DS_PAUSE', 'DS_REMOVED'] as const).map(
      (status) => [status, allowedDuplicationActions(state(status))],
    );
    expect(table).toEqual([
      ['DS_INIT', ['remove', 'set-fail-mode']],
      ['DS_PREPARE', ['remove', 'set-fail-mode']],
      ['DS_APP', ['remove', 'set-fail-mode']],
      ['DS_LOG', ['pause', 'remove', 'set-fail-mode']],
      ['DS_PAUSE', ['start', 'remove', 'set-fail-mode']],
      ['DS_REMOVED', []],
    ]);
    expect(checkDuplicationAction(state('DS_LOG'), 'pause')).toEqual({
      allowed: true,
      noop: false,
      warning: null,
      resultStatus: 'DS_PAUSE',
    });
    expect(checkDuplicationAction(state('DS_PAUSE'), 'start')).toMatchObject({
      allowed: true,
      resultStatus: 'DS_LOG',
    });
    expect(checkDuplicationAction(state('DS_PAUSE'), 'remove')).toEqual({
      allowed: true,
      noop: false,
      warning: REMOVE_WARNING,
      resultStatus: 'DS_REMOVED',
    });
  });

  it('explains every refusal of pause and start', () => {
    expect(explainDuplicationRefusal(state('DS_PAUSE'), 'pause')).toBe(
      'Cannot pause: the duplication is already paused (DS_PAUSE). Start it to resume shipping mutations.',
    );
    expect(explainDuplicationRefusal(state('DS_PREPARE'), 'pause')).toBe(
      'Cannot pause: the replicas are still preparing the checkpoint for the full copy (DS_PREPARE). Pausing is only possible once it ships the log (DS_LOG). Wait until the status is DS_LOG, or remove the duplication to stop it.',
    );
    expect(explainDuplicationRefusal(state('DS_APP'), 'pause')).toMatch(
      /^Cannot pause: the meta is creating the follower table on the remote cluster \(DS_APP\)\./,
    );
    expect(explainDuplicationRefusal(state('DS_INIT'), 'pause')).toMatch(
      /has just been added .* \(DS_INIT\)/,
    );
    expect(explainDuplicationRefusal(state('DS_LOG'), 'start')).toBe(
      'Cannot start: the duplication is already running (DS_LOG). Nothing to do; pause it first if you meant to restart it.',
    );
    expect(explainDuplicationRefusal(state('DS_INIT'), 'start')).toBe(
      'Cannot start: it is not paused; it has just been added and the meta has not started it yet (DS_INIT). Only a paused duplication (DS_PAUSE) can be started. It reaches DS_LOG by itself when the setup is done: wait for it.',
    );
    expect(explainDuplicationRefusal(state('DS_LOG'), 'pause')).toBeNull();
  });

  it('refuses everything on a removed, a legacy DS_START and an undecodable duplication', () => {
    expect(explainDuplicationRefusal(state('DS_REMOVED'), 'remove')).toBe(
      'Cannot remove: the duplication is removed (DS_REMOVED); the meta answers ERR_OBJECT_NOT_FOUND. To duplicate this table again, add a new duplication.',
    );
    const legacy = decodeDuplicationInfo(bytes(REFERENCE_PAYLOADS.duplicationLegacyVerbatim));
    if (!legacy.ok) throw new Error(legacy.error);
    expect(legacy.value.status).toBe('DS_REMOVED');
    for (const action of ['pause', 'start', 'remove'] as const) {
      expect(explainDuplicationRefusal(legacy.value, action)).toBe(
        `Cannot ${action}: its status 'DS_START' is not one the meta knows (DS_START is from pre-2022 rDSN); the meta reads it as DS_REMOVED and ignores this duplication. It is a leftover with no effect. To duplicate this table, add a new duplication.`,
      );
    }
    expect(isLiveDuplication(legacy.value)).toBe(false);
    expect(explainDuplicationRefusal(state(null), 'set-fail-mode', { failMode: 'slow' })).toBe(
      'Cannot set the fail mode to slow: the duplication\'s node does not decode, and the meta skips such a duplication ("failed to decode json"), so it is not running. Look at the node in the explorer; the meta ignores it, so no shell or admin-cli command reaches it.',
    );
    expect(isLiveDuplication(state('DS_LOG'))).toBe(true);
  });

  it('sets the fail mode slow or skip in any live status, warning of data loss for skip', () => {
    expect(checkDuplicationAction(state('DS_LOG'), 'set-fail-mode', { failMode: 'skip' })).toEqual({
      allowed: true,
      noop: false,
      warning: FAIL_SKIP_WARNING,
      resultStatus: 'DS_LOG',
    });
    expect(FAIL_SKIP_WARNING).toMatch(/^FAIL_SKIP loses data on the follower/);
    expect(checkDuplicationAction(state('DS_PAUSE'), 'set-fail-mode', { failMode: 'slow' })).toEqual({
      allowed: true,
      noop: true,
      warning: null,
      resultStatus: 'DS_PAUSE',
    });
    expect(
      checkDuplicationAction(state('DS_LOG', 'FAIL_SKIP'), 'set-fail-mode', { failMode: 'skip' }),
    ).toMatchObject({
      noop: true,
      warning: FAIL_SKIP_WARNING,
    });
    expect(explainDuplicationRefusal(state('DS_LOG'), 'set-fail-mode')).toBe(
      'Cannot set the fail mode to "": the shell and admin-cli set slow or skip. Choose slow (retry failed mutations, the default) or skip (drop them: data loss on the follower).',
    );
    // Only a mode it is not in counts as an available action.
    expect(allowedDuplicationActions(state('DS_REMOVED', 'FAIL_SLOW'))).toEqual([]);
    expect(allowedDuplicationActions(state('DS_LOG', 'FAIL_SKIP'))).toContain('set-fail-mode');
  });
});

describe('confirmed-decree lag', () => {
  const partition = (
    partitionIndex: number,
    confirmedDecree: number | null,
    lastCommittedDecree: number | null,
  ) => ({
    partitionIndex,
    confirmedDecree,
    lastCommittedDecree,
    lag: null,
  });

  it('sums and ranks the lag, and reports partitions it cannot measure or that are ahead', () => {
    const lag = summarizeDuplicationLag([
      partition(0, 100, 150),
      partition(1, 200, 200),
      partition(2, null, 90),
      partition(3, 300, 280),
      partition(4, 10, null),
      partition(5, 0, 7),
    ]);
    expect(lag).toEqual({
      partitions: 6,
      measured: 4,
      withoutProgress: [2],
      withoutCommitted: [4],
      ahead: [3],
      totalLag: 57,
      maxLag: 50,
      lagging: [
        { partitionIndex: 0, lag: 50 },
        { partitionIndex: 5, lag: 7 },
      ],
    });
    expect(judgeDuplicationLag(lag, 10)).toEqual({
      state: 'lagging',
      waitingFor:
        '1 of 6 partitions trail by more than 10 decrees (worst: partition 0, 50 behind; 57 in total)',
    });
    expect(judgeDuplicationLag(lag, 100)).toEqual({
      state: 'unknown',
      waitingFor:
        "2 of 6 partitions cannot be measured from ZooKeeper (partitions 2, 4): a progress node appears only once a partition's first mutation is confirmed, so a partition without writes never gets one; check the live figures (meta HTTP /meta/app/duplication or the shell's query_dup -d)",
    });
    const measured = summarizeDuplicationLag([partition(0, 100, 150), partition(1, 300, 280)]);
    expect(judgeDuplicationLag(measured, 50)).toEqual({
      state: 'caught-up',
      summary:
        'all 2 partitions within 50 decrees (max 50, total 50); 1 confirmed past the committed decree ZooKeeper holds',
    });
    expect(summarizeDuplicationLag([])).toMatchObject({ partitions: 0, totalLag: null, maxLag: null });
  });

  it('reads the lag of a seeded cluster through the cluster model', async () => {
    const { zk, cluster } = await seedInMemoryCluster({ root: '/pegasus/c1', tables: 3, partitions: 4 });
    const model = await loadClusterModel(zk, '/pegasus/c1');
    const dups = model.tables.flatMap((table) => table.duplications);
    expect(dups.length).toBeGreaterThan(0);
    for (const dup of dups) {
      const lag = duplicationLagOf(dup);
      expect(lag.partitions).toBe(dup.progress.length);
      const measurable = dup.progress.filter((p) => p.lag !== null);
      expect(lag.measured).toBe(measurable.length);
      expect(lag.maxLag).toBe(measurable.length > 0 ? Math.max(0, ...measurable.map((p) => p.lag!)) : null);
      expect(lag.withoutProgress).toEqual(
        dup.progress.filter((p) => p.confirmedDecree === null).map((p) => p.partitionIndex),
      );
    }
    await cluster.close();
  });
});
