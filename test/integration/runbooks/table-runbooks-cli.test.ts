/**
 * The table runbooks as the CLI lists and validates them: `mdesk runbooks --json` names them all with
 * their summaries and steps, and `mdesk run` refuses parameters that do not fit the action (exit 2,
 * the message naming the parameter) before anything is created.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../setup/cli-process';

const dataDir = mkdtempSync(join(tmpdir(), 'mdesk-table-rb-'));

/** Bounded: a CLI that hangs fails the test instead of the suite. */
const mdesk = (args: string[]) => runCli(args, { dataDir, ceilingMs: 90_000 });

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('mdesk and the table runbooks', () => {
  it('lists every table runbook with when to choose it', async () => {
    const result = await mdesk(['runbooks', '--json']);
    expect(result.code).toBe(0);
    const runbooks = JSON.parse(result.stdout) as { id: string; summary: string; steps: unknown[] }[];
    const ids = runbooks.map((runbook) => runbook.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'table-copy-data',
        'table-cold-backup',
        'table-dual-write-bulkload',
        'table-hot-migration',
        'duplication',
      ]),
    );
    const hot = runbooks.find((runbook) => runbook.id === 'table-hot-migration')!;
    expect(hot.summary).toContain('MetaProxy');
    expect(runbooks.find((runbook) => runbook.id === 'table-copy-data')!.summary).toContain(
      'partition count',
    );
  }, 120_000);

  it('refuses a duplication action without its dupid', async () => {
    const result = await mdesk([
      'run',
      'duplication',
      '--param',
      'profile=p1',
      '--param',
      'table=temp',
      '--param',
      'action=pause',
      '--json',
    ]);
    expect(result.code).toBe(2);
    expect(`${result.stdout}${result.stderr}`).toContain('dupid');
  }, 120_000);
});
