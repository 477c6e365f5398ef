/**
 * The runner's semantics with small runbooks defined here (the executors are the test's, the runner,
 * the SQLite store and the audit trail are the real ones): manual fallback, manual steps with a
 * check, gates, warnings, wait steps, skip with a reason, retry, pause, abort, rollback, precheck-only
 * runs, crash recovery, output bounds and secret masking. After each test the audit trail of every
 * step is checked to chain from 'pending' through every state it was in.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RunView } from '../../../shared/api/run-views';
import type {
  RunbookDefinition,
  StepDefinition,
  StepOutcome,
} from '../../../electron/runner/runbook-definition';
import { RunRefusal } from '../../../electron/runner/runner-errors';
import type { Runner } from '../../../electron/runner/runner';
import { refusal } from '../../setup/run-refusal';
import { makeRunnerKit, type RunnerKit, runEvents, waitForRun } from './runner-test-kit';

const kits: RunnerKit[] = [];

afterEach(async () => {
  for (const kit of kits.splice(0)) {
    // Every step's audit trail chains: from 'pending', each event's 'from' is the last 'to'.
    for (const run of kit.store.runs.list({ limit: 100 })) {
      const last = new Map<number, string>();
      for (const event of runEvents(kit.store, run.id)) {
        if (!event.action.startsWith('step.') || event.detail.from === undefined) continue;
        const index = event.detail.stepIndex as number;
        expect(event.detail.from, `${event.action} of step ${index}`).toBe(last.get(index) ?? 'pending');
        last.set(index, event.detail.to as string);
      }
      for (const step of kit.store.runs.steps(run.id)) {
        expect(last.get(step.index) ?? 'pending', `step ${step.index} of ${run.runbookId}`).toBe(step.state);
      }
    }
    await kit.close();
  }
});

function runbook(id: string, steps: StepDefinition[]): RunbookDefinition {
  return {
    id,
    title: `Test runbook ${id}`,
    summary: 'A runbook defined by the test.',
    params: [
      { name: 'label', label: 'Label', help: 'Any text', input: 'text', required: false, default: 'x' },
    ],
    schema: z.object({ label: z.string().default('x') }),
    steps: () => steps,
  };
}

function kitWith(
  runbooks: RunbookDefinition[],
  options: Parameters<typeof makeRunnerKit>[0] = {},
): RunnerKit {
  const kit = makeRunnerKit({ ...options, runbooks });
  kits.push(kit);
  return kit;
}

const ok = (summary = 'done'): StepOutcome => ({ status: 'succeeded', summary });

function step(
  id: string,
  kind: StepDefinition['kind'],
  execute?: StepDefinition['execute'],
  extra: Partial<StepDefinition> = {},
): StepDefinition {
  return {
    id,
    kind,
    title: `Step ${id}`,
    why: `Why ${id} exists.`,
    ...(execute ? { execute } : {}),
    ...extra,
  };
}

/** An executor that blocks until its signal aborts on the attempts listed, and succeeds on the others. */
function blocking(blockOn: number[], counter: { calls: number }): NonNullable<StepDefinition['execute']> {
  return async (ctx) => {
    counter.calls += 1;
    if (!blockOn.includes(counter.calls)) return ok(`attempt ${counter.calls}`);
    ctx.log(`attempt ${counter.calls} blocks until stopped`);
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    return { status: 'failed', summary: 'stopped' };
  };
}

async function idle(runner: Runner, runId: string): Promise<RunView> {
  return runner.whenIdle(runId);
}

