/**
 * The CLI's headless driver (what `mdesk run` and `mdesk runs resume` do) with runbooks that have
 * what subtree-migration lacks: a manual step without a check (never answered headless, exit 3 even
 * with --yes), a manual step with a check (--yes confirms, then the check runs), a warning (--yes
 * acknowledges). In process, with the real runner and store.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CliContext } from '../../../electron/cli/context';
import { EXIT_WAITING, headlessJson, runHeadless } from '../../../electron/cli/run-headless';
import type { RunbookDefinition, StepDefinition } from '../../../electron/runner/runbook-definition';
import { makeRunnerKit, type RunnerKit } from './runner-test-kit';

const kits: RunnerKit[] = [];

afterEach(async () => {
  for (const kit of kits.splice(0)) await kit.close();
});

function runbook(id: string, steps: StepDefinition[]): RunbookDefinition {
  return {
    id,
    title: id,
    summary: 'A runbook defined by the test.',
    params: [],
    schema: z.object({}),
    steps: () => steps,
  };
}

const commands = [{ label: 'On the meta host', kind: 'shell' as const, text: './run.sh stop_meta' }];

function context(kit: RunnerKit) {
  const err: string[] = [];
  const io = { stdout: () => undefined, stderr: (text: string) => void err.push(text), stderrIsTTY: false };
  return { cli: new CliContext(io, {}, kit.dir), stderr: () => err.join('') };
}

async function headless(kit: RunnerKit, runbookId: string, yes: boolean) {
  const run = kit.runner.create(runbookId, {});
  const { cli, stderr } = context(kit);
  const result = await runHeadless(cli, kit.runner, run.id, {
    yes,
    begin: () => kit.runner.start(run.id),
    onInterrupt: async () => undefined,
  });
  return { result, stderr: stderr() };
}

describe('headless runs', () => {
  it('never answers a manual step without a check, even with --yes', async () => {
    const kit = makeRunnerKit({
      runbooks: [
        runbook('pure-manual', [
          { id: 'stop', kind: 'manual', title: 'Stop the metas', why: 'w', commands: () => commands },
        ]),
      ],
    });
    kits.push(kit);
    const { result, stderr } = await headless(kit, 'pure-manual', true);
    expect(result.code).toBe(EXIT_WAITING);
    expect(stderr).toContain("Step 1 'Stop the metas' (manual) waits for the operator");
    expect(stderr).toContain('./run.sh stop_meta');
    expect(stderr).toContain('It needs a person');
    expect(headlessJson(result)).toMatchObject({
      state: 'running',
      exitCode: 3,
      step: { id: 'stop', awaiting: 'confirm', commands },
    });
  });

  it('confirms a manual step with a check and a warning with --yes, and stops without it', async () => {
    let checks = 0;
    const steps: StepDefinition[] = [
      {
        id: 'skew',
        kind: 'precheck',
        severity: 'warn',
        title: 'Clocks in step',
        why: 'w',
        execute: async () => ({ status: 'warning', summary: 'clock skew of 2 s' }),
      },
      {
        id: 'stop',
        kind: 'manual',
        title: 'Stop the followers',
        why: 'w',
        commands: () => commands,
        execute: async () => {
          checks += 1;
          return { status: 'succeeded', summary: 'one lock node left' };
        },
      },
    ];
    const kit = makeRunnerKit({ runbooks: [runbook('checked', steps)] });
    kits.push(kit);
    const without = await headless(kit, 'checked', false);
    expect(without.result.code).toBe(EXIT_WAITING);
    expect(without.stderr).toContain("Step 1 'Clocks in step' (precheck) waits for the operator");
    expect(without.stderr).toContain('mdesk runs resume');

    const withYes = await headless(kit, 'checked', true);
    expect(withYes.result.code).toBe(0);
    expect(withYes.result.run.state).toBe('completed');
    expect(withYes.result.run.steps[0]!.note).toBe('confirmed headless with mdesk --yes');
    expect(withYes.result.run.steps[1]!.outcome!.summary).toBe('one lock node left');
    expect(checks).toBe(1);
    expect(withYes.stderr).toContain('[2/2] Stop the followers: succeeded - one lock node left');
  });

  it('exits 1 with the retry, skip and abort commands when a step fails', async () => {
    const kit = makeRunnerKit({
      runbooks: [
        runbook('fails', [
          {
            id: 'broken',
            kind: 'action',
            title: 'Broken',
            why: 'w',
            execute: async () => ({
              status: 'failed',
              summary: 'meta server unreachable',
              hint: 'check the VPN',
            }),
          },
        ]),
      ],
    });
    kits.push(kit);
    const { result, stderr } = await headless(kit, 'fails', true);
    expect(result.code).toBe(1);
    expect(stderr).toContain('meta server unreachable');
    expect(stderr).toContain('check the VPN');
    expect(stderr).toMatch(/mdesk runs retry [0-9a-f]{8}/);
  });
});
