/**
 * The pure parts of the table runbooks: which rate-limit key a version uses, how a reconciliation
 * pass is read from the operator's note, how copy progress samples stay bounded, which copy options
 * make whole-table counts incomparable, and the parameter refusals that name the field.
 */
import { describe, expect, it } from 'vitest';
import { findRunbook } from '../../../electron/runbooks';
import { rateLimitKey } from '../../../electron/runbooks/table-cold-backup/backup-steps';
import { copiesASubset, copyOptions } from '../../../electron/runbooks/table-copy-data/copy-options';
import { ProgressSamples } from '../../../electron/runbooks/table-copy-data/copy-step';
import { tableCopyDataSchema } from '../../../electron/runbooks/table-copy-data/params';
import { parsePass } from '../../../electron/runbooks/table-dual-write-bulkload/reconcile-steps';
import { duplicationSchema } from '../../../electron/runbooks/duplication/params';
import { tableHotMigrationSchema } from '../../../electron/runbooks/table-hot-migration/params';

describe('table runbooks', () => {
  it('uses the per-disk rate limit from 2.4 on', () => {
    expect(rateLimitKey('2.3.0')).toBe('max_send_rate_megabytes');
    expect(rateLimitKey('1.12')).toBe('max_send_rate_megabytes');
    expect(rateLimitKey('2.4')).toBe('max_send_rate_megabytes_per_disk');
    expect(rateLimitKey('2.10.1')).toBe('max_send_rate_megabytes_per_disk');
    expect(rateLimitKey('3.0')).toBe('max_send_rate_megabytes_per_disk');
  });

  it('reads a reconciliation pass in any order, with separators, and refuses impossible figures', () => {
    expect(parsePass('mismatched=12, repaired=10 compared=1_000_000')).toEqual({
      compared: 1_000_000,
      mismatched: 12,
      repaired: 10,
    });
    expect(parsePass('compared: 5,000 mismatched: 0 repaired: 0')).toEqual({
      compared: 5000,
      mismatched: 0,
      repaired: 0,
    });
    expect(parsePass('done')).toContain('compared=<rows>');
    expect(parsePass('compared=0 mismatched=0 repaired=0')).toContain('compared is 0');
    expect(parsePass('compared=10 mismatched=11 repaired=0')).toContain('more than compared');
    expect(parsePass('compared=10 mismatched=1 repaired=2')).toContain('more than mismatched');
  });

  it('keeps at most 1200 progress samples over a long copy, first and shape kept', () => {
    const samples = new ProgressSamples();
    for (let second = 1; second <= 10_000; second += 1) {
      samples.add({
        seconds: second,
        completedSplits: 0,
        totalSplits: 8,
        totalRows: second * 10,
        lastSecondRows: 10,
        errorOccurred: false,
      });
    }
    expect(samples.samples.length).toBeLessThan(1200);
    expect(samples.samples.length).toBeGreaterThan(500);
    expect(samples.samples[0]).toEqual({ s: 1, rows: 10, delta: 10 });
    const seconds = samples.samples.map((sample) => sample.s);
    expect([...seconds].sort((a, b) => a - b)).toEqual(seconds);
  });

  it('maps every copy option and knows when counts cannot compare', () => {
    const params = tableCopyDataSchema.parse({
      profile: 'p',
      table: 'src',
      targetCluster: 'tjsrv',
      sortKeyFilter: 'exact',
      sortKeyPattern: 'k',
      noOverwrite: 'yes',
      noValue: 'yes',
    });
    expect(copyOptions(params)).toMatchObject({
      sourceTable: 'src',
      targetTable: 'src',
      maxBatchCount: 500,
      sortKeyFilter: { type: 'exact', pattern: 'k' },
      noOverwrite: true,
      noValue: true,
    });
    expect(copiesASubset(params)).toBe(true);
    expect(
      copiesASubset(tableCopyDataSchema.parse({ profile: 'p', table: 'src', targetCluster: 'tjsrv' })),
    ).toBe(false);
  });

  it('refuses parameters that do not fit, naming the field', () => {
    const copy = tableCopyDataSchema.safeParse({
      profile: 'p',
      table: 'src',
      targetCluster: 'tjsrv',
      useMultiSet: 'true',
      noOverwrite: 'true',
      hashKeyFilter: 'prefix',
    });
    expect(copy.success).toBe(false);
    const paths = copy.error!.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['hashKeyPattern', 'noOverwrite']));
    const hot = tableHotMigrationSchema.safeParse({
      profile: 'p',
      table: 'bad/name',
      targetCluster: 'tjsrv',
      targetMetas: '10.0.0.1:34601',
      metaProxy: 'c',
      metaProxyRoot: '/proxy',
    });
    expect(hot.error!.issues.map((issue) => issue.path.join('.'))).toEqual(['table', 'targetMetas']);
    expect(
      duplicationSchema.safeParse({ profile: 'p', table: 't', action: 'add' }).error!.issues[0]!.path,
    ).toEqual(['remoteCluster']);
  });

  it('builds the duplication steps the action needs', () => {
    const runbook = findRunbook('duplication')!;
    const ids = (params: Record<string, unknown>) =>
      runbook.steps(runbook.schema.parse({ profile: 'p', table: 't', ...params })).map((step) => step.id);
    expect(ids({ action: 'list' })).toEqual(['precheck-duplication', 'duplication-status']);
    expect(ids({ action: 'add', remoteCluster: 'r' })).toEqual([
      'precheck-duplication',
      'precheck-config',
      'apply-action',
      'duplication-status',
    ]);
    expect(ids({ action: 'remove', dupid: 5 })).toContain('confirm-action');
    expect(ids({ action: 'set-fail-mode', dupid: 5, failMode: 'slow' })).not.toContain('confirm-action');
  });

  it('explains every step of every table runbook, prechecks say whether they block, waits and gates are complete', () => {
    const cases: [string, Record<string, unknown>][] = [
      ['table-copy-data', { profile: 'p', table: 't', targetCluster: 'c' }],
      ['table-cold-backup', { profile: 'p', table: 't', clusterVersion: '2.4', targetProfile: 'q' }],
      [
        'table-cold-backup',
        {
          profile: 'p',
          table: 't',
          clusterVersion: '2.4',
          targetProfile: 'q',
          method: 'bulk-load',
          bulkLoadRoot: '/r',
        },
      ],
      ['table-dual-write-bulkload', { profile: 'p', table: 't', targetProfile: 'q', bulkLoadRoot: '/r' }],
      [
        'table-hot-migration',
        {
          profile: 'p',
          table: 't',
          targetCluster: 'c',
          targetMetas: 'a:1,b:2',
          metaProxy: 'z',
          metaProxyRoot: '/mp',
        },
      ],
      ['duplication', { profile: 'p', table: 't', action: 'remove', dupid: 3 }],
    ];
    for (const [id, raw] of cases) {
      const runbook = findRunbook(id)!;
      expect(runbook.summary.length, id).toBeGreaterThan(200);
      const steps = runbook.steps(runbook.schema.parse(raw));
      expect(new Set(steps.map((step) => step.id)).size, id).toBe(steps.length);
      for (const step of steps) {
        expect(step.why.length, `${id}/${step.id}`).toBeGreaterThan(60);
        if (step.kind === 'precheck') expect(step.severity, step.id).toMatch(/^(block|warn)$/);
        if (step.kind === 'wait') expect(step.wait, step.id).toBeDefined();
        if (step.kind === 'gate') expect(step.confirmText, step.id).toBeDefined();
        if (step.kind === 'manual') expect(step.commands, step.id).toBeDefined();
      }
    }
    const hot = findRunbook('table-hot-migration')!;
    const hotSteps = hot.steps(hot.schema.parse(cases[4]![1]));
    const from = hotSteps.findIndex((step) => step.id === 'deny-writes');
    // The rollback is offered from the deny on: every later step defines it.
    for (const step of hotSteps.slice(from)) {
      if (step.kind !== 'wait') expect(step.rollback?.label, step.id).toContain('back to the source');
    }
  });
});