describe('manual steps and fallbacks', () => {
  it('turns an action that cannot run here into a manual step with its commands, completed by a confirmation', async () => {
    let calls = 0;
    const kit = kitWith([
      runbook('fallback', [
        step('set-level', 'action', async () => {
          calls += 1;
          return {
            status: 'manual',
            reason: 'no Pegasus shell is configured for this cluster',
            commands: [
              { label: 'In the Pegasus shell', kind: 'pegasus-shell', text: 'set_meta_level blind' },
            ],
          };
        }),
        step('after', 'action', async () => ok()),
      ]),
    ]);
    const { runner } = kit;
    const run = runner.create('fallback', {});
    runner.start(run.id);
    const waiting = await idle(runner, run.id);
    expect(waiting.state).toBe('running');
    const manual = waiting.steps[0]!;
    expect(manual.state).toBe('waiting-for-operator');
    expect(manual.manualReason).toBe('no Pegasus shell is configured for this cluster');
    expect(manual.commands).toEqual([
      { label: 'In the Pegasus shell', kind: 'pegasus-shell', text: 'set_meta_level blind' },
    ]);
    expect(manual.awaiting).toMatchObject({ kind: 'confirm', headless: false });
    expect(manual.outcome).toEqual({
      status: 'manual',
      summary: 'no Pegasus shell is configured for this cluster',
    });
    expect(waiting.allowedActions).toEqual(['pause', 'abort', 'skip', 'confirm']);
    expect(waiting.message).toContain('Waiting for you at step 1');

    runner.confirm(run.id, { note: 'ran it on meta1, level is blind' });
    const done = await idle(runner, run.id);
    expect(done.state).toBe('completed');
    expect(done.steps[0]).toMatchObject({ state: 'succeeded', note: 'ran it on meta1, level is blind' });
    expect(done.steps[0]!.outcome!.summary).toBe(
      'Done by hand, confirmed by tester: ran it on meta1, level is blind',
    );
    // The fallback is done by the confirmation: the automation is not run again as a check.
    expect(calls).toBe(1);
  });

  it('checks a manual step after the confirmation; a failed check is retried by confirming again', async () => {
    let lockNodes = 2;
    let checks = 0;
    const kit = kitWith([
      runbook('manual-check', [
        step(
          'stop-followers',
          'manual',
          async () => {
            checks += 1;
            return lockNodes === 1
              ? ok('one lock node left')
              : {
                  status: 'failed',
                  summary: `${lockNodes} lock nodes, want 1`,
                  hint: 'Stop the other metas',
                };
          },
          {
            commands: (ctx) => [
              { label: `On each follower (${ctx.params.label})`, kind: 'shell', text: './run.sh stop_meta' },
            ],
          },
        ),
      ]),
    ]);
    const { runner } = kit;
    const run = runner.create('manual-check', { label: 'prod' });
    runner.start(run.id);
    let view = await idle(runner, run.id);
    expect(checks).toBe(0);
    expect(view.steps[0]!.commands[0]!.label).toBe('On each follower (prod)');
    expect(view.steps[0]!.awaiting).toMatchObject({ kind: 'confirm', headless: true });

    runner.confirm(run.id, { note: 'stopped meta2' });
    view = await idle(runner, run.id);
    expect(checks).toBe(1);
    expect(view.state).toBe('failed');
    expect(view.steps[0]!.outcome).toMatchObject({ status: 'failed', summary: '2 lock nodes, want 1' });

    runner.retry(run.id);
    view = await idle(runner, run.id);
    expect(view.steps[0]).toMatchObject({ state: 'waiting-for-operator', attempts: 2 });
    lockNodes = 1;
    runner.confirm(run.id, { note: 'stopped meta3 too' });
    view = await idle(runner, run.id);
    expect(view.state).toBe('completed');
    expect(view.steps[0]).toMatchObject({ state: 'succeeded', note: 'stopped meta3 too' });
    expect(checks).toBe(2);
  });
});

