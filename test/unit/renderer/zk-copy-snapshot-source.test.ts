/**
 * The Copy view's pure parts for a saved snapshot as the source: which snapshots are offered, the
 * form's checks (the path must be inside what was captured; no overlap check against a live tree),
 * the API input, the run list of a connection, and how a run names its snapshot source.
 */
import { describe, expect, it } from 'vitest';
import type { RunView, StoredSnapshotRef } from '../../../electron/engines/zk-copy/types';
import type { ConnectionProfile } from '../../../shared/api/connections';
import { type SnapshotView, snapshotName, snapshotWorkspaceId } from '../../../shared/api/snapshots';
import {
  copyableSnapshots,
  hasProblems,
  initialValues,
  toCopyInput,
  toDiffInput,
  validate,
} from '../../../renderer/src/features/zk-copy/copy-form-model';
import { describeEndpoint, runsOfConnection } from '../../../renderer/src/features/zk-copy/copy-format';

const live = { id: 's', name: 'prod', connectString: '127.0.0.1:2181', chroot: null } as ConnectionProfile;

function snapshot(patch: Partial<SnapshotView> = {}): SnapshotView {
  return {
    id: 'snap1',
    connectionId: 's',
    connectionName: 'prod',
    connectString: '127.0.0.1:2181',
    root: '/pegasus',
    label: null,
    reason: 'manual',
    state: 'complete',
    nodeCount: 10,
    byteCount: 100,
    error: null,
    createdAt: Date.UTC(2026, 11, 6, 10, 30),
    completedAt: Date.UTC(2026, 11, 6, 10, 31),
    workspaceId: 'snapshot:snap1',
    comparable: true,
    ...patch,
  };
}

function runWith(source: unknown, id = 'r1'): RunView {
  return {
    id,
    kind: 'zk-copy',
    state: 'completed',
    interrupted: false,
    live: false,
    phase: null,
    params: { source, target: { kind: 'zk', connectString: 'x:1', path: '/t', connectionId: 't' } },
    progress: null,
    result: null,
    createdAt: 1,
    updatedAt: 1,
  };
}

describe('a saved snapshot as the copy source', () => {
  it('offers complete snapshots only, named by label or by where they were taken', () => {
    const offered = copyableSnapshots([
      snapshot(),
      snapshot({ id: 'failed', state: 'failed' }),
      snapshot({ id: 'busy', state: 'capturing' }),
    ]);
    expect(offered.map((item) => item.id)).toEqual(['snap1']);
    expect(snapshotName(snapshot())).toBe('prod:/pegasus');
    expect(snapshotName(snapshot({ label: ' before upgrade ' }))).toBe('before upgrade');
  });

  it('needs a path inside the snapshot, and does not call a restore onto its origin an overlap', () => {
    const values = {
      ...initialValues('/pegasus'),
      sourceId: snapshotWorkspaceId('snap1'),
      targetConnectionId: 's',
      targetPath: '/pegasus',
    };
    expect(hasProblems(validate(values, { snapshot: snapshot() }, live))).toBe(false);
    expect(validate({ ...values, sourcePath: '/other' }, { snapshot: snapshot() }, live).sourcePath).toBe(
      'The snapshot holds /pegasus and below: choose a path there',
    );
    expect(validate(values, undefined, live).sourceId).toMatch(/Choose the source/);
    // The same paths from the live connection do overlap.
    expect(validate({ ...values, sourceId: null }, live, live).targetPath).toMatch(/overlaps/);
  });

  it('sends { snapshotId, path } for a snapshot, and the chosen live connection otherwise', () => {
    const values = { ...initialValues('/pegasus/app'), sourceId: 'snapshot:snap1', targetConnectionId: 't' };
    expect(toCopyInput(values, 's').source).toEqual({ snapshotId: 'snap1', path: '/pegasus/app' });
    expect(toDiffInput(values, 's').source).toEqual({ snapshotId: 'snap1', path: '/pegasus/app' });
    expect(toCopyInput({ ...values, sourceId: 'other' }, 's').source).toEqual({
      connectionId: 'other',
      path: '/pegasus/app',
    });
    expect(toCopyInput({ ...values, sourceId: null }, 's').source).toEqual({
      connectionId: 's',
      path: '/pegasus/app',
    });
  });

  it("lists a run from a connection's snapshot under that connection, and names the snapshot", () => {
    const ref: StoredSnapshotRef = {
      kind: 'stored-snapshot',
      snapshotId: 'snap1',
      snapshotName: 'before upgrade',
      capturedAt: new Date(2026, 11, 6, 10, 30).getTime(),
      capturedFrom: 'prod',
      capturedFromConnectionId: 's',
      snapshotRoot: '/pegasus',
      snapshotNote: null,
      path: '/pegasus/app',
    };
    const fromSnapshot = runWith(ref, 'r1');
    const elsewhere = runWith({ ...ref, capturedFromConnectionId: 'z' }, 'r2');
    expect(runsOfConnection([fromSnapshot, elsewhere], 's').map((run) => run.id)).toEqual(['r1']);
    expect(runsOfConnection([fromSnapshot, elsewhere], 's', 'r2').map((run) => run.id)).toEqual(['r1', 'r2']);
    expect(describeEndpoint(ref)).toBe("snapshot 'before upgrade' @ 2026-12-06 10:30:00:/pegasus/app");
  });
});
