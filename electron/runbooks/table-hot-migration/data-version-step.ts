/**
 * The data-version precheck of a hot migration (reference §3.5 step 1): admin-cli table-migrator
 * refuses any table whose replicas do not all answer `data_version == 1` on replica HTTP
 * `/replica/data_version?app_id=`. Every replica answers for the partitions it holds, so one server
 * down still leaves each partition reported by its other replicas.
 *
 * When no replica server can be asked (the profile has no meta servers, the meta does not answer
 * `/meta/nodes`, or no replica server answers), this step warns (the operator acknowledges it) and
 * the check moves to the manual step after it (check-clients), which then shows the curl commands
 * and why they are needed. The result's `checked` says which happened.
 */
import type { PegasusProfile } from '../../../shared/api/pegasus-profile';
import {
  type DataVersionSurvey,
  describeFailedServers,
  describeIndexes,
  surveyDataVersion,
} from '../../pegasus/replica-http';
import type { StepDefinition, StepOutcome } from '../../runner/runbook-definition';
import type { JsonObject } from '../../store/types';
import { lookUpProfile } from '../pegasus-steps/cluster-profile';
import { replicaServersOf } from '../table-steps/replica-servers';
import { loadSourceTable } from '../table-steps/source-table';
import type { TableHotMigrationParams } from './params';
import { HOT_STEP, type HotContext } from './run-facts';

type Step = StepDefinition<TableHotMigrationParams>;

/** What check-clients reads of this step: whether the data version still needs a hand check, and where. */
export interface DataVersionFacts {
  checked: boolean | 'partial';
  reason?: string;
  /** host:port of servers to ask by hand (those that failed); empty: the servers are unknown. */
  askByHand?: string[];
}

export function dataVersionFactsOf(ctx: HotContext): DataVersionFacts | null {
  const found = ctx.results[HOT_STEP.dataVersion] as
    | { checked?: unknown; reason?: unknown; askByHand?: unknown }
    | undefined;
  if (!found || (found.checked !== true && found.checked !== false && found.checked !== 'partial'))
    return null;
  return {
    checked: found.checked,
    reason: typeof found.reason === 'string' ? found.reason : undefined,
    askByHand: Array.isArray(found.askByHand)
      ? found.askByHand.filter((s): s is string => typeof s === 'string')
      : [],
  };
}

async function tableOf(ctx: HotContext): Promise<{ appId: number; partitionCount: number } | StepOutcome> {
  const source = ctx.results[HOT_STEP.source] as { appId?: unknown; partitionCount?: unknown } | undefined;
  if (typeof source?.appId === 'number' && typeof source.partitionCount === 'number') {
    return { appId: source.appId, partitionCount: source.partitionCount };
  }
  const found = await loadSourceTable(ctx, ctx.params.profile, ctx.params.table);
  if (!found.ok) return found.outcome;
  return { appId: found.value.table.appId, partitionCount: found.value.table.partitionCount };
}

/**
 * A warning, not a pass: a green precheck that checked nothing would tell the operator the table is
 * fine. Acknowledging it moves the check to the next manual step, whose curl commands do it by hand.
 */
function notChecked(reason: string, askByHand: string[] = []): StepOutcome {
  return {
    status: 'warning',
    summary: `Not checked here: ${reason}. Check it by hand with the curl commands of the next step (clients and data version) before confirming it.`,
    result: { checked: false, reason, askByHand },
  };
}

function surveyResult(survey: DataVersionSurvey, from: string): JsonObject {
  return {
    appId: survey.appId,
    from,
    partitionsReported: survey.partitions.length,
    uncovered: survey.uncovered,
    wrong: survey.wrong.map((entry) => ({ ...entry })),
    appLevel: survey.appLevel.map((entry) => ({ ...entry })),
    servers: survey.servers.map((report) => ({ ...report })),
  };
}

async function check(
  ctx: HotContext,
  profile: PegasusProfile,
  appId: number,
  partitionCount: number,
): Promise<StepOutcome> {
  const listed = await replicaServersOf(ctx, profile);
  if (!listed.ok) return notChecked(`no replica server can be asked: ${listed.reason}`);
  const survey = await surveyDataVersion(listed.servers, appId, partitionCount, { signal: ctx.signal });
  const failed = describeFailedServers(survey.servers);
  const failedServers = survey.servers
    .filter((report) => report.state === 'failed')
    .map((report) => report.server);
  const result = surveyResult(survey, listed.from);
  const wrongAppLevel = survey.appLevel.filter(
    (entry) => entry.error !== 'ERR_OK' || entry.dataVersion !== 1,
  );
  if (survey.wrong.length > 0 || wrongAppLevel.length > 0) {
    const byPartition = survey.wrong.map(
      (entry) => `partition ${entry.pidx}: data_version ${entry.dataVersion} on ${entry.server}`,
    );
    const byServer = wrongAppLevel.map(
      (entry) =>
        `${entry.server}: ${entry.error === 'ERR_OK' ? `data_version ${entry.dataVersion ?? 'unreadable'}` : entry.error}`,
    );
    return {
      status: 'failed',
      summary: `${ctx.params.table} (app ${appId}) is not at data_version 1 everywhere (${[...byPartition, ...byServer].join('; ')}): duplication cannot move it, and admin-cli table-migrator refuses it too`,
      hint:
        'Duplication needs data_version 1 (values with a timetag) on every partition. Move this table with table-copy-data ' +
        'or table-cold-backup instead (with a write stop), or rewrite it into a table created on a current version first.',
      result: { ...result, checked: true },
    };
  }
  const answered = survey.servers.filter((report) => report.state !== 'failed').length;
  if (answered === 0) {
    return notChecked(
      `none of the ${survey.servers.length} replica servers (${listed.from}) answered: ${failed}`,
      failedServers,
    );
  }
  if (survey.uncovered.length > 0) {
    const reported = partitionCount - survey.uncovered.length;
    return {
      status: 'warning',
      summary: `data_version 1 on the ${reported} of ${partitionCount} partitions reported; no replica server reported partition ${describeIndexes(survey.uncovered)}${failed ? ` (failed: ${failed})` : ''}. Check those by hand (next step) before going on.`,
      result: {
        ...result,
        checked: 'partial',
        reason: `partitions ${describeIndexes(survey.uncovered)} were not reported`,
        askByHand: failedServers,
      },
    };
  }
  const reports = survey.partitions.reduce((sum, entry) => sum + entry.reports.length, 0);
  return {
    status: 'succeeded',
    summary: `data_version 1 on all ${partitionCount} partitions of ${ctx.params.table} (${reports} replicas on ${answered} replica servers, ${listed.from})${failed ? `; did not answer: ${failed}` : ''}`,
    result: { ...result, checked: true },
  };
}

export const precheckDataVersionStep: Step = {
  id: HOT_STEP.dataVersion,
  kind: 'precheck',
  severity: 'block',
  title: 'Every partition is at data_version 1 (replica HTTP)',
  why:
    'Duplication ships values with the timetag that data_version 1 adds: a partition at data_version 0 cannot be ' +
    'duplicated correctly, and admin-cli table-migrator refuses such a table. Each replica server answers ' +
    '/replica/data_version for the replicas it holds; the servers come from the meta HTTP /meta/nodes. When none can ' +
    'be asked, the next manual step shows the curl commands instead.',
  async execute(ctx): Promise<StepOutcome> {
    const lookup = lookUpProfile(ctx, ctx.params.profile);
    if (!lookup.ok) return lookup.outcome;
    const table = await tableOf(ctx);
    if ('status' in table) return table;
    return check(ctx, lookup.profile, table.appId, table.partitionCount);
  },
};
