/**
 * The run view's pure rules: a progress bar never above 100 %, no percentage or ETA guessed below
 * 1 %, an indeterminate bar without a total; the wizard's own field checks; the host's field errors
 * mapped to parameter names; elapsed times.
 */
import { describe, expect, it } from 'vitest';
import type { StepProgressView } from '../../../shared/api/runs';
import {
  elapsed,
  localParamError,
  paramErrors,
  progressDisplay,
  type RunbookParamInfo,
  shortRunId,
  stepBadge,
} from '../../../renderer/src/features/runbooks/run-format';

function progress(overrides: Partial<StepProgressView>): StepProgressView {
  return {
    done: 0,
    total: 1000,
    unit: 'nodes',
    ratePerSec: null,
    etaSeconds: null,
    fraction: 0,
    ...overrides,
  };
}

describe('progressDisplay', () => {
  it('shows counts, rate and ETA once past 1 %', () => {
    const shown = progressDisplay(
      progress({ done: 250, fraction: 0.25, ratePerSec: 99.6, etaSeconds: 7.5, label: 'copying' }),
    );
    expect(shown.percent).toBe(25);
    expect(shown.counts).toBe('copying: 250 of 1,000 nodes (25 %)');
    expect(shown.rate).toBe('100 nodes/s');
    expect(shown.eta).toBe('about 8 s left');
  });

  it('guesses no percentage or ETA below 1 %', () => {
    const shown = progressDisplay(progress({ done: 5, fraction: 0.005, ratePerSec: 10, etaSeconds: 995 }));
    expect(shown.counts).toBe('5 of 1,000 nodes');
    expect(shown.eta).toBeNull();
    expect(shown.rate).toBe('10 nodes/s');
  });

  it('never goes above 100 %, and shows no ETA at the end', () => {
    const shown = progressDisplay(progress({ done: 1200, fraction: 1.2, etaSeconds: 0 }));
    expect(shown.percent).toBe(100);
    expect(shown.counts).toContain('(100 %)');
    expect(shown.eta).toBeNull();
  });

  it('is indeterminate without a total', () => {
    const shown = progressDisplay(progress({ done: 42, total: null, fraction: null, ratePerSec: 0 }));
    expect(shown.percent).toBeNull();
    expect(shown.counts).toBe('42 nodes');
    expect(shown.rate).toBeNull();
    expect(shown.eta).toBeNull();
  });
});

describe('localParamError', () => {
  const path: RunbookParamInfo = {
    name: 'sourcePath',
    label: 'Source path',
    help: '',
    input: 'zk-path',
    required: true,
  };
  const optional: RunbookParamInfo = {
    name: 'note',
    label: 'Note',
    help: '',
    input: 'text',
    required: false,
  };

  it('names a missing required field', () => {
    expect(localParamError(path, undefined)).toBe('Source path is required');
    expect(localParamError(path, '   ')).toBe('Source path is required');
    expect(localParamError(optional, '')).toBeUndefined();
  });

  it('checks ZooKeeper path syntax as the server would', () => {
    expect(localParamError(path, 'apps/x')).toContain("must start with '/'");
    expect(localParamError(path, '/apps//x')).toContain('empty segment');
    expect(localParamError(path, '/apps/x')).toBeUndefined();
  });
});

describe('paramErrors', () => {
  it('keeps the parameter errors by name and drops the others', () => {
    expect(
      paramErrors({ 'params.passLimit': 'give a whole number from 0 to 10', runbookId: 'unknown runbook' }),
    ).toEqual({ passLimit: 'give a whole number from 0 to 10' });
  });
});

describe('times and ids', () => {
  it('formats elapsed time, running or done', () => {
    expect(elapsed(null, null, 10_000)).toBeNull();
    expect(elapsed(1000, 3500, 99_999)).toBe('2.5 s');
    expect(elapsed(0, null, 75_000)).toBe('1 min 15 s');
  });

  it('shortens a run id to what the abort confirmation asks for', () => {
    expect(shortRunId('0123abcd-0000-4000-8000-000000000000')).toBe('0123abcd');
  });
});

describe('step badges', () => {
  it('says a step went through on an accepted warning instead of a plain green success', () => {
    expect(
      stepBadge({ state: 'succeeded', outcome: { status: 'warning', summary: 'Not checked here' } }),
    ).toEqual({
      label: 'warning accepted',
      color: 'yellow',
    });
    expect(stepBadge({ state: 'succeeded', outcome: { status: 'succeeded', summary: 'ok' } })).toEqual({
      label: 'succeeded',
      color: 'green',
    });
    expect(
      stepBadge({ state: 'waiting-for-operator', outcome: { status: 'warning', summary: 'w' } }).label,
    ).toBe('waiting for you');
  });
});
