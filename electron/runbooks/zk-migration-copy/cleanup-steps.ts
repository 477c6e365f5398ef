/**
 * The end of zk-migration-copy: the old cluster root is exported (the backup that must exist before
 * anything is deleted) and deleted with the engine's cleanup, behind a gate where the operator types
 * the number of nodes the old tree has. Nothing is deleted while any meta still holds a lock node on
 * the old ensemble (a meta there would be serving the tree about to go), nor when the export's count
 * is not the one confirmed (the tree changed since).
 */
import { randomUUID } from 'node:crypto';
import { joinZkPath } from '../../../shared/zk-path';
import type { RunView as EngineRunView } from '../../engines/zk-copy/types';
import { BoundedReads } from '../../pegasus/bounded-reads';
import type { StepDefinition, StepOutcome } from '../../runner/runbook-definition';
import type { JsonObject } from '../../store/types';
import type { ZkSessionLike } from '../../zk/types';
import { messageOf } from '../pegasus-steps/cluster-profile';
import { describeHolders, readLockFacts } from '../pegasus-steps/meta-lock-step';
import { followEngineRun, type SubtreeContext } from '../subtree-migration/engine-bridge';
import type { ZkMigrationCopyParams } from './params';
import { type CopyContext, clusterFacts, STEP } from './run-facts';

type Step = StepDefinition<ZkMigrationCopyParams>;

const number = new Intl.NumberFormat('en-US');

/** Every node under (and including) `root`, level by level; throws when one cannot be listed. */
export async function countSubtree(
  session: ZkSessionLike,
  root: string,
  signal: AbortSignal,
): Promise<number> {
  const reads = new BoundedReads(session, 32, signal);
  let count = 0;
  let level = [root];
  while (level.length > 0) {
    const next: string[] = [];
    await Promise.all(
      level.map(async (path) => {
        const listed = await reads.getChildren(path);
        if (listed.kind === 'missing') return;
        if (listed.kind === 'denied') throw new Error(`${path} cannot be listed: ${listed.message}`);
        count += 1;
        for (const child of listed.value) next.push(joinZkPath(path, child));
      }),
    );
    level = next;
  }
  return count;
}

/** Refuses while a meta holds a lock node on the old ensemble. */
async function oldLockEmpty(ctx: CopyContext, ref: string, root: string): Promise<string | null> {
  const read = await readLockFacts(ctx, ref, root);
  if (!read.ok) return `Cannot read the meta lock on the old ensemble: ${read.reason}`;
  if (read.facts.holders.length > 0) {
    return `A meta server still holds a lock node on the old ensemble (${describeHolders(read.facts)}): it still uses the old tree`;
  }
  return null;
}

function confirmedCount(ctx: CopyContext): number | null {
  const count = ctx.results[STEP.cleanupGate]?.nodeCount;
  return typeof count === 'number' && Number.isInteger(count) ? count : null;
}

export const confirmCleanupStep: Step = {
  id: STEP.cleanupGate,
  kind: 'gate',
  title: 'Confirm the deletion of the old tree',
  why:
    'Deleting the old cluster root is the one step that cannot be undone (the export taken first is the way ' +
    'back). The old tree is counted now, with no meta server left on the old ensemble; typing that count is ' +
    'the confirmation, and the deletion is refused if the tree then has another count.',
  async confirmText(ctx) {
    const found = clusterFacts(ctx);
    if (!found.ok) throw new Error(found.outcome.summary);
    const { facts } = found;
    const busy = await oldLockEmpty(ctx, facts.sourceRef, facts.root);
    if (busy) throw new Error(`${busy}. Stop it (or point it at the new ensemble), then retry this step.`);
    const session = await ctx.services.zk(facts.sourceRef);
    return String(await countSubtree(session, facts.root, ctx.signal));
  },
  async execute(ctx) {
    const typed = Number(ctx.operator?.confirmedText ?? '');
    return {
      status: 'succeeded',
      summary: `Deletion of ${number.format(typed)} nodes confirmed`,
      result: { nodeCount: typed },
    };
  },
};

/** A cleanup engine run of this root that stopped before its end (paused, failed, interrupted), to go on with. */
function unfinishedCleanup(ctx: CopyContext, connectString: string, root: string): EngineRunView | null {
  const runs = ctx.services.copyEngine.list({ kind: 'zk-cleanup', limit: 50 });
  return (
    runs.find((run) => {
      const target = (run.params as { target?: { connectString?: string; path?: string } }).target;
      const cleanup = run.result?.cleanup as { exportFile?: string; confirmed?: number } | undefined;
      return (
        target?.connectString === connectString &&
        target.path === root &&
        cleanup?.exportFile !== undefined &&
        cleanup.confirmed !== undefined &&
        (run.state === 'paused' || run.state === 'failed' || (run.state === 'running' && run.interrupted))
      );
    }) ?? null
  );
}

