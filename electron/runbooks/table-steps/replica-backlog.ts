/**
 * A duplication's backlog per partition as the replicas themselves report it (replica HTTP
 * `/replica/duplication?appid=`, reference §5): `not_duplicated_mutations_num` is what a primary has
 * committed and not shipped yet, live, where ZooKeeper's confirmed decrees are throttled. Only
 * primaries answer, so every replica server is asked; the answer counts only when every partition's
 * primary answered. Otherwise the caller falls back to the confirmed-decree gap and says why.
 */
import type { PegasusProfile } from '../../../shared/api/pegasus-profile';
import {
  type DupSurvey,
  describeFailedServers,
  describeIndexes,
  surveyDuplication,
} from '../../pegasus/replica-http';
import type { JsonObject } from '../../store/types';
import type { AnyStepContext } from '../pegasus-steps/cluster-profile';
import { replicaServersOf } from './replica-servers';

export type ReplicaBacklog =
  | {
      ok: true;
      survey: DupSurvey;
      partitions: number;
      maxNotDuplicated: number;
      totalNotDuplicated: number;
      totalNotConfirmed: number;
      worst: DupSurvey['partitions'][number];
      /** "replica HTTP, 3 servers" for summaries. */
      source: string;
    }
  | { ok: false; reason: string };

export async function replicaBacklog(
  ctx: AnyStepContext,
  profile: PegasusProfile,
  table: { appId: number; partitionCount: number },
  dupid: number,
): Promise<ReplicaBacklog> {
  const listed = await replicaServersOf(ctx, profile);
  if (!listed.ok) return { ok: false, reason: listed.reason };
  const survey = await surveyDuplication(listed.servers, table.appId, dupid, table.partitionCount, {
    signal: ctx.signal,
  });
  const failed = describeFailedServers(survey.servers);
  if (survey.partitions.length === 0) {
    const none = survey.servers.filter((report) => report.state === 'none').map((report) => report.server);
    return {
      ok: false,
      reason:
        `no replica server reported a primary of duplication ${dupid} (app ${table.appId})` +
        `${failed ? `; failed: ${failed}` : ''}${none.length > 0 ? `; none there: ${none.join(', ')}` : ''}`,
    };
  }
  if (survey.uncovered.length > 0) {
    return {
      ok: false,
      reason: `replica HTTP covered ${survey.partitions.length} of ${table.partitionCount} partitions (no primary answered for ${describeIndexes(survey.uncovered)})${failed ? `; failed: ${failed}` : ''}`,
    };
  }
  const worst = survey.partitions.reduce((a, b) => (b.notDuplicated > a.notDuplicated ? b : a));
  const answered = survey.servers.filter((report) => report.state === 'answered').length;
  return {
    ok: true,
    survey,
    partitions: survey.partitions.length,
    maxNotDuplicated: worst.notDuplicated,
    totalNotDuplicated: survey.partitions.reduce((sum, entry) => sum + entry.notDuplicated, 0),
    totalNotConfirmed: survey.partitions.reduce((sum, entry) => sum + entry.notConfirmed, 0),
    worst,
    source: `replica HTTP, primaries on ${answered} server${answered === 1 ? '' : 's'}${failed ? `; failed: ${failed}` : ''}`,
  };
}

/** What a wait stores of a backlog read. */
export function backlogResult(backlog: Extract<ReplicaBacklog, { ok: true }>, threshold: number): JsonObject {
  return {
    source: 'replica HTTP /replica/duplication',
    partitions: backlog.partitions,
    maxNotDuplicated: backlog.maxNotDuplicated,
    totalNotDuplicated: backlog.totalNotDuplicated,
    totalNotConfirmed: backlog.totalNotConfirmed,
    threshold,
    serverTotals: backlog.survey.serverTotals.map((entry) => ({ ...entry })),
    servers: backlog.survey.servers.map((report) => ({ ...report })),
  };
}
