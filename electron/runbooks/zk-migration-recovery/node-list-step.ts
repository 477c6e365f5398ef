/**
 * The node list `recover -f` reads (reference §4 step 5, §6.2): the ALIVE replica servers of the
 * backup, one ip:port per line. Written here when the shell runs here; otherwise shown as a file to
 * create on the operator's shell host.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  CommandOptionError,
  posixQuote,
  recoverNodeListContents,
  recoverNodeListFile,
} from '../../pegasus/commands';
import type { StepDefinition } from '../../runner/runbook-definition';
import { messageOf } from '../pegasus-steps/cluster-profile';
import type { ZkMigrationRecoveryParams } from './params';
import { backupOf, nodeListPath, recoveryFacts, STEP } from './run-facts';
import { countOf } from '../../../shared/plural';

export const nodeListStep: StepDefinition<ZkMigrationRecoveryParams> = {
  id: STEP.nodeList,
  kind: 'action',
  title: 'Write the recover node list',
  why:
    'recover asks exactly the replica servers in this file for their tables and replicas. It is built from ' +
    'the ALIVE servers of the backup (ip:port, as the shell parses the file), so no server is forgotten and ' +
    'none is named twice.',
  async execute(ctx) {
    const found = recoveryFacts(ctx);
    if (!found.ok) return found.outcome;
    const { facts } = found;
    const path = nodeListPath(ctx, facts);
    const backup = backupOf(ctx);
    if (!backup) {
      const nodesFile = `${facts.cluster}.nodes`;
      return {
        status: 'manual',
        reason:
          'There is no backup in this run (it was taken by hand): build the list from the node list file',
        commands: [
          {
            label: `Write ${path} from the ALIVE rows of ${nodesFile} (the [parameters] and [summary] rows do not match)`,
            kind: 'shell',
            text: `awk '$2 == "ALIVE" {print $1}' ${posixQuote(nodesFile)} > ${posixQuote(path)} && cat ${posixQuote(path)}`,
          },
        ],
      };
    }
    const alive = backup.nodes.filter((node) => node.status === 'ALIVE').map((node) => node.address);
    const source = `the backup of ${new Date(backup.takenAt).toISOString()} (run ${ctx.runId.slice(0, 8)})`;
    let contents: string;
    try {
      contents = recoverNodeListContents(alive, source);
    } catch (error) {
      if (!(error instanceof CommandOptionError)) throw error;
      return {
        status: 'failed',
        summary: `Cannot write the node list: ${error.message}`,
        hint: 'The shell reads ip:port only. Resolve the names to IP addresses, write the file by hand, and skip this step with a reason.',
      };
    }
    if (!ctx.services.pegasus.shell(facts.profile.id)) {
      return {
        status: 'manual',
        reason: 'The Pegasus shell does not run here: create the file on the host where you run it',
        commands: recoverNodeListFile(alive, path, source),
      };
    }
    try {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, contents);
    } catch (error) {
      return {
        status: 'failed',
        summary: `Cannot write ${path}: ${messageOf(error)}`,
        hint: 'Fix the cause, then retry.',
      };
    }
    for (const line of contents.trimEnd().split('\n')) ctx.log(`  ${line}`);
    return {
      status: 'succeeded',
      summary: `Wrote ${countOf(alive.length, 'replica server')} to ${path}`,
      result: { file: path, nodes: alive },
    };
  },
};