describe('skip, retry, warnings', () => {
  it('refuses a skip without a reason and records the reason of one', async () => {
    const kit = kitWith([
      runbook('skip', [
        step('broken', 'action', async () => ({ status: 'failed', summary: 'it broke', hint: 'fix it' })),
        step('after', 'action', async () => ok()),
      ]),
    ]);
    const { runner } = kit;
    const run = runner.create('skip', {});
    runner.start(run.id);
    expect((await idle(runner, run.id)).state).toBe('failed');
    for (const reason of ['', '   ', 'no']) {
      const error = refusal(() => runner.skip(run.id, reason));
      expect(error.field).toBe('reason');
      expect(error.message).toContain('A skip needs a reason');
    }
    expect(runner.get(run.id).steps[0]!.state).toBe('failed');
    runner.skip(run.id, 'done by hand on meta1 (ticket OPS-42)');
    const done = await idle(runner, run.id);
    expect(done.state).toBe('completed');
    expect(done.steps[0]).toMatchObject({
      state: 'skipped',
      skipReason: 'done by hand on meta1 (ticket OPS-42)',
    });
    const skipped = runEvents(kit.store, run.id).find((event) => event.action === 'step.skipped');
    expect(skipped!.detail).toMatchObject({ stepIndex: 0, reason: 'done by hand on meta1 (ticket OPS-42)' });
    expect(runner.report(run.id, 'markdown').content).toContain(
      '**Skipped because:** done by hand on meta1 (ticket OPS-42)',
    );
  });

  it('never retries a failed step by itself; retry runs it again', async () => {
    let calls = 0;
    const kit = kitWith([
      runbook('retry', [
        step('flaky', 'action', async () => {
          calls += 1;
          return calls === 1
            ? { status: 'failed', summary: 'first attempt fails' }
            : ok('second attempt works');
        }),
      ]),
    ]);
    const { runner } = kit;
    const run = runner.create('retry', {});
    runner.start(run.id);
    const failed = await idle(runner, run.id);
    expect(failed.state).toBe('failed');
    expect(failed.allowedActions).toEqual(['retry', 'skip', 'abort']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls).toBe(1);
    expect(() => runner.resume(run.id)).toThrow(/Cannot resume run .* now: it is failed/);
    runner.retry(run.id);
    const done = await idle(runner, run.id);
    expect(done.state).toBe('completed');
    expect(done.steps[0]).toMatchObject({ state: 'succeeded', attempts: 2 });
    expect(() => runner.retry(run.id)).toThrow(/Cannot retry/);
  });

  it('runs all prechecks, then waits for each warning to be acknowledged', async () => {
    let ran = 0;
    const kit = kitWith([
      runbook('warn', [
        step('clock', 'precheck', async () => ({ status: 'failed', summary: 'clock skew of 3 s' }), {
          severity: 'warn',
        }),
        step('space', 'precheck', async () => ({ status: 'warning', summary: 'disk 85 % full' }), {
          severity: 'block',
        }),
        step('act', 'action', async () => {
          ran += 1;
          return ok();
        }),
      ]),
    ]);
    const { runner } = kit;
    const run = runner.create('warn', {});
    runner.start(run.id);
    let view = await idle(runner, run.id);
    expect(view.steps.map((s) => s.state)).toEqual([
      'waiting-for-operator',
      'waiting-for-operator',
      'pending',
    ]);
    expect(view.steps[0]!.outcome).toEqual({ status: 'warning', summary: 'clock skew of 3 s' });
    expect(view.steps[0]!.awaiting).toMatchObject({ kind: 'acknowledge', headless: true });
    expect(view.allowedActions).toContain('acknowledge');
    expect(() => runner.confirm(run.id, {})).toThrow(/Cannot confirm/);
    runner.acknowledge(run.id, 'NTP fixed tomorrow');
    view = await idle(runner, run.id);
    expect(view.steps[0]).toMatchObject({ state: 'succeeded', note: 'NTP fixed tomorrow' });
    expect(view.steps[0]!.outcome!.status).toBe('warning');
    expect(ran).toBe(0);
    runner.acknowledge(run.id);
    view = await idle(runner, run.id);
    expect(view.state).toBe('completed');
    expect(ran).toBe(1);
  });

  it('runs the prechecks only when asked, then pauses before the first other step', async () => {
    let acted = 0;
    const kit = kitWith([
      runbook('check-only', [
        step('a', 'precheck', async () => ok('a fine'), { severity: 'block' }),
        step('b', 'precheck', async () => ok('b fine'), { severity: 'block' }),
        step('act', 'action', async () => {
          acted += 1;
          return ok();
        }),
      ]),
    ]);
    const { runner } = kit;
    const created = runner.create('check-only', {}, { precheckOnly: true });
    expect(created.precheckOnly).toBe(true);
    const paused = await idle(runner, created.id);
    expect(paused.state).toBe('paused');
    expect(paused.message).toContain('The prechecks are done');
    expect(paused.steps.map((s) => s.state)).toEqual(['succeeded', 'succeeded', 'pending']);
    expect(acted).toBe(0);
    runner.resume(created.id);
    expect((await idle(runner, created.id)).state).toBe('completed');
    expect(acted).toBe(1);
  });
});

