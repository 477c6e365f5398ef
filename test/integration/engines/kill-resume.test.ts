/**
 * Kill the CLI with SIGKILL at random moments, resume it, and the copy completes with verify
 * reporting zero differences (issue 5, section 3), against the real servers and a real SQLite file.
 * Nothing is rewritten: every target node is at version 0, and the nodes an attempt found already
 * there (applied by a killed attempt after its last checkpoint) are at most the batches in flight.
 *
 * The kills are placed by the copy's own progress (a random number of further write batches
 * recorded in the store, plus a random delay), not by the clock: a copy of these 12k nodes takes
 * well under a second on a quiet machine and many seconds on a loaded one.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, inject, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { DEFAULT_BATCH_OPS } from '../../../electron/engines/zk-copy/copy-phase';
import {
  type CliEnded,
  type CliProcess,
  killStrayClis,
  lastJsonLine,
  startCli,
} from '../../setup/cli-process';
import { readSubtree } from './engine-test-kit';
import { registerCopyBench } from './copy-bench';

const SRC = inject('zkPrimary');
const DST = inject('zkSecondary');
const runId = `kill-${Date.now().toString(36)}`;
const PARENTS = 80;
const CHILDREN = 150;
const NODES = 1 + PARENTS * (CHILDREN + 1);
const MAX_IN_FLIGHT_BATCHES = 4;

const bench = registerCopyBench({
  label: 'kill',
  src: SRC,
  dst: DST,
  tree: { parents: PARENTS, children: CHILDREN, pad: 3, payload: (i) => randomBytes(40 + (i % 60)) },
  beforeClose: killStrayClis,
  hookMs: 120_000,
});
const { source, target, dataDir } = bench;

const dbFile = join(dataDir, 'migration-desk.db');

/** Write batches the run recorded so far (the CLI commits an audit event per settled batch). */
function recordedBatches(): number {
  if (!existsSync(dbFile)) return 0;
  let db: Database.Database | undefined;
  try {
    db = new Database(dbFile, { readonly: true, fileMustExist: true });
    const row = db
      .prepare("SELECT count(*) AS n FROM events WHERE target = ? AND action = 'zk-copy.batch'")
      .get(runId) as { n: number } | undefined;
    return row?.n ?? 0;
  } catch {
    // Not created or migrated yet: nothing recorded.
    return 0;
  } finally {
    db?.close();
  }
}

/** Resolves once `count` batches are recorded or the child ended; bounded by the child's life. */
async function whenRecorded(count: number, cli: CliProcess): Promise<void> {
  while (!cli.ended() && recordedBatches() < count) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function runExists(): boolean {
  return bench.withStore((store) => store.engineRuns.get(runId) !== undefined);
}

describe('kill -9 and resume', () => {
  it('completes with zero differences after SIGKILLs at random points, rewriting nothing', async () => {
    const first = [
      `zk://${SRC}${source}`,
      `zk://${DST}${target}`,
      '--run-id',
      runId,
      '--data-dir',
      dataDir,
      '--json',
    ];
    const resume = ['zk', 'copy', '--resume', runId, '--data-dir', dataDir, '--json'];
    let kills = 0;
    let result: CliEnded | undefined;
    // Bounded: at most 3 kills, then attempts left to finish.
    for (let attempt = 0; attempt < 6 && !result; attempt += 1) {
      const args = runExists() ? resume : ['zk', 'copy', ...first];
      const cli = startCli(args);
      if (kills < 3) {
        // The first kill lands right after the first recorded batch (so there is always one); the
        // others after 1 to 3 more, each with up to 150 ms more, i.e. anywhere in the pipeline.
        const target = recordedBatches() + (attempt === 0 ? 1 : 1 + Math.floor(Math.random() * 3));
        await whenRecorded(target, cli);
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 150)));
        const outcome = await cli.kill();
        if (outcome.signal === 'SIGKILL') {
          kills += 1;
          continue;
        }
        result = outcome;
      } else {
        result = await cli.done;
      }
    }
    expect(kills).toBeGreaterThanOrEqual(1);
    expect(result, 'the copy never finished').toBeDefined();
    expect(result!.code, result!.stderr).toBe(0);
    const summary = lastJsonLine(result!.stdout);
    expect(summary).toMatchObject({
      runId,
      status: 'completed',
      errors: 0,
      verify: { mismatched: 0, extraSource: 0, extraTarget: 0, aclMismatched: 0, matching: NODES },
    });
    // Every node counted once, whichever attempt wrote it.
    expect((summary.created as number) + (summary.unchanged as number)).toBe(NODES);
    expect(summary.unchanged as number).toBeLessThanOrEqual(
      kills * (MAX_IN_FLIGHT_BATCHES + 1) * DEFAULT_BATCH_OPS,
    );

    const copied = await readSubtree(bench.dst, target);
    expect(copied.size).toBe(NODES);
    expect(new Set([...copied.values()].map((node) => node.version))).toEqual(new Set([0]));

    // The audit trail tells the story: started once, resumed after each kill that found the run.
    bench.withStore((store) => {
      const actions = store.events.list({ target: runId, limit: 1000 }).map((event) => event.action);
      expect(actions.filter((action) => action === 'zk-copy.started')).toHaveLength(1);
      expect(actions.filter((action) => action === 'zk-copy.finished')).toHaveLength(1);
      // Every recorded batch happened; only the batches in flight at a kill can be missing from it
      // (applied on ZooKeeper, killed before their record was committed).
      const batches = store.events.list({ target: runId, actionPrefix: 'zk-copy.batch', limit: 1000 });
      const recorded = batches.reduce((sum, event) => sum + Number(event.detail.created), 0);
      expect(recorded).toBeGreaterThanOrEqual(summary.created as number);
      expect(recorded).toBeLessThanOrEqual(NODES);
      expect(NODES - recorded).toBeLessThanOrEqual(kills * (MAX_IN_FLIGHT_BATCHES + 1) * DEFAULT_BATCH_OPS);
    });
  }, 120_000);
});
