/**
 * The Copy view's pure parts: the phase rows under a run (ETA from 1 % only, never above 100 %, 100
 * only when done, the order of phases) and the form's checks and API inputs.
 */
import { describe, expect, it } from 'vitest';
import type { ProgressEvent, RunView } from '../../../electron/engines/zk-copy/types';
import type { ConnectionProfile } from '../../../shared/api/connections';
import {
  hasProblems,
  initialValues,
  maxRateOf,
  toCopyInput,
  toDiffInput,
  validate,
} from '../../../renderer/src/features/zk-copy/copy-form-model';
import { phaseRows } from '../../../renderer/src/features/zk-copy/phase-rows';

function event(patch: Partial<ProgressEvent>): ProgressEvent {
  return {
    runId: 'r1',
    kind: 'zk-copy',
    state: 'running',
    phase: 'copy',
    done: 0,
    total: null,
    percent: null,
    rate: 0,
    bytes: 0,
    bytesPerSecond: 0,
    etaSeconds: null,
    counts: {},
    at: 1,
    ...patch,
  };
}

function run(patch: Partial<RunView>): RunView {
  return {
    id: 'r1',
    kind: 'zk-copy',
    state: 'running',
    interrupted: false,
    live: true,
    phase: 'copy',
    params: {},
    progress: null,
    result: null,
    createdAt: 1,
    updatedAt: 1,
    ...patch,
  };
}

describe('phaseRows', () => {
  it('hides the ETA below 1 % and shows counts, bytes, rate and time left above it', () => {
    const early = event({ done: 5, total: 1000, percent: 0.5, rate: 100, bytes: 500, etaSeconds: 10 });
    const [row] = phaseRows(run({ progress: early }), { copy: early });
    expect(row).toMatchObject({ key: 'copy', status: 'active', percent: 0.5 });
    expect(row?.details).toBe('5 of 1,000 nodes · 500 B · 100/s');

    const later = event({
      done: 400,
      total: 1000,
      percent: 40,
      rate: 200,
      bytes: 40_000,
      bytesPerSecond: 20_000,
      etaSeconds: 3,
      counts: { created: 390, unchanged: 10, conflicts: 0 },
    });
    const [active] = phaseRows(run({ progress: later }), { copy: later });
    expect(active?.details).toBe('400 of 1,000 nodes · 39.1 KiB · 200/s · 19.5 KiB/s · about 3 s left');
    expect(active?.counts).toBe('390 created · 10 unchanged');
  });

  it('never shows more than 100 %, and 100 only once the phase is done', () => {
    const over = event({ done: 1200, total: 1000, percent: 120 });
    expect(phaseRows(run({ progress: over }), { copy: over })[0]?.percent).toBe(99.9);
    const negative = event({ percent: -5 });
    expect(phaseRows(run({ progress: negative }), { copy: negative })[0]?.percent).toBe(0);
    const unknown = event({ done: 10 });
    expect(phaseRows(run({ progress: unknown }), { copy: unknown })[0]).toMatchObject({
      percent: null,
      details: '10 nodes',
    });
    const finished = event({ done: 1000, total: 1000, percent: 100, etaSeconds: 0 });
    const [done] = phaseRows(run({ progress: finished }), { copy: finished });
    expect(done).toMatchObject({ status: 'done', percent: 100 });
    // No rate or time left once done.
    expect(done?.details).toBe('1,000 of 1,000 nodes');
  });

  it('orders plan, copy, verify, reconcile passes, and marks a failed run stopped where it failed', () => {
    const events = {
      'reconcile-2': event({ phase: 'reconcile', pass: 2, percent: 100 }),
      verify: event({ phase: 'verify', percent: 100 }),
      copy: event({ percent: 100 }),
      'reconcile-1': event({ phase: 'reconcile', pass: 1, percent: 100 }),
    };
    expect(phaseRows(run({ state: 'completed', live: false }), events).map((row) => row.key)).toEqual([
      'copy',
      'verify',
      'reconcile-1',
      'reconcile-2',
    ]);
    const failing = event({ phase: 'verify', done: 50, total: 100, percent: 50, rate: 10, etaSeconds: 5 });
    const rows = phaseRows(run({ state: 'failed', live: false, progress: failing }), {
      copy: event({ percent: 100 }),
      verify: failing,
    });
    expect(rows.map((row) => [row.key, row.status])).toEqual([
      ['copy', 'done'],
      ['verify', 'stopped'],
    ]);
    // A stopped phase claims no rate or time left.
    expect(rows[1]?.details).toBe('50 of 100 nodes compared');
  });

  it('describes finished phases of a run loaded from the list from its reports', () => {
    const rows = phaseRows(
      run({
        state: 'completed',
        live: false,
        result: {
          plan: {
            records: 3,
            seconds: 0.25,
          } as never,
          copy: { counts: { examined: 3 }, seconds: 12.5 } as never,
        },
      }),
      undefined,
    );
    expect(rows.map((row) => [row.key, row.status, row.details])).toEqual([
      ['plan', 'done', '3 nodes compared in 0.3 s'],
      ['copy', 'done', '3 nodes in 13 s'],
    ]);
  });
});

