/**
 * A run's report, fit to attach to a change ticket (design section 6): parameters, every step with
 * its state, times, attempts, outcome, result, operator notes, skip reasons and output, the
 * verification results, rollbacks, and the audit trail. Markdown and a self-contained HTML page (no
 * script, no external resource). Everything printed is escaped for its format and masked for
 * secrets: outputs were masked when stored, parameters and results are masked again here.
 */
import type { AuditEvent } from '../../shared/api/audit';
import type { RunOutputLine, RunView, StepView } from '../../shared/api/run-views';
import { maskSecretKeys, redactSecrets } from './output-redaction';

export type ReportFormat = 'markdown' | 'html';

export interface StepOutputExcerpt {
  /** The last lines of the step (at most the excerpt limit). */
  lines: RunOutputLine[];
  /** Lines stored for the step. */
  stored: number;
  /** Lines the step printed beyond the store's cap. */
  dropped: number;
}

export interface RunReportData {
  run: RunView;
  outputs: Map<number, StepOutputExcerpt>;
  /** Oldest first. */
  events: AuditEvent[];
  /** More (older) events exist than are listed. */
  eventsTruncated: boolean;
  generatedAt: number;
  generatedBy: string;
}

/** Lines of output per step in a report; the rest stays in the store (runs.output, mdesk runs show). */
export const REPORT_OUTPUT_LINES = 200;
export const REPORT_EVENTS = 5000;
const RESULT_CHARS = 6000;
const DETAIL_CHARS = 400;

export function renderRunReport(data: RunReportData, format: ReportFormat): string {
  return format === 'html' ? renderHtml(data) : renderMarkdown(data);
}

export function reportFileName(run: RunView, format: ReportFormat): string {
  const day = new Date(run.createdAt).toISOString().slice(0, 10);
  return `run-${run.runbookId}-${day}-${run.id.slice(0, 8)}.${format === 'html' ? 'html' : 'md'}`;
}

// ------------------------------------------------------------------ shared pieces

function time(at: number | null): string {
  return at === null
    ? '-'
    : new Date(at)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC');
}

