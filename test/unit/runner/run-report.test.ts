/**
 * The run report: everything a change ticket needs is in it, hostile text (a node path with HTML, a
 * tool printing backticks, a table-breaking pipe) comes out escaped, secrets come out masked, and
 * truncated output says so.
 */
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../shared/api/audit';
import type { RunOutputLine, RunView, StepView } from '../../../shared/api/run-views';
import {
  escapeHtml,
  markdownFence,
  markdownText,
  type RunReportData,
  renderRunReport,
  reportFileName,
} from '../../../electron/runner/run-report';

const AT = Date.UTC(2025, 0, 2, 3, 4, 5);
const HOSTILE = '<script>alert("x")</script> | `tick` **bold** [link](http://evil)';

function step(index: number, overrides: Partial<StepView>): StepView {
  return {
    index,
    id: `step-${index}`,
    kind: 'action',
    title: `Step ${index}`,
    why: 'Because.',
    severity: null,
    state: 'succeeded',
    attempts: 1,
    startedAt: AT,
    endedAt: AT + 61_000,
    outcome: { status: 'succeeded', summary: 'done' },
    result: null,
    awaiting: null,
    commands: [],
    manualReason: null,
    waitingFor: null,
    progress: null,
    note: null,
    confirmedText: null,
    skipReason: null,
    rollbackLabel: null,
    outputLines: 0,
    outputDropped: 0,
    ...overrides,
  };
}

function line(
  index: number,
  seq: number,
  text: string,
  stream: RunOutputLine['stream'] = 'log',
): RunOutputLine {
  return { runId: 'r', index, seq, at: AT + seq, stream, line: text };
}

function data(): RunReportData {
  const run: RunView = {
    id: '0123456789abcdef',
    runbookId: 'subtree-migration',
    title: `Migrate ${HOSTILE}`,
    params: {
      source: 'zk://10.0.0.1:2181',
      sourcePath: `/apps/${HOSTILE}`,
      password: 'hunter2',
      nested: { token: 'tok-secret', ok: 'visible' },
    },
    state: 'completed',
    currentStep: 3,
    operator: 'alice',
    createdAt: AT,
    startedAt: AT,
    endedAt: AT + 3_723_000,
    updatedAt: AT,
    precheckOnly: false,
    message: 'Completed.',
    driver: null,
    allowedActions: [],
    rollback: null,
    rollbacks: [
      {
        stepIndex: 2,
        label: 'Switch back',
        state: 'succeeded',
        summary: 'restored',
        startedAt: AT,
        endedAt: AT + 1000,
      },
    ],
    steps: [
      step(0, {
        kind: 'precheck',
        severity: 'warn',
        title: 'Check <things>',
        outcome: { status: 'warning', summary: `found ${HOSTILE}` },
        note: 'accepted: the | pipe <b>is</b> fine',
        outputLines: 500,
        outputDropped: 7,
      }),
      step(1, {
        kind: 'manual',
        commands: [
          {
            label: 'On each host',
            kind: 'shell',
            text: 'echo ```done``` && zkCli addauth digest admin:hunter2',
          },
        ],
        note: 'did it',
        confirmedText: null,
      }),
      step(2, { kind: 'action', state: 'skipped', skipReason: `not needed ${HOSTILE}`, outcome: null }),
      step(3, {
        kind: 'verify',
        outcome: { status: 'succeeded', summary: '20,001 compared: 20,001 matching' },
        result: { matching: 20001, differences: 0, secret: 'abc' },
      }),
    ],
  };
  const outputs = new Map([
    [
      0,
      {
        lines: [line(0, 1, 'first'), line(0, 2, `MDESK_ZK_AUTH=digest:admin:hunter2 ${HOSTILE}`, 'stderr')],
        stored: 500,
        dropped: 7,
      },
    ],
  ]);
  const events: AuditEvent[] = [
    {
      id: 1,
      at: AT,
      actor: 'alice',
      action: 'run.created',
      target: 'run:x',
      detail: { password: 'hunter2' },
    },
    { id: 2, at: AT, actor: 'alice', action: 'step.skipped', target: 'run:x', detail: { reason: HOSTILE } },
  ];
  return { run, outputs, events, eventsTruncated: false, generatedAt: AT, generatedBy: 'bob' };
}