const source = {
  id: 's',
  name: 'prod',
  connectString: '10.0.0.1:2181',
  chroot: null,
} as unknown as ConnectionProfile;
const other = {
  id: 't',
  name: 'new',
  connectString: '10.0.0.2:2181',
  chroot: null,
} as unknown as ConnectionProfile;

describe('copy form', () => {
  it('starts from the selected path, create-only, ACLs copied, verify with reconcile passes', () => {
    expect(initialValues('/pegasus')).toMatchObject({
      sourcePath: '/pegasus',
      targetPath: '/pegasus',
      mode: 'create-only',
      copyAcl: true,
      verify: true,
    });
  });

  it('says what to fix: paths, a missing target, an overlap on the same ensemble, globs', () => {
    const values = { ...initialValues('/a'), targetConnectionId: null, targetPath: 'rel' };
    const problems = validate(values, source, undefined);
    expect(problems.targetPath).toMatch(/must start with/);
    expect(problems.targetConnectionId).toMatch(/Choose the connection/);
    const overlap = validate({ ...values, targetConnectionId: 's', targetPath: '/a/b' }, source, source);
    expect(overlap.targetPath).toMatch(/overlaps the source \/a/);
    expect(
      hasProblems(validate({ ...values, targetConnectionId: 't', targetPath: '/a' }, source, other)),
    ).toBe(false);
    expect(
      validate({ ...values, targetConnectionId: 't', targetPath: '/a', exclude: [' '] }, source, other)
        .exclude,
    ).toMatch(/must not be empty/);
  });

  it('makes the API inputs, with no reconcile passes when verify is off', () => {
    const values = {
      ...initialValues(' /a '),
      targetConnectionId: 't',
      targetPath: ' /b ',
      mode: 'mirror' as const,
      copyAcl: false,
      include: ['/x/**'],
      verify: false,
    };
    expect(toCopyInput(values, 's')).toEqual({
      source: { connectionId: 's', path: '/a' },
      target: { connectionId: 't', path: '/b' },
      mode: 'mirror',
      copyAcl: false,
      include: ['/x/**'],
      exclude: [],
      reconcilePasses: 0,
      verify: false,
    });
    expect(toDiffInput(values, 's')).toEqual({
      source: { connectionId: 's', path: '/a' },
      target: { connectionId: 't', path: '/b' },
      compareAcl: false,
    });
  });

  it('takes an optional max read rate: empty is no limit, else a whole number in the host range', () => {
    const values = { ...initialValues('/a'), targetConnectionId: 't', targetPath: '/b' };
    // Empty (the initial value) or blank: no ceiling, nothing sent.
    expect(initialValues('/a').maxRate).toBe('');
    expect(maxRateOf(values)).toBeUndefined();
    expect(maxRateOf({ maxRate: '  ' })).toBeUndefined();
    expect(validate(values, source, other).maxRate).toBeUndefined();
    expect('maxNodesPerSecond' in toCopyInput(values, 's')).toBe(false);

    const limited = { ...values, maxRate: 4000 };
    expect(hasProblems(validate(limited, source, other))).toBe(false);
    expect(toCopyInput(limited, 's').maxNodesPerSecond).toBe(4000);
    // Compare only reads the source as much as a copy does: it carries the same ceiling.
    expect(toDiffInput(limited, 's').maxNodesPerSecond).toBe(4000);
    expect('maxNodesPerSecond' in toDiffInput(values, 's')).toBe(false);
    // Text the field may hold (a thousands separator) reads as the number.
    expect(maxRateOf({ maxRate: '1,000,000' })).toBe(1_000_000);
    expect(maxRateOf({ maxRate: 1 })).toBe(1);

    // Outside 1..1,000,000, or not whole: the problem names the range, and the input carries no rate.
    for (const maxRate of [0, 1_000_001, 2.5, 'fast']) {
      const problems = validate({ ...values, maxRate }, source, other);
      expect(problems.maxRate).toBe(
        'The max read rate is a whole number of nodes per second from 1 to 1,000,000 (none: no limit)',
      );
      expect(hasProblems(problems)).toBe(true);
      expect(toCopyInput({ ...values, maxRate }, 's').maxNodesPerSecond).toBeUndefined();
    }
  });
});