function duration(from: number | null, to: number | null): string {
  if (from === null || to === null) return '-';
  const seconds = Math.max(0, Math.round((to - from) / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function json(value: unknown, limit: number): string {
  const text = JSON.stringify(maskSecretKeys(value), null, 2) ?? 'null';
  return text.length > limit ? `${text.slice(0, limit)}\n... (${text.length - limit} more characters)` : text;
}

function compactJson(value: unknown, limit = DETAIL_CHARS): string {
  const text = JSON.stringify(maskSecretKeys(value)) ?? '';
  return text.length > limit ? `${text.slice(0, limit)}...` : text;
}

function paramEntries(run: RunView): [string, unknown][] {
  return Object.entries(maskSecretKeys(run.params) as Record<string, unknown>);
}

function paramText(value: unknown): string {
  if (typeof value === 'string') return redactSecrets(value);
  return JSON.stringify(maskSecretKeys(value));
}

function outcomeLine(step: StepView): string {
  if (!step.outcome) return '';
  return `${step.outcome.status}: ${step.outcome.summary}${step.outcome.hint ? ` (${step.outcome.hint})` : ''}`;
}

function excerptNote(excerpt: StepOutputExcerpt): string | null {
  const notes: string[] = [];
  if (excerpt.stored > excerpt.lines.length) {
    notes.push(
      `showing the last ${excerpt.lines.length} of ${excerpt.stored} stored lines (all of them: mdesk runs show, or the run view)`,
    );
  }
  if (excerpt.dropped > 0) notes.push(`${excerpt.dropped} further lines were printed but not kept`);
  return notes.length > 0 ? `Output truncated: ${notes.join('; ')}.` : null;
}

function verifySteps(run: RunView): StepView[] {
  return run.steps.filter((step) => step.kind === 'verify' || step.kind === 'precheck');
}

// ------------------------------------------------------------------ Markdown

/** Text in a Markdown paragraph or table cell: no accidental emphasis, links, HTML or broken tables. */
export function markdownText(text: string): string {
  return redactSecrets(text)
    .replace(/([\\`*_[\]{}<>#|!~])/g, '\\$1')
    .replace(/\r?\n/g, ' ');
}

/** A fenced block that no backtick run inside can close early. */
export function markdownFence(text: string, info = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${info}\n${text}\n${fence}`;
}

function renderMarkdown(data: RunReportData): string {
  const { run } = data;
  const out: string[] = [];
  const cell = markdownText;
  out.push(`# Run report: ${cell(run.title)}`, '');
  out.push('| | |', '|---|---|');
  out.push(`| Run | ${cell(run.id)} |`);
  out.push(`| Runbook | ${cell(run.runbookId)} |`);
  out.push(`| State | **${cell(run.state)}** |`);
  out.push(`| Operator | ${cell(run.operator)} |`);
  out.push(`| Created | ${time(run.createdAt)} |`);
  out.push(`| Started | ${time(run.startedAt)} |`);
  out.push(`| Ended | ${time(run.endedAt)} |`);
  out.push(`| Duration | ${duration(run.startedAt, run.endedAt)} |`);
  out.push(`| Report generated | ${time(data.generatedAt)} by ${cell(data.generatedBy)} |`);
  out.push('');
  if (run.message) out.push(`> ${cell(run.message)}`, '');

  out.push('## Parameters', '', '| Parameter | Value |', '|---|---|');
  for (const [name, value] of paramEntries(run)) out.push(`| ${cell(name)} | ${cell(paramText(value))} |`);
  out.push('');

  out.push('## Steps', '', '| # | Step | Kind | State | Attempts | Started | Ended | Outcome |');
  out.push('|---|---|---|---|---|---|---|---|');
  for (const step of run.steps) {
    out.push(
      `| ${step.index + 1} | ${cell(step.title)} | ${step.kind}${step.severity ? ` (${step.severity})` : ''} | ${step.state} | ${step.attempts} | ${time(step.startedAt)} | ${time(step.endedAt)} | ${cell(outcomeLine(step))} |`,
    );
  }
  out.push('');

  const verifications = verifySteps(run);
  if (verifications.length > 0) {
    out.push('## Verification results', '');
    for (const step of verifications) {
      out.push(
        `- **${cell(step.title)}** (${step.kind}): ${step.state}${step.outcome ? `, ${cell(outcomeLine(step))}` : ''}`,
      );
    }
    out.push('');
  }

  for (const step of run.steps) {
    out.push(`## ${step.index + 1}. ${cell(step.title)}`, '');
    out.push(
      `*${cell(step.kind)}${step.severity ? `, ${step.severity}` : ''}; ${step.state}; attempts ${step.attempts}; started ${time(step.startedAt)}; ended ${time(step.endedAt)} (${duration(step.startedAt, step.endedAt)})*`,
      '',
    );
    if (step.why) out.push(cell(step.why), '');
    if (step.outcome) out.push(`**Outcome:** ${cell(outcomeLine(step))}`, '');
    if (step.manualReason) out.push(`**Why manual:** ${cell(step.manualReason)}`, '');
    if (step.note) out.push(`**Operator note:** ${cell(step.note)}`, '');
    if (step.confirmedText) out.push(`**Typed confirmation:** ${cell(step.confirmedText)}`, '');
    if (step.skipReason) out.push(`**Skipped because:** ${cell(step.skipReason)}`, '');
    if (step.awaiting) out.push(`**Waiting for the operator:** ${cell(step.awaiting.prompt)}`, '');
    if (step.waitingFor) out.push(`**Waiting for:** ${cell(step.waitingFor)}`, '');
    if (step.commands.length > 0) {
      out.push('**Commands:**', '');
      for (const command of step.commands) {
        out.push(
          `${cell(command.label)} (${command.kind}):`,
          '',
          markdownFence(redactSecrets(command.text)),
          '',
        );
      }
    }
    if (step.result) out.push('**Result:**', '', markdownFence(json(step.result, RESULT_CHARS), 'json'), '');
    const excerpt = data.outputs.get(step.index);
    if (excerpt && excerpt.lines.length > 0) {
      out.push('**Output:**', '');
      const note = excerptNote(excerpt);
      if (note) out.push(`*${cell(note)}*`, '');
      out.push(markdownFence(excerpt.lines.map((line) => outputLine(line)).join('\n')), '');
    }
  }

  if (run.rollbacks.length > 0) {
    out.push(
      '## Rollbacks',
      '',
      '| Step | Rollback | State | Started | Ended | Summary |',
      '|---|---|---|---|---|---|',
    );
    for (const rollback of run.rollbacks) {
      out.push(
        `| ${rollback.stepIndex + 1} | ${cell(rollback.label)} | ${rollback.state} | ${time(rollback.startedAt)} | ${time(rollback.endedAt)} | ${cell(rollback.summary ?? '')} |`,
      );
    }
    out.push('');
  }

  out.push('## Audit trail', '');
  if (data.eventsTruncated) out.push(`*Showing the last ${data.events.length} events of the run.*`, '');
  out.push('| Time | Actor | Action | Detail |', '|---|---|---|---|');
  for (const event of data.events) {
    out.push(
      `| ${time(event.at)} | ${cell(event.actor)} | ${cell(event.action)} | ${cell(compactJson(event.detail))} |`,
    );
  }
  out.push('');
  return out.join('\n');
}

function outputLine(line: RunOutputLine): string {
  const stamp = new Date(line.at).toISOString().slice(11, 19);
  return `${stamp} ${line.stream === 'log' ? '' : `[${line.stream}] `}${redactSecrets(line.line)}`;
}

// ------------------------------------------------------------------ HTML

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1b1f24;margin:2rem auto;max-width:70rem;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.25rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}pre{background:#f6f8fa;border:1px solid #d0d7de;padding:.5rem;overflow:auto;white-space:pre-wrap;word-break:break-word;font-size:12px}
.state{font-weight:600}.succeeded,.completed{color:#1a7f37}.failed,.aborted{color:#cf222e}.waiting-for-operator,.paused{color:#9a6700}
.skipped,.pending,.draft{color:#57606a}.note{color:#57606a;font-style:italic}.message{border-left:4px solid #9a6700;padding:.25rem .75rem;background:#fff8c5}
`;

function renderHtml(data: RunReportData): string {
  const { run } = data;
  const e = (text: string) => escapeHtml(redactSecrets(text));
  const state = (value: string) => `<span class="state ${e(value)}">${e(value)}</span>`;
  const out: string[] = [];
  out.push('<!doctype html>', '<html lang="en">', '<head>', '<meta charset="utf-8">');
  out.push(
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
  );
  out.push(
    `<title>Run report: ${e(run.title)} (${e(run.id.slice(0, 8))})</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
  );
  out.push(`<h1>Run report: ${e(run.title)}</h1>`);
  out.push('<table>');
  const row = (label: string, value: string) => out.push(`<tr><th>${e(label)}</th><td>${value}</td></tr>`);
  row('Run', e(run.id));
  row('Runbook', e(run.runbookId));
  row('State', state(run.state));
  row('Operator', e(run.operator));
  row('Created', e(time(run.createdAt)));
  row('Started', e(time(run.startedAt)));
  row('Ended', e(time(run.endedAt)));
  row('Duration', e(duration(run.startedAt, run.endedAt)));
  row('Report generated', `${e(time(data.generatedAt))} by ${e(data.generatedBy)}`);
  out.push('</table>');
  if (run.message) out.push(`<p class="message">${e(run.message)}</p>`);

  out.push('<h2>Parameters</h2>', '<table><tr><th>Parameter</th><th>Value</th></tr>');
  for (const [name, value] of paramEntries(run)) {
    out.push(`<tr><td>${e(name)}</td><td>${e(paramText(value))}</td></tr>`);
  }
  out.push('</table>');

  out.push(
    '<h2>Steps</h2>',
    '<table><tr><th>#</th><th>Step</th><th>Kind</th><th>State</th><th>Attempts</th><th>Started</th><th>Ended</th><th>Outcome</th></tr>',
  );
  for (const step of run.steps) {
    out.push(
      `<tr><td>${step.index + 1}</td><td><a href="#step-${step.index + 1}">${e(step.title)}</a></td><td>${e(step.kind)}${step.severity ? ` (${e(step.severity)})` : ''}</td><td>${state(step.state)}</td><td>${step.attempts}</td><td>${e(time(step.startedAt))}</td><td>${e(time(step.endedAt))}</td><td>${e(outcomeLine(step))}</td></tr>`,
    );
  }
  out.push('</table>');

  const verifications = verifySteps(run);
  if (verifications.length > 0) {
    out.push('<h2>Verification results</h2>', '<ul>');
    for (const step of verifications) {
      out.push(
        `<li><strong>${e(step.title)}</strong> (${e(step.kind)}): ${state(step.state)}${step.outcome ? `, ${e(outcomeLine(step))}` : ''}</li>`,
      );
    }
    out.push('</ul>');
  }

  for (const step of run.steps) {
    out.push(`<h2 id="step-${step.index + 1}">${step.index + 1}. ${e(step.title)}</h2>`);
    out.push(
      `<p class="note">${e(step.kind)}${step.severity ? `, ${e(step.severity)}` : ''}; ${state(step.state)}; attempts ${step.attempts}; started ${e(time(step.startedAt))}; ended ${e(time(step.endedAt))} (${e(duration(step.startedAt, step.endedAt))})</p>`,
    );
    if (step.why) out.push(`<p>${e(step.why)}</p>`);
    const facts: [string, string | null][] = [
      ['Outcome', step.outcome ? outcomeLine(step) : null],
      ['Why manual', step.manualReason],
      ['Operator note', step.note],
      ['Typed confirmation', step.confirmedText],
      ['Skipped because', step.skipReason],
      ['Waiting for the operator', step.awaiting?.prompt ?? null],
      ['Waiting for', step.waitingFor],
    ];
    const present = facts.filter(([, value]) => value !== null && value !== '');
    if (present.length > 0) {
      out.push('<table>');
      for (const [label, value] of present) out.push(`<tr><th>${e(label)}</th><td>${e(value!)}</td></tr>`);
      out.push('</table>');
    }
    for (const command of step.commands) {
      out.push(`<p>${e(command.label)} (${e(command.kind)}):</p>`, `<pre>${e(command.text)}</pre>`);
    }
    if (step.result)
      out.push('<p><strong>Result</strong></p>', `<pre>${e(json(step.result, RESULT_CHARS))}</pre>`);
    const excerpt = data.outputs.get(step.index);
    if (excerpt && excerpt.lines.length > 0) {
      out.push('<p><strong>Output</strong></p>');
      const note = excerptNote(excerpt);
      if (note) out.push(`<p class="note">${e(note)}</p>`);
      out.push(`<pre>${e(excerpt.lines.map((line) => outputLine(line)).join('\n'))}</pre>`);
    }
  }

  if (run.rollbacks.length > 0) {
    out.push(
      '<h2>Rollbacks</h2>',
      '<table><tr><th>Step</th><th>Rollback</th><th>State</th><th>Started</th><th>Ended</th><th>Summary</th></tr>',
    );
    for (const rollback of run.rollbacks) {
      out.push(
        `<tr><td>${rollback.stepIndex + 1}</td><td>${e(rollback.label)}</td><td>${state(rollback.state)}</td><td>${e(time(rollback.startedAt))}</td><td>${e(time(rollback.endedAt))}</td><td>${e(rollback.summary ?? '')}</td></tr>`,
      );
    }
    out.push('</table>');
  }

  out.push('<h2>Audit trail</h2>');
  if (data.eventsTruncated)
    out.push(`<p class="note">Showing the last ${data.events.length} events of the run.</p>`);
  out.push('<table><tr><th>Time</th><th>Actor</th><th>Action</th><th>Detail</th></tr>');
  for (const event of data.events) {
    out.push(
      `<tr><td>${e(time(event.at))}</td><td>${e(event.actor)}</td><td>${e(event.action)}</td><td>${e(compactJson(event.detail))}</td></tr>`,
    );
  }
  out.push('</table>', '</body>', '</html>', '');
  return out.join('\n');
}
