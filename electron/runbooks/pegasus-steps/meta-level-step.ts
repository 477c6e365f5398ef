/**
 * Reading and setting the meta function level from a step (reference §1.6, §6.2). The level lives
 * only in the leader's memory: `get_meta_level` through the shell asks the leader; without a shell
 * `/meta/cluster`'s `meta_function_level` says the same over HTTP; with neither the step becomes
 * manual. Setting needs the shell (there is no HTTP call for it).
 */
import type { PegasusProfile } from '../../../shared/api/pegasus-profile';
import type { GeneratedCommand } from '../../../shared/api/runs';
import { getMetaLevelCommand, setMetaLevelCommand } from '../../pegasus/commands';
import {
  type MetaLevel,
  normalizeMetaLevel,
  parseGetMetaLevel,
  parseSetMetaLevel,
} from '../../pegasus/shell-output';
import type { StepOutcome } from '../../runner/runbook-definition';
import type { AnyStepContext } from './cluster-profile';
import { readMetaCluster } from './meta-http-step';
import { manualShellOutcome, parsedOrFailure, runShellCommand } from './shell-step';

type Failed = Extract<StepOutcome, { status: 'failed' }>;
type Manual = Extract<StepOutcome, { status: 'manual' }>;

export type LevelRead =
  | { kind: 'level'; level: MetaLevel | null; raw: string; via: 'shell' | 'meta-http' }
  | { kind: 'failed'; outcome: Failed }
  /** Neither the shell nor HTTP could answer: the reasons, for a manual fallback. */
  | { kind: 'unavailable'; reason: string };

/** The shell's get_meta_level; when there is no shell, /meta/cluster. */
export async function readMetaLevel(ctx: AnyStepContext, profile: PegasusProfile): Promise<LevelRead> {
  const shell = await runShellCommand(ctx, profile, getMetaLevelCommand(), { timeoutMs: 60_000 });
  if (shell.kind === 'failed') return { kind: 'failed', outcome: shell.outcome };
  if (shell.kind === 'output') {
    const parsed = parsedOrFailure(ctx, profile, parseGetMetaLevel(shell.text));
    if (!parsed.ok) return { kind: 'failed', outcome: parsed.outcome };
    return { kind: 'level', level: parsed.value.level, raw: parsed.value.levelRaw, via: 'shell' };
  }
  ctx.log(`${shell.reason}; reading the level over meta HTTP instead`);
  const http = await readMetaCluster(ctx, profile);
  if (http.ok) {
    const raw = http.value.metaFunctionLevel ?? '';
    ctx.log(`${http.server} /meta/cluster: meta_function_level = ${raw || '(absent)'}`);
    return { kind: 'level', level: normalizeMetaLevel(raw), raw, via: 'meta-http' };
  }
  ctx.log(`Meta HTTP: ${http.reason}`, 'stderr');
  return { kind: 'unavailable', reason: `${shell.reason}, and ${http.reason}` };
}

export type LevelSet =
  | { kind: 'set'; before: MetaLevel | null; beforeRaw: string; after: MetaLevel | null; afterRaw: string }
  | { kind: 'failed'; outcome: Failed }
  | { kind: 'manual'; outcome: Manual };

/**
 * get_meta_level, set_meta_level, get_meta_level: each its own shell run, so each output is parsed
 * alone. The read-back is the proof: `control meta level ok` only says the leader got the request.
 */
export async function setMetaLevel(
  ctx: AnyStepContext,
  profile: PegasusProfile,
  level: MetaLevel,
  manualCommands: readonly GeneratedCommand[],
): Promise<LevelSet> {
  const get = async (): Promise<
    { ok: true; level: MetaLevel | null; raw: string } | { ok: false; result: LevelSet }
  > => {
    const run = await runShellCommand(ctx, profile, getMetaLevelCommand(), { timeoutMs: 60_000 });
    if (run.kind === 'unavailable')
      return {
        ok: false,
        result: { kind: 'manual', outcome: manualShellOutcome(profile, run.reason, manualCommands) },
      };
    if (run.kind === 'failed') return { ok: false, result: { kind: 'failed', outcome: run.outcome } };
    const parsed = parsedOrFailure(ctx, profile, parseGetMetaLevel(run.text));
    if (!parsed.ok) return { ok: false, result: { kind: 'failed', outcome: parsed.outcome } };
    return { ok: true, level: parsed.value.level, raw: parsed.value.levelRaw };
  };
  const before = await get();
  if (!before.ok) return before.result;
  const set = await runShellCommand(ctx, profile, setMetaLevelCommand(level), { timeoutMs: 60_000 });
  if (set.kind === 'unavailable')
    return { kind: 'manual', outcome: manualShellOutcome(profile, set.reason, manualCommands) };
  if (set.kind === 'failed') return { kind: 'failed', outcome: set.outcome };
  const reply = parsedOrFailure(ctx, profile, parseSetMetaLevel(set.text));
  if (!reply.ok) return { kind: 'failed', outcome: reply.outcome };
  if (reply.value.oldLevel !== before.level) {
    ctx.log(
      `Note: get_meta_level said ${before.raw} but set_meta_level says the old level was ${reply.value.oldLevelRaw}`,
    );
  }
  const after = await get();
  if (!after.ok) return after.result;
  return {
    kind: 'set',
    before: before.level,
    beforeRaw: before.raw,
    after: after.level,
    afterRaw: after.raw,
  };
}