describe('wait steps', () => {
  function fakeClock() {
    let clock = 1_700_000_000_000;
    return {
      now: () => clock,
      sleep: async (ms: number) => {
        clock += ms;
      },
    };
  }

  it('polls until the condition holds, showing what it waits for', async () => {
    let polls = 0;
    const kit = kitWith(
      [
        runbook('wait', [
          step(
            'lock',
            'wait',
            async () => {
              polls += 1;
              return polls < 4
                ? { status: 'pending', waitingFor: `${4 - polls} lock nodes, want 1` }
                : ok('one lock node');
            },
            { wait: { intervalMs: 1000, timeoutMs: 60_000, describe: () => 'one meta lock node' } },
          ),
        ]),
      ],
      { services: fakeClock() },
    );
    const { runner } = kit;
    const run = runner.create('wait', {});
    const progress: (string | null)[] = [];
    runner.events.on('progress', (event) => progress.push(event.waitingFor));
    runner.start(run.id);
    const done = await idle(runner, run.id);
    expect(done.state).toBe('completed');
    expect(polls).toBe(4);
    expect(progress).toEqual(['3 lock nodes, want 1', '2 lock nodes, want 1', '1 lock nodes, want 1']);
    const lines = runner.output(run.id).lines.map((line) => line.line);
    expect(lines).toContain('Waiting for: 3 lock nodes, want 1');
  });

  it('fails after its timeout with what it was still waiting for', async () => {
    let polls = 0;
    const kit = kitWith(
      [
        runbook('wait-timeout', [
          step(
            'lock',
            'wait',
            async () => {
              polls += 1;
              return { status: 'pending', waitingFor: '2 lock nodes, want 1' };
            },
            { wait: { intervalMs: 10_000, timeoutMs: 30_000, describe: () => 'one meta lock node' } },
          ),
        ]),
      ],
      { services: fakeClock() },
    );
    const { runner } = kit;
    const run = runner.create('wait-timeout', {});
    runner.start(run.id);
    const failed = await idle(runner, run.id);
    expect(failed.state).toBe('failed');
    expect(polls).toBe(4);
    expect(failed.steps[0]!.outcome).toMatchObject({
      status: 'failed',
      summary: 'Timed out after 30 s, still waiting for: 2 lock nodes, want 1',
    });
    expect(failed.steps[0]!.waitingFor).toBe('2 lock nodes, want 1');
  });
});

describe('pause, abort, rollback', () => {
  it('pauses a running step back to pending and runs it again on resume', async () => {
    const counter = { calls: 0 };
    const kit = kitWith([runbook('pause', [step('long', 'action', blocking([1], counter))])]);
    const { runner } = kit;
    const run = runner.create('pause', {});
    runner.start(run.id);
    await waitForRun(runner, run.id, (view) => view.steps[0]!.state === 'running', 10_000, 'a running step');
    const paused = await runner.pause(run.id);
    expect(paused.state).toBe('paused');
    expect(paused.steps[0]).toMatchObject({ state: 'pending', attempts: 1 });
    expect(paused.allowedActions).toEqual(['resume', 'abort', 'skip']);
    const reset = runEvents(kit.store, run.id).find((event) => event.action === 'step.reset');
    expect(reset!.detail).toMatchObject({ from: 'running', to: 'pending', cause: 'paused' });
    runner.resume(run.id);
    const done = await idle(runner, run.id);
    expect(done.state).toBe('completed');
    expect(done.steps[0]).toMatchObject({ state: 'succeeded', attempts: 2 });
  });

  it('aborts only with the run id typed back, and then for good', async () => {
    const counter = { calls: 0 };
    const kit = kitWith([runbook('abort', [step('long', 'action', blocking([1], counter))])]);
    const { runner } = kit;
    const run = runner.create('abort', {});
    runner.start(run.id);
    await waitForRun(runner, run.id, (view) => view.steps[0]!.state === 'running', 10_000, 'a running step');
    const error = await runner.abort(run.id, { confirm: 'yes' }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(RunRefusal);
    expect((error as RunRefusal).field).toBe('confirm');
    expect(runner.get(run.id).state).toBe('running');
    const aborted = await runner.abort(run.id, {
      confirm: run.id.slice(0, 8),
      reason: 'change window closed',
    });
    expect(aborted.state).toBe('aborted');
    expect(aborted.message).toBe('Aborted by tester: change window closed.');
    expect(aborted.steps[0]).toMatchObject({
      state: 'failed',
      outcome: { summary: 'Stopped: the run was aborted' },
    });
    expect(aborted.allowedActions).toEqual([]);
    expect(() => runner.resume(run.id)).toThrow(/Cannot resume/);
    expect(() => runner.retry(run.id)).toThrow(/Cannot retry/);
    expect(runEvents(kit.store, run.id).some((event) => event.action === 'run.aborted')).toBe(true);
  });

  it('offers the rollback of a step that ran, and records it', async () => {
    let rolledBack = 0;
    const kit = kitWith([
      runbook('rollback', [
        step('switch', 'action', async () => ok('switched'), {
          rollback: {
            label: 'Switch back to the source cluster',
            async execute(ctx) {
              rolledBack += 1;
              ctx.log('route restored');
              return ok('routes point at the source again');
            },
          },
        }),
        step('verify-switch', 'verify', async () => ({ status: 'failed', summary: 'clients still fail' })),
      ]),
    ]);
    const { runner } = kit;
    const run = runner.create('rollback', {});
    expect(run.rollback).toBeNull();
    runner.start(run.id);
    const failed = await idle(runner, run.id);
    expect(failed.state).toBe('failed');
    expect(failed.rollback).toEqual({ stepIndex: 0, label: 'Switch back to the source cluster' });
    expect(failed.allowedActions).toContain('rollback');
    // What the app's stream shows: the last view emitted must not still be the busy one.
    const emitted: RunView[] = [];
    const listener = (view: RunView) => {
      if (view.id === run.id) emitted.push(view);
    };
    runner.events.on('run', listener);
    runner.rollback(run.id);
    const after = await idle(runner, run.id);
    runner.events.off('run', listener);
    expect(emitted.at(-1)!.allowedActions).toEqual(expect.arrayContaining(['retry', 'abort', 'rollback']));
    expect(rolledBack).toBe(1);
    expect(after.rollbacks).toEqual([
      expect.objectContaining({
        stepIndex: 0,
        state: 'succeeded',
        summary: 'routes point at the source again',
      }),
    ]);
    expect(after.state).toBe('failed');
    expect(after.message).toContain("Rollback 'Switch back to the source cluster' succeeded");
    const actions = runEvents(kit.store, run.id).map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(['run.rollback-started', 'run.rollback-finished']));
    expect(runner.output(run.id, { index: 0 }).lines.map((line) => line.line)).toContain('route restored');
  });
});

