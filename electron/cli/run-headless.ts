/**
 * Running a runbook headless (issue 6 item 7): step transitions, output and progress on stderr; the
 * run goes on until it completes, fails, or reaches a step that waits for the operator. With --yes
 * the CLI answers what can be answered headless (a gate, a warning, a manual step that checks its own
 * result: RunView's `awaiting.headless`, the same rule the app shows); anything else stops with exit
 * code 3 and names the step. Ctrl-C pauses the run (its step settles at a checkpoint) and exits 130.
 */
import type { RunOutputLine, RunProgressEvent, RunView, StepView } from '../../shared/api/run-views';
import type { StepProgressView } from '../../shared/api/runs';
import type { Runner } from '../runner/runner';
import { EXIT } from './command';
import type { CliContext } from './context';

/** A step waits for the operator and the CLI could not answer it. */
export const EXIT_WAITING = 3;

const number = new Intl.NumberFormat('en-US');

export function formatStepProgress(progress: StepProgressView): string {
  const parts: string[] = [];
  if (progress.label) parts.push(progress.label);
  parts.push(
    progress.total !== null
      ? `${number.format(progress.done)}/${number.format(progress.total)} ${progress.unit}${progress.fraction !== null ? ` (${(Math.floor(progress.fraction * 1000) / 10).toFixed(1)}%)` : ''}`
      : `${number.format(progress.done)} ${progress.unit}`,
  );
  if (progress.ratePerSec !== null) parts.push(`${number.format(Math.round(progress.ratePerSec))}/s`);
  if (progress.etaSeconds !== null) parts.push(`ETA ${progress.etaSeconds} s`);
  return parts.join(', ');
}

/** Prints what happens to a run on stderr: transitions once each, output lines, throttled progress. */
class HeadlessPrinter {
  private readonly states = new Map<number, string>();
  private runState: string | null = null;
  private lastProgress = 0;
  private lastLine = '';
  private drawn = false;

  constructor(
    private readonly context: CliContext,
    private readonly runId: string,
    private readonly intervalMs = context.io.stderrIsTTY ? 200 : 2000,
  ) {}

  private write(line: string): void {
    this.endRedraw();
    this.context.io.stderr(`${line}\n`);
  }

  private endRedraw(): void {
    if (this.drawn) this.context.io.stderr('\n');
    this.drawn = false;
  }

  onRun = (run: RunView): void => {
    if (run.id !== this.runId) return;
    for (const step of run.steps) {
      const key = `${step.state}:${step.attempts}`;
      if (this.states.get(step.index) === key) continue;
      const first = !this.states.has(step.index);
      this.states.set(step.index, key);
      if (first && step.state === 'pending') continue;
      this.write(`${stepLabel(run, step)}: ${describeStep(step)}`);
    }
    if (run.state !== this.runState) {
      const first = this.runState === null;
      this.runState = run.state;
      if (!first && run.state !== 'running') this.write(`Run ${run.id.slice(0, 8)}: ${run.state}`);
    }
  };

  onOutput = (line: RunOutputLine): void => {
    if (line.runId !== this.runId) return;
    this.write(`    ${line.stream === 'stderr' ? '! ' : ''}${line.line}`);
  };

  onProgress = (event: RunProgressEvent): void => {
    if (event.runId !== this.runId || !event.progress) return;
    const now = Date.now();
    const final = event.progress.fraction === 1;
    if (!final && now - this.lastProgress < this.intervalMs) return;
    this.lastProgress = now;
    const line = `    ${formatStepProgress(event.progress)}`;
    if (line === this.lastLine) return;
    this.lastLine = line;
    if (this.context.io.stderrIsTTY) {
      this.context.io.stderr(`\r\u001b[2K${line}`);
      this.drawn = true;
    } else {
      this.context.io.stderr(`${line}\n`);
    }
  };

  finish(): void {
    this.endRedraw();
  }
}

function stepLabel(run: RunView, step: StepView): string {
  return `[${step.index + 1}/${run.steps.length}] ${step.title}`;
}

function describeStep(step: StepView): string {
  switch (step.state) {
    case 'running':
      return step.attempts > 1 ? `running (attempt ${step.attempts})` : 'running';
    case 'waiting-for-operator':
      return `waiting for the operator: ${step.awaiting?.prompt ?? ''}`;
    case 'skipped':
      return `skipped: ${step.skipReason ?? ''}`;
    case 'pending':
      return 'pending';
    default:
      return `${step.state}${step.outcome ? ` - ${step.outcome.summary}${step.outcome.hint && step.state === 'failed' ? ` (${step.outcome.hint})` : ''}` : ''}`;
  }
}

export interface HeadlessResult {
  run: RunView;
  code: number;
}

