/** The runs repository on a real SQLite file: secrets refused, filters, paging, output order. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSecretBox } from '../../../electron/platform/secret-box';
import { openStore } from '../../../electron/store/open-store';
import { RunNotFoundError, RunSecretError } from '../../../electron/store/runs-repo';
import type { Store } from '../../../electron/store/types';

let dir: string;
let store: Store;
let clock: number;

function run(
  id: string,
  overrides: { runbookId?: string; title?: string; params?: Record<string, unknown>; state?: string } = {},
) {
  return store.runs.create({
    id,
    runbookId: overrides.runbookId ?? 'subtree-migration',
    title: overrides.title ?? 'Migrate a ZooKeeper subtree',
    params: overrides.params ?? { sourcePath: '/a' },
    state: overrides.state ?? 'draft',
    operator: 'alice',
    steps: [
      { stepId: 'one', kind: 'precheck', title: 'One', state: 'pending', record: { why: 'because' } },
      { stepId: 'two', kind: 'action', title: 'Two', state: 'pending' },
    ],
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mdesk-runs-repo-'));
  clock = 1_000;
  store = openStore({
    file: join(dir, 'store.db'),
    secretBox: createSecretBox(randomBytes(32)),
    now: () => clock,
  });
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('runs repository', () => {
  it('stores a run with its steps in order', () => {
    const created = run('run-1');
    expect(created).toMatchObject({ id: 'run-1', state: 'draft', currentStep: null, createdAt: 1000 });
    expect(
      store.runs.steps('run-1').map((step) => [step.index, step.stepId, step.state, step.attempts]),
    ).toEqual([
      [0, 'one', 'pending', 0],
      [1, 'two', 'pending', 0],
    ]);
    expect(store.runs.step('run-1', 0)!.record).toEqual({ why: 'because' });
  });

  it('refuses secrets in parameters, details and step records', () => {
    expect(() => run('run-s', { params: { sourcePath: '/a', password: 'hunter2' } })).toThrow(RunSecretError);
    expect(() => run('run-s', { params: { nested: { digestAuth: 'u:p' } } })).toThrow(
      "'params.nested.digestAuth'",
    );
    expect(store.runs.get('run-s')).toBeUndefined();
    run('run-ok');
    expect(() => store.runs.update('run-ok', { detail: { token: 'abc' } })).toThrow(RunSecretError);
    expect(() => store.runs.updateStep('run-ok', 0, { record: { result: { secret: 'x' } } })).toThrow(
      RunSecretError,
    );
  });

  it('updates runs and steps, and says when there is no such run', () => {
    run('run-1');
    clock = 2000;
    const updated = store.runs.update('run-1', { state: 'running', currentStep: 1, startedAt: 2000 });
    expect(updated).toMatchObject({ state: 'running', currentStep: 1, startedAt: 2000, updatedAt: 2000 });
    const step = store.runs.updateStep('run-1', 1, {
      state: 'failed',
      attempts: 2,
      note: 'n',
      skipReason: null,
    });
    expect(step).toMatchObject({ state: 'failed', attempts: 2, note: 'n' });
    expect(() => store.runs.update('missing', { state: 'running' })).toThrow(RunNotFoundError);
  });

  it('filters by runbook, state, literal text and time, newest first, and pages', () => {
    clock = 1000;
    run('a', { runbookId: 'subtree-migration', params: { sourcePath: '/apps/100%_done' } });
    clock = 2000;
    run('b', { runbookId: 'zk-migration-copy', state: 'running' });
    clock = 3000;
    run('c', { runbookId: 'subtree-migration', state: 'failed', params: { sourcePath: '/apps/100x' } });
    const ids = (query: Parameters<Store['runs']['list']>[0]) => store.runs.list(query).map((r) => r.id);
    expect(ids({})).toEqual(['c', 'b', 'a']);
    expect(ids({ runbookId: 'subtree-migration' })).toEqual(['c', 'a']);
    expect(ids({ states: ['running', 'failed'] })).toEqual(['c', 'b']);
    // % and _ are the operator's characters, not wildcards.
    expect(ids({ text: '100%_' })).toEqual(['a']);
    expect(ids({ text: 'ZK-MIGRATION' })).toEqual(['b']);
    expect(ids({ from: 1500, to: 2500 })).toEqual(['b']);
    expect(ids({ limit: 1 })).toEqual(['c']);
    expect(ids({ beforeId: 'c', limit: 1 })).toEqual(['b']);
    expect(store.runs.listByState(['running', 'failed']).map((r) => r.id)).toEqual(['b', 'c']);
  });

  it('finds runs by a prefix of their id', () => {
    run('abc123');
    run('abd456');
    expect(store.runs.findByPrefix('abc').map((r) => r.id)).toEqual(['abc123']);
    expect(store.runs.findByPrefix('ab').map((r) => r.id)).toEqual(['abc123', 'abd456']);
    expect(store.runs.findByPrefix('')).toEqual([]);
  });

  it('keeps output in print order, pages it forward, tails it and counts it per step', () => {
    run('run-1');
    const lines = Array.from({ length: 10 }, (_, i) => ({
      runId: 'run-1',
      index: i < 6 ? 0 : 1,
      seq: i + 1,
      at: 5000 + i,
      stream: 'log' as const,
      line: `line ${i + 1}`,
    }));
    store.runs.appendOutput(lines);
    expect(store.runs.maxOutputSeq('run-1')).toBe(10);
    expect(store.runs.output('run-1', { limit: 4 }).map((l) => l.seq)).toEqual([1, 2, 3, 4]);
    expect(store.runs.output('run-1', { afterSeq: 4, limit: 4 }).map((l) => l.seq)).toEqual([5, 6, 7, 8]);
    expect(store.runs.output('run-1', { index: 1 }).map((l) => l.line)).toEqual([
      'line 7',
      'line 8',
      'line 9',
      'line 10',
    ]);
    expect(store.runs.tailOutput('run-1', { limit: 3 }).map((l) => l.seq)).toEqual([8, 9, 10]);
    expect(store.runs.tailOutput('run-1', { index: 0, limit: 2 }).map((l) => l.seq)).toEqual([5, 6]);
    expect([...store.runs.outputCounts('run-1')]).toEqual([
      [0, 6],
      [1, 4],
    ]);
    expect(store.runs.maxOutputSeq('other')).toBe(0);
  });
});