describe('crash recovery', () => {
  it('resumes interrupted runs: a done action is found done, a read-only step runs again, an unsure one waits', async () => {
    const post: { verdict: 'done' | 'not-done' } = { verdict: 'done' };
    const first = { calls: 0 };
    const second = { calls: 0 };
    const third = { calls: 0 };
    const kit = kitWith([
      runbook('crash', [
        step('with-postcondition', 'action', blocking([1], first), {
          postcondition: async () => post.verdict,
        }),
        step('without-postcondition', 'action', blocking([1], second)),
        step('verify', 'verify', blocking([1], third)),
      ]),
    ]);
    const run = kit.runner.create('crash', {});
    kit.runner.start(run.id);
    const running = (index: number) => (view: RunView) => view.steps[index]!.state === 'running';

    // 1. Killed during an action whose effect is there: found done, not run again.
    await waitForRun(kit.runner, run.id, running(0), 10_000, 'step 1 running');
    await kit.runner.shutdown();
    expect(kit.store.runs.step(run.id, 0)!.state).toBe('running');
    let runner = kit.restart();
    expect(await runner.recover()).toEqual([run.id]);
    await waitForRun(runner, run.id, running(1), 10_000, 'step 2 running');
    const found = runner.get(run.id).steps[0]!;
    expect(found).toMatchObject({ state: 'succeeded', note: 'found done after restart' });
    expect(found.outcome!.summary).toBe('Found done after restart');
    expect(first.calls).toBe(1);

    // 2. Killed during an action that cannot tell: it waits for the operator.
    await runner.shutdown();
    runner = kit.restart();
    await runner.recover();
    let view = await idle(runner, run.id);
    expect(view.steps[1]!.state).toBe('waiting-for-operator');
    expect(view.steps[1]!.awaiting).toMatchObject({ kind: 'interrupted', headless: false });
    expect(view.allowedActions).toEqual(['pause', 'abort', 'skip', 'confirm', 'retry']);
    runner.retry(run.id);
    await waitForRun(runner, run.id, running(2), 10_000, 'step 3 running');
    expect(second.calls).toBe(2);

    // 3. Killed during a verify: it only reads, so it runs again.
    await runner.shutdown();
    runner = kit.restart();
    await runner.recover();
    view = await idle(runner, run.id);
    expect(view.state).toBe('completed');
    expect(third.calls).toBe(2);
    const recovered = runEvents(kit.store, run.id).filter((event) => event.action === 'run.recovered');
    expect(recovered).toHaveLength(3);
    expect(runner.output(run.id, { index: 0 }).lines.map((line) => line.line)).toContain(
      'Migration Desk stopped while this step was running.',
    );
  });

  it('runs an action again when its postcondition says it is not done', async () => {
    const counter = { calls: 0 };
    const kit = kitWith([
      runbook('crash-not-done', [
        step('copy', 'action', blocking([1], counter), { postcondition: async () => 'not-done' }),
      ]),
    ]);
    const run = kit.runner.create('crash-not-done', {});
    kit.runner.start(run.id);
    await waitForRun(
      kit.runner,
      run.id,
      (view) => view.steps[0]!.state === 'running',
      10_000,
      'a running step',
    );
    await kit.runner.shutdown();
    const runner = kit.restart();
    await runner.recover();
    const done = await idle(runner, run.id);
    expect(done.state).toBe('completed');
    expect(done.steps[0]).toMatchObject({ state: 'succeeded', attempts: 2 });
    expect(counter.calls).toBe(2);
  });
});

