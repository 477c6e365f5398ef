/**
 * subtree-migration's prechecks. They only read, so they all run at once and the operator sees
 * every problem in one go: the source path is there, the target answers, the target connection may
 * be written to, and the target path is empty (or mirror mode was chosen knowingly).
 */
import type { StepDefinition, StepOutcome } from '../../runner/runbook-definition';
import type { RunConnection } from '../../runner/run-services';
import type { SubtreeContext } from './engine-bridge';
import { endpointsOverlap } from './endpoint-overlap';
import type { SubtreeMigrationParams } from './params';
import { countOf } from '../../../shared/plural';

type Step = StepDefinition<SubtreeMigrationParams>;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Resolves a connection parameter, or the failed outcome that says what is wrong with it. */
function connectionOrFailure(
  ctx: SubtreeContext,
  ref: string,
  role: string,
): { connection: RunConnection } | { failure: StepOutcome } {
  try {
    return { connection: ctx.services.connection(ref) };
  } catch (error) {
    return {
      failure: {
        status: 'failed',
        summary: `The ${role} connection '${ref}' cannot be used: ${messageOf(error)}`,
        hint: 'Create a run with an existing connection.',
      },
    };
  }
}

export const precheckSource: Step = {
  id: 'precheck-source',
  kind: 'precheck',
  severity: 'block',
  title: 'Source reachable, path exists',
  why:
    'A copy of a path that does not exist copies nothing and would look like a success. This reads the ' +
    'source path once over the source connection, which also proves the ensemble answers.',
  async execute(ctx) {
    const resolved = connectionOrFailure(ctx, ctx.params.source, 'source');
    if ('failure' in resolved) return resolved.failure;
    const { connection } = resolved;
    const path = ctx.params.sourcePath;
    try {
      const session = await ctx.services.zk(ctx.params.source);
      const stat = await session.exists(path);
      if (!stat) {
        return {
          status: 'failed',
          summary: `The source path ${path} does not exist on ${connection.label}`,
          hint: 'Check the path (paths are case-sensitive) and the connection, then retry this step.',
        };
      }
      if (stat.ephemeralOwner !== '0x0') {
        return {
          status: 'failed',
          summary: `The source path ${path} is an ephemeral node: it belongs to a live session and cannot be migrated`,
          hint: 'Choose the persistent parent that holds the data.',
        };
      }
      return {
        status: 'succeeded',
        summary: `${connection.label}${path} exists (${countOf(stat.numChildren, 'child', 'children')}, ${stat.dataLength} data bytes)`,
        result: { children: stat.numChildren, dataLength: stat.dataLength, source: connection.label },
      };
    } catch (error) {
      return {
        status: 'failed',
        summary: `Cannot read the source ${connection.label}: ${messageOf(error)}`,
        hint: 'Check the address, the network or SSH tunnel, and the credential, then retry this step.',
      };
    }
  },
};

export const precheckTarget: Step = {
  id: 'precheck-target',
  kind: 'precheck',
  severity: 'block',
  title: 'Target reachable, separate from the source',
  why:
    'The target ensemble must answer before anything starts, and the target path must not overlap the ' +
    'source path on the same ensemble: a copy into its own subtree would copy what it writes.',
  async execute(ctx) {
    const resolvedTarget = connectionOrFailure(ctx, ctx.params.target, 'target');
    if ('failure' in resolvedTarget) return resolvedTarget.failure;
    const target = resolvedTarget.connection;
    const resolvedSource = connectionOrFailure(ctx, ctx.params.source, 'source');
    if ('failure' in resolvedSource) return resolvedSource.failure;
    const sourceEnd = resolvedSource.connection.endpoint(ctx.params.sourcePath);
    const targetEnd = target.endpoint(ctx.params.targetPath);
    if (endpointsOverlap(sourceEnd, targetEnd)) {
      return {
        status: 'failed',
        summary: `The source ${sourceEnd.path} and the target ${targetEnd.path} overlap on the same ensemble`,
        hint: 'Choose a target path outside the source subtree (and the source outside the target).',
      };
    }
    try {
      const session = await ctx.services.zk(ctx.params.target);
      await session.exists('/');
      return {
        status: 'succeeded',
        summary: `${target.label} answers`,
        result: { target: target.label },
      };
    } catch (error) {
      return {
        status: 'failed',
        summary: `Cannot reach the target ${target.label}: ${messageOf(error)}`,
        hint: 'Check the address, the network or SSH tunnel, and the credential, then retry this step.',
      };
    }
  },
};

export const precheckTargetWritable: Step = {
  id: 'precheck-target-writable',
  kind: 'precheck',
  severity: 'block',
  title: 'Target connection is read-write',
  why:
    'Connections are read-only until the operator switches them: a migration must not be the way a ' +
    'read-only connection gets written to. Checked now rather than failing halfway through the copy.',
  async execute(ctx) {
    const resolved = connectionOrFailure(ctx, ctx.params.target, 'target');
    if ('failure' in resolved) return resolved.failure;
    const { connection } = resolved;
    if (connection.readOnly) {
      return {
        status: 'failed',
        summary: `The target connection ${connection.label} is read-only`,
        hint: `Switch ${connection.label} to read-write in Migration Desk (Connections, then the lock switch; you type its name to confirm), then retry this step.`,
      };
    }
    return { status: 'succeeded', summary: `${connection.label} may be written to` };
  },
};

export const precheckTargetEmpty: Step = {
  id: 'precheck-target-empty',
  kind: 'precheck',
  severity: 'block',
  title: 'Target path empty (or mirror chosen)',
  why:
    'In create-only mode the target path must be empty or absent, so that everything under it afterwards ' +
    'came from this migration and validate compares like with like. Mirror mode makes a non-empty target ' +
    'equal to the source, deleting what the source lacks, and asks for a typed confirmation first.',
  async execute(ctx) {
    const resolved = connectionOrFailure(ctx, ctx.params.target, 'target');
    if ('failure' in resolved) return resolved.failure;
    const { connection } = resolved;
    const path = ctx.params.targetPath;
    try {
      const session = await ctx.services.zk(ctx.params.target);
      const stat = await session.exists(path);
      if (!stat) {
        return {
          status: 'succeeded',
          summary: `${connection.label}${path} does not exist yet: it will be created`,
          result: { exists: false, children: 0 },
        };
      }
      if (stat.numChildren === 0) {
        return {
          status: 'succeeded',
          summary: `${connection.label}${path} exists and is empty`,
          result: { exists: true, children: 0 },
        };
      }
      if (ctx.params.mode === 'mirror') {
        return {
          status: 'succeeded',
          summary: `${connection.label}${path} has ${countOf(stat.numChildren, 'child', 'children')}: mirror mode will make it equal to the source (the plan counts the deletes; you confirm before anything is written)`,
          result: { exists: true, children: stat.numChildren },
        };
      }
      return {
        status: 'failed',
        summary: `${connection.label}${path} is not empty (${countOf(stat.numChildren, 'child', 'children')}) and the mode is create-only`,
        hint: 'Choose an empty or new target path, empty this one, or create a new run in mirror mode (it deletes what the source lacks, after a typed confirmation).',
        result: { exists: true, children: stat.numChildren },
      };
    } catch (error) {
      return {
        status: 'failed',
        summary: `Cannot read the target path on ${connection.label}: ${messageOf(error)}`,
        hint: 'Check the connection and its credential, then retry this step.',
      };
    }
  },
};