/** Each of `parts` is in the report (a failure names the part missing). */
function expectContainsAll(report: string, parts: string[]): void {
  for (const part of parts) expect(report, `the report should contain ${part}`).toContain(part);
}

/** None of the fixture's secrets (the digest password, the token, and `more`) is in the report. */
function expectSecretsMasked(report: string, more: string[] = []): void {
  for (const secret of ['hunter2', 'tok-secret', ...more]) expect(report).not.toContain(secret);
}

describe('run report, HTML', () => {
  const html = renderRunReport(data(), 'html');

  it('is a self-contained page: no script, no external resource', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\s(src|href)="(?!#)/i);
    expect(html).toContain("default-src 'none'");
  });

  it('escapes every piece of text', () => {
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('Check &lt;things&gt;');
    expect(html).toContain('the | pipe &lt;b&gt;is&lt;/b&gt; fine');
    expect(escapeHtml(`<a href='x'>&</a>`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('masks secrets in parameters, results, commands, output and events', () => {
    expectSecretsMasked(html, ['"abc"']);
    expect(html).toContain('visible');
  });

  it('has every step with state, times, attempts, notes, skip reasons, verify results, rollbacks and events', () => {
    expectContainsAll(html, [
      'Step 1',
      'Step 2',
      'Step 3',
      '2025-01-02 03:04:05 UTC',
      '1 h 2 min',
      'did it',
      'Skipped because',
      'Verification results',
      '20,001 compared: 20,001 matching',
      'Switch back',
      'run.created',
      'step.skipped',
    ]);
  });

  it('says when output was truncated', () => {
    expect(html).toContain('showing the last 2 of 500 stored lines');
    expect(html).toContain('7 further lines were printed but not kept');
  });
});

describe('run report, Markdown', () => {
  const markdown = renderRunReport(data(), 'markdown');

  it('escapes text so it cannot break tables or add markup', () => {
    expect(markdownText('a | b <i>c</i> *d* `e`')).toBe('a \\| b \\<i\\>c\\</i\\> \\*d\\* \\`e\\`');
    expect(markdownText('two\nlines')).toBe('two lines');
    const tableRows = markdown.split('\n').filter((row) => row.startsWith('| ') && row.includes('Check'));
    for (const row of tableRows) expect(row).not.toMatch(/[^\\]\|[^|]*<things>/);
    // Inside fenced blocks text is literal; everywhere else it must be escaped.
    const outsideFences = markdown.replace(/(`{3,})[^\n]*\n[\s\S]*?\n\1/g, '');
    expect(outsideFences).not.toContain('<script>');
    expect(outsideFences).toContain('\\<script\\>');
  });

  it('fences command and output text with a fence no backtick run inside can close', () => {
    expect(markdownFence('a ```` b')).toBe('`````\na ```` b\n`````');
    expect(markdown).toContain('````\necho ```done```');
  });

  it('masks secrets', () => {
    expectSecretsMasked(markdown);
  });

  it('lists parameters, steps, verification, notes and the audit trail', () => {
    expectContainsAll(markdown, [
      '## Parameters',
      '| sourcePath |',
      '## Steps',
      '## Verification results',
      '**Operator note:** did it',
      '**Skipped because:** not needed',
      '## Audit trail',
      'Output truncated',
    ]);
  });

  it('names the file after the runbook, day and short id', () => {
    expect(reportFileName(data().run, 'markdown')).toBe('run-subtree-migration-2025-01-02-01234567.md');
    expect(reportFileName(data().run, 'html')).toBe('run-subtree-migration-2025-01-02-01234567.html');
  });
});