/** The JSON object `run --json` and `runs resume --json` print last. */
export function headlessJson(result: HeadlessResult): Record<string, unknown> {
  const { run } = result;
  const step = run.currentStep === null ? undefined : run.steps[run.currentStep];
  return {
    runId: run.id,
    runbook: run.runbookId,
    state: run.state,
    exitCode: result.code,
    message: run.message,
    step: step
      ? {
          index: step.index,
          id: step.id,
          title: step.title,
          kind: step.kind,
          state: step.state,
          awaiting: step.awaiting?.kind ?? null,
          commands: step.commands,
        }
      : null,
    allowedActions: run.allowedActions,
  };
}

/**
 * Drives `runId` (already started or resumed by `begin`) until it ends or waits for the operator.
 * Returns the exit code: 0 completed (or paused after a precheck-only check), 1 failed or aborted,
 * 3 waiting for the operator.
 */
export async function runHeadless(
  context: CliContext,
  runner: Runner,
  runId: string,
  options: { yes: boolean; begin: () => unknown; onInterrupt: () => Promise<void> },
): Promise<HeadlessResult> {
  const printer = new HeadlessPrinter(context, runId);
  runner.events.on('run', printer.onRun);
  runner.events.on('output', printer.onOutput);
  runner.events.on('progress', printer.onProgress);
  let interrupted = 0;
  const onSigint = () => {
    interrupted += 1;
    if (interrupted > 1) process.exit(130);
    printer.finish();
    context.io.stderr(
      'Pausing: the running step settles at a checkpoint (Ctrl-C again to quit at once)...\n',
    );
    runner
      .pause(runId)
      .catch(() => undefined)
      .then(async () => {
        context.io.stderr(`Paused. Resume with: mdesk runs resume ${runId}\n`);
        await options.onInterrupt();
        process.exit(130);
      });
  };
  process.on('SIGINT', onSigint);
  try {
    printer.onRun(runner.get(runId));
    await options.begin();
    for (;;) {
      const run = await runner.whenIdle(runId);
      printer.onRun(run);
      switch (run.state) {
        case 'completed':
          return { run, code: EXIT.ok };
        case 'failed':
        case 'aborted':
          printer.finish();
          context.io.stderr(`${run.message ?? `The run ${run.state}.`}\n`);
          if (run.state === 'failed') {
            context.io.stderr(
              `Then: mdesk runs retry ${run.id.slice(0, 8)}, or mdesk runs skip ${run.id.slice(0, 8)} --reason TEXT, or mdesk runs abort ${run.id.slice(0, 8)} --yes\n`,
            );
          }
          return { run, code: EXIT.failed };
        case 'paused':
          printer.finish();
          context.io.stderr(
            `${run.message ?? 'Paused.'}\nContinue with: mdesk runs resume ${run.id.slice(0, 8)}\n`,
          );
          return { run, code: run.precheckOnly ? EXIT.ok : EXIT_WAITING };
        case 'draft':
          return { run, code: EXIT.failed };
        case 'running': {
          const step = run.currentStep === null ? undefined : run.steps[run.currentStep];
          const awaiting = step?.state === 'waiting-for-operator' ? step.awaiting : null;
          if (!step || !awaiting) {
            printer.finish();
            context.io.stderr(`${run.message ?? 'The run is driven elsewhere.'}\n`);
            return { run, code: EXIT.failed };
          }
          if (options.yes && awaiting.headless) {
            const note = 'confirmed headless with mdesk --yes';
            context.io.stderr(`${stepLabel(run, step)}: --yes answers it (${awaiting.kind})\n`);
            if (awaiting.kind === 'acknowledge') runner.acknowledge(runId, note);
            else
              runner.confirm(runId, {
                note,
                ...(awaiting.expectedText ? { text: awaiting.expectedText } : {}),
              });
            continue;
          }
          printer.finish();
          const lines = [
            `Step ${step.index + 1} '${step.title}' (${step.kind}) waits for the operator: ${awaiting.prompt}`,
          ];
          for (const command of step.commands)
            lines.push(`  ${command.label}:`, `    ${command.text.split('\n').join('\n    ')}`);
          lines.push(
            awaiting.kind === 'interrupted'
              ? // An interrupted action can be run again from here; only "it finished" needs the app.
                `Run it again with: mdesk runs retry ${run.id.slice(0, 8)}, or, if you checked that it finished, confirm it in Migration Desk (Migrations, this run).`
              : awaiting.headless
                ? `Answer it with: mdesk runs resume ${run.id.slice(0, 8)} --yes (or in Migration Desk)`
                : 'It needs a person: confirm it in Migration Desk (Migrations, this run) once it is done.',
          );
          context.io.stderr(`${lines.join('\n')}\n`);
          return { run, code: EXIT_WAITING };
        }
      }
    }
  } finally {
    process.off('SIGINT', onSigint);
    runner.events.off('run', printer.onRun);
    runner.events.off('output', printer.onOutput);
    runner.events.off('progress', printer.onProgress);
    printer.finish();
  }
}