export const cleanupOldTreeStep: Step = {
  id: 'cleanup-old-tree',
  kind: 'action',
  title: 'Export the old tree, then delete it',
  why:
    'Left in place, the old tree is a trap: a meta started by mistake with the old hosts_list would lead it ' +
    'and serve stale metadata. The engine exports it first (a file in the exports folder, the way back), ' +
    'then deletes it in batches, children first; a stopped deletion continues from its checkpoint.',
  async postcondition(ctx) {
    const found = clusterFacts(ctx);
    if (!found.ok) return 'not-done';
    const session = await ctx.services.zk(found.facts.sourceRef);
    return (await session.exists(found.facts.root)) ? 'not-done' : 'done';
  },
  async execute(ctx): Promise<StepOutcome> {
    const found = clusterFacts(ctx);
    if (!found.ok) return found.outcome;
    const { facts } = found;
    const count = confirmedCount(ctx);
    if (count === null) {
      return {
        status: 'failed',
        summary: 'The deletion was not confirmed (its gate was skipped): nothing is deleted',
        hint: 'Skip this step too to keep the old tree, or start a new run to delete it.',
      };
    }
    const connection = ctx.services.connection(facts.sourceRef);
    if (connection.readOnly) {
      return {
        status: 'failed',
        summary: `The source connection ${connection.label} is read-only: nothing is deleted`,
        hint: `Switch ${connection.label} to read-write (Connections, the lock switch), then retry this step.`,
      };
    }
    const busy = await oldLockEmpty(ctx, facts.sourceRef, facts.root);
    if (busy)
      return {
        status: 'failed',
        summary: `${busy}: nothing is deleted`,
        hint: 'Stop that meta server, then retry this step.',
      };
    const engine = ctx.services.copyEngine;
    const endpoint = connection.endpoint(facts.root);
    let view = unfinishedCleanup(ctx, endpoint.connectString, facts.root);
    if (view) {
      ctx.log(`Continuing cleanup engine run ${view.id} from its checkpoint (it was ${view.state})`);
    } else {
      ctx.log(`Exporting ${connection.label}${facts.root} before deleting it`);
      const cleanupId = randomUUID();
      const onProgress = (event: { runId: string; done: number }) => {
        if (event.runId === cleanupId)
          ctx.progress({ done: event.done, total: count, unit: 'nodes', label: 'exporting' });
      };
      engine.events.on('progress', onProgress);
      try {
        view = await engine.prepareCleanup(endpoint, { runId: cleanupId });
      } catch (error) {
        return {
          status: 'failed',
          summary: `The export was refused: ${messageOf(error)}`,
          hint: 'Fix the cause, then retry this step.',
        };
      } finally {
        engine.events.off('progress', onProgress);
      }
      const prepared = view.result?.cleanup as { exportFile?: string; nodeCount?: number } | undefined;
      if (view.state !== 'planned' || !prepared?.exportFile) {
        return {
          status: 'failed',
          summary: `The export of the old tree failed: ${view.result?.error?.message ?? view.state}. Nothing was deleted`,
          hint: 'Fix the cause (disk space, credentials), then retry this step.',
        };
      }
      ctx.log(`Exported ${number.format(prepared.nodeCount ?? 0)} nodes to ${prepared.exportFile}`);
      if (prepared.nodeCount !== count) {
        return {
          status: 'failed',
          summary: `The old tree has ${number.format(prepared.nodeCount ?? 0)} nodes now, but ${number.format(count)} were confirmed: something changed it since. Nothing was deleted`,
          hint: 'Find what still writes the old tree (a meta on the old config, a DDL). The export is kept; start a new run to delete it.',
          result: { exportFile: prepared.exportFile, exported: prepared.nodeCount ?? 0 },
        };
      }
    }
    const id = view.id;
    const final = await followEngineRun(
      ctx as unknown as SubtreeContext,
      id,
      () => engine.start(id, { confirmNodeCount: count }),
      { onStop: 'pause' },
    );
    if (!final) return { status: 'failed', summary: 'Stopped; the deletion is paused at its checkpoint' };
    const cleanup = final.result?.cleanup as { exportFile?: string; deleted?: number } | undefined;
    const result: JsonObject = {
      engineRunId: id,
      exportFile: cleanup?.exportFile ?? null,
      deleted: cleanup?.deleted ?? 0,
    };
    if (final.state !== 'completed') {
      return {
        status: 'failed',
        summary: final.result?.error?.message ?? `The cleanup engine run ended ${final.state}`,
        hint: 'Fix the cause, then retry this step (it continues from its checkpoint).',
        result,
      };
    }
    return {
      status: 'succeeded',
      summary: `Deleted ${number.format(Number(result.deleted))} nodes of ${connection.label}${facts.root}; the export is ${result.exportFile}`,
      result,
    };
  },
};