describe('output and failures', () => {
  it('bounds the stored output per step, says so, and masks secrets', async () => {
    const kit = kitWith(
      [
        runbook('chatty', [
          step('talk', 'action', async (ctx) => {
            ctx.log('MDESK_ZK_AUTH=digest:admin:hunter2 was set');
            ctx.log('password = s3cret', 'stderr');
            for (let i = 0; i < 10; i += 1) ctx.log(`line ${i}`, 'stdout');
            return ok();
          }),
        ]),
      ],
      { runner: { outputLimitPerStep: 5 } },
    );
    const { runner } = kit;
    const run = runner.create('chatty', {});
    runner.start(run.id);
    const done = await idle(runner, run.id);
    const lines = runner.output(run.id, { limit: 100 }).lines;
    expect(lines).toHaveLength(6);
    expect(lines[0]!.line).toBe('MDESK_ZK_AUTH=digest:admin:*** was set');
    expect(lines[1]).toMatchObject({ stream: 'stderr', line: 'password = ***' });
    expect(lines[5]!.line).toContain('output of this step truncated after 5 lines');
    expect(done.steps[0]!.outputLines).toBe(6);
    expect(done.steps[0]!.outputDropped).toBe(7);
    expect(JSON.stringify(kit.store.runs.output(run.id, { limit: 100 }))).not.toMatch(/hunter2|s3cret/);
    expect(runner.report(run.id, 'html').content).toContain('7 further lines were printed but not kept');
  });

  it('turns an exception into a failed step with the message, and a runbook bug into a clear failure', async () => {
    const kit = kitWith([
      runbook('throws', [
        step('boom', 'action', async () => {
          throw new Error('ZooKeeper said CONNECTION_LOSS');
        }),
      ]),
      runbook('bug', [step('nothing', 'action', async () => undefined as unknown as StepOutcome)]),
    ]);
    const { runner } = kit;
    const thrown = runner.create('throws', {});
    runner.start(thrown.id);
    const failed = await idle(runner, thrown.id);
    expect(failed.steps[0]!.outcome).toMatchObject({
      status: 'failed',
      summary: 'ZooKeeper said CONNECTION_LOSS',
    });
    expect(runner.output(thrown.id).lines).toContainEqual(
      expect.objectContaining({ stream: 'stderr', line: 'Error: ZooKeeper said CONNECTION_LOSS' }),
    );
    const bug = runner.create('bug', {});
    runner.start(bug.id);
    expect((await idle(runner, bug.id)).steps[0]!.outcome!.summary).toBe(
      'The step returned no outcome (a runbook bug)',
    );
  });

  it('refuses controls that do not apply, naming what does', async () => {
    const kit = kitWith([runbook('plain', [step('one', 'action', async () => ok())])]);
    const { runner } = kit;
    const run = runner.create('plain', {});
    const error = refusal(() => runner.resume(run.id));
    expect(error.reason).toBe('conflict');
    expect(error.message).toMatch(
      /Cannot resume run [0-9a-f]{8} now: it is draft.*Allowed now: start, abort/,
    );
    expect(refusal(() => runner.get('missing')).reason).toBe('not-found');
  });
});
