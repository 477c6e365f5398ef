/**
 * A runbook run killed mid-step (issue 6, "done when"): `mdesk run subtree-migration` is SIGKILLed
 * while its migrate step copies a ~20k-node tree; `mdesk runs resume` finds the step running, sees
 * from the engine run that the copy is not done, continues the same engine run from its checkpoints,
 * and validates at zero differences. Nothing on the target is rewritten (every node at version 0).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, inject, it } from 'vitest';
import { killStrayClis, lastJsonLine, runCli, startCli } from '../../setup/cli-process';
import { readSubtree } from '../engines/engine-test-kit';
import { registerCopyBench } from '../engines/copy-bench';
import { subtreeMigrationArgs } from './runner-test-kit';

const SRC = inject('zkPrimary');
const DST = inject('zkSecondary');
const PARENTS = 20;
const CHILDREN = 1000;
const NODES = 1 + PARENTS * (CHILDREN + 1);

const bench = registerCopyBench({
  label: 'rb-kill',
  src: SRC,
  dst: DST,
  tree: { parents: PARENTS, children: CHILDREN, pad: 2, payload: (i) => randomBytes(20 + (i % 80)) },
  beforeClose: killStrayClis,
  hookMs: 180_000,
});
const { source, target, dataDir, withStore } = bench;

/**
 * The run (the only one in the data dir) once its migrate step copies and has checkpointed some
 * nodes. Read through one read-only connection: opening the store for each poll would wait on the
 * CLI's write lock and miss a copy that takes a few seconds.
 */
function copyingRun(
  db: Database.Database,
): { runId: string; engineRunId: string; copied: number } | undefined {
  const run = db.prepare<[], { id: string }>('SELECT id FROM runs ORDER BY created_at DESC LIMIT 1').get();
  if (!run) return undefined;
  const steps = db
    .prepare<[string], { step_id: string; state: string; result: string | null }>(
      'SELECT step_id, state, result FROM run_steps WHERE run_id = ?',
    )
    .all(run.id);
  const migrate = steps.find((step) => step.step_id === 'migrate');
  const plan = steps.find((step) => step.step_id === 'plan');
  const engineRunId = plan?.result
    ? (JSON.parse(plan.result) as { result?: { engineRunId?: string } }).result?.engineRunId
    : undefined;
  if (migrate?.state !== 'running' || !engineRunId) return undefined;
  const checkpoint = db
    .prepare<[string], { done: number; state: string | null }>(
      "SELECT done, state FROM checkpoints WHERE run_id = ? AND unit = 'copy'",
    )
    .get(engineRunId);
  const state = checkpoint?.state ? (JSON.parse(checkpoint.state) as { counts?: { examined?: number } }) : {};
  const copied = Number(state.counts?.examined ?? 0);
  if (!checkpoint || checkpoint.done === 1 || copied < 1) return undefined;
  return { runId: run.id, engineRunId, copied };
}

describe('a runbook run killed mid-step', () => {
  it('resumes with mdesk runs resume and validates at zero differences', async () => {
    const cli = startCli(
      [
        'run',
        'subtree-migration',
        ...subtreeMigrationArgs({ zk: SRC, path: source }, { zk: DST, path: target }),
        '--json',
      ],
      { dataDir },
    );
    // Bounded: kill as soon as the copy is under way, or fail after 90 s.
    let seen: ReturnType<typeof copyingRun>;
    let db: Database.Database | undefined;
    const file = join(dataDir, 'migration-desk.db');
    const deadline = Date.now() + 90_000;
    try {
      while (!seen && Date.now() < deadline && !cli.ended()) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        if (!db && existsSync(file)) db = new Database(file, { readonly: true, fileMustExist: true });
        try {
          seen = db ? copyingRun(db) : undefined;
        } catch {
          // The CLI is still creating the schema.
          seen = undefined;
        }
      }
    } finally {
      db?.close();
    }
    expect(seen, 'the migrate step never got under way before the CLI ended').toBeDefined();
    const killed = await cli.kill();
    expect(killed.signal).toBe('SIGKILL');

    const interrupted = withStore((store) => ({
      run: store.runs.get(seen!.runId)!,
      migrate: store.runs.steps(seen!.runId).find((step) => step.stepId === 'migrate')!,
      engine: store.engineRuns.get(seen!.engineRunId)!,
    }));
    expect(interrupted.run.state).toBe('running');
    expect(interrupted.migrate.state).toBe('running');
    expect(interrupted.engine.state).toBe('running');

    const resumed = await runCli(['runs', 'resume', seen!.runId.slice(0, 8), '--json'], { dataDir });
    expect(resumed.code, resumed.stderr).toBe(0);
    const outcome = lastJsonLine(resumed.stdout);
    expect(outcome).toMatchObject({ runId: seen!.runId, state: 'completed' });
    expect(resumed.stderr).toContain('Migration Desk stopped while this step was running.');
    expect(resumed.stderr).toContain(`Resuming engine run ${seen!.engineRunId} from its checkpoints`);

    const final = withStore((store) => ({
      steps: store.runs.steps(seen!.runId),
      events: store.events.list({ target: `run:${seen!.runId}`, limit: 1000 }).reverse(),
      engine: store.engineRuns.get(seen!.engineRunId)!,
      engineRuns: store.engineRuns
        .list({ kind: 'zk-copy', limit: 100 })
        .filter((run) => run.id === seen!.engineRunId),
    }));
    const byId = new Map(final.steps.map((step) => [step.stepId, step]));
    expect(byId.get('migrate')).toMatchObject({ state: 'succeeded', attempts: 2 });
    const validate = (byId.get('validate')!.record as { result: Record<string, number> }).result;
    expect(validate).toMatchObject({
      matching: NODES,
      differences: 0,
      mismatched: 0,
      extraSource: 0,
      extraTarget: 0,
    });
    // The same engine run finished the copy: resumed, not restarted.
    expect(final.engine.state).toBe('completed');
    expect(final.engineRuns).toHaveLength(1);
    const actions = final.events.map((event) => event.action);
    expect(actions.filter((action) => action === 'run.recovered')).toHaveLength(1);
    const reset = final.events.find(
      (event) => event.action === 'step.reset' && event.detail.stepId === 'migrate',
    );
    expect(reset?.detail).toMatchObject({ from: 'running', to: 'pending', cause: 'restart: not done' });

    const copied = await readSubtree(bench.dst, target);
    expect(copied.size).toBe(NODES);
    expect(new Set([...copied.values()].map((node) => node.version))).toEqual(new Set([0]));
  }, 240_000);
});
