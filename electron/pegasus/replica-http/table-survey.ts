/**
 * Asks every replica server about one table and puts the answers together per partition, the way
 * admin-cli's table-migrator walks all nodes (reference §3.5): data versions (every replica answers
 * for the partitions it holds) and duplication backlogs (only primaries answer, so a partition whose
 * primary's server did not answer is "not covered"). Each server's failure is kept with its reason,
 * so a step can say which server to look at, or why it fell back to another source.
 */
import { parseDataVersion, parseReplicaDuplication, ReplicaPayloadError } from './replica-payloads';
import { type ReplicaHttpAnswer, type ReplicaHttpOptions, replicaHttpGet } from './replica-http-get';

export interface ServerReport {
  server: string;
  /** answered: it reported partitions; none: 404 (no replica / primary / dup of the table there). */
  state: 'answered' | 'none' | 'failed';
  /** The 404 body or the failure, for the operator. */
  detail: string | null;
}

export interface DataVersionSurvey {
  appId: number;
  servers: ServerReport[];
  /** Every report per partition (each replica of a partition answers). */
  partitions: { pidx: number; reports: { server: string; dataVersion: number }[] }[];
  /** Reports that are not 1, by partition. */
  wrong: { pidx: number; server: string; dataVersion: number }[];
  /** Older servers answer one version for the app, not per partition. */
  appLevel: { server: string; error: string; dataVersion: number | null }[];
  /** Indexes below partitionCount no server reported. */
  uncovered: number[];
}

export interface DupSurvey {
  appId: number;
  dupid: number;
  servers: ServerReport[];
  /** One entry per partition whose primary answered, by index. */
  partitions: {
    pidx: number;
    server: string;
    notConfirmed: number;
    notDuplicated: number;
    duplicating: boolean | null;
  }[];
  /** Per server, the sum over its primaries (what table-migrator's pending_mutations_count shows per node). */
  serverTotals: { server: string; notDuplicated: number; notConfirmed: number }[];
  uncovered: number[];
}

function reportOf(answer: ReplicaHttpAnswer): ServerReport {
  if (answer.kind === 'ok') return { server: answer.server, state: 'answered', detail: null };
  if (answer.kind === 'not-found')
    return { server: answer.server, state: 'none', detail: answer.body || '404' };
  return { server: answer.server, state: 'failed', detail: answer.message };
}

function parseFailure(answer: Extract<ReplicaHttpAnswer, { kind: 'ok' }>, error: unknown): ServerReport {
  const message = error instanceof ReplicaPayloadError ? error.message : String(error);
  return { server: answer.server, state: 'failed', detail: `${answer.url}: ${message}` };
}

function uncoveredOf(partitionCount: number, covered: Set<number>): number[] {
  const missing: number[] = [];
  for (let pidx = 0; pidx < partitionCount; pidx += 1) if (!covered.has(pidx)) missing.push(pidx);
  return missing;
}

function unique(servers: readonly string[]): string[] {
  return [...new Set(servers.map((server) => server.trim()).filter(Boolean))];
}

/** `/replica/data_version?app_id=` on every server, in parallel. */
export async function surveyDataVersion(
  servers: readonly string[],
  appId: number,
  partitionCount: number,
  options: ReplicaHttpOptions = {},
): Promise<DataVersionSurvey> {
  const answers = await Promise.all(
    unique(servers).map((server) =>
      replicaHttpGet(server, '/replica/data_version', `app_id=${appId}`, options),
    ),
  );
  const byPartition = new Map<number, { server: string; dataVersion: number }[]>();
  const appLevel: DataVersionSurvey['appLevel'] = [];
  const reports: ServerReport[] = [];
  for (const answer of answers) {
    if (answer.kind !== 'ok') {
      reports.push(reportOf(answer));
      continue;
    }
    try {
      const parsed = parseDataVersion(answer.data);
      if (parsed.shape === 'per-app') {
        appLevel.push({ server: answer.server, error: parsed.error, dataVersion: parsed.dataVersion });
      } else {
        for (const { pidx, dataVersion } of parsed.partitions) {
          const list = byPartition.get(pidx) ?? [];
          list.push({ server: answer.server, dataVersion });
          byPartition.set(pidx, list);
        }
      }
      reports.push(reportOf(answer));
    } catch (error) {
      reports.push(parseFailure(answer, error));
    }
  }
  const partitions = [...byPartition.entries()]
    .sort(([a], [b]) => a - b)
    .map(([pidx, list]) => ({ pidx, reports: list }));
  const wrong = partitions.flatMap(({ pidx, reports: list }) =>
    list.filter((report) => report.dataVersion !== 1).map((report) => ({ pidx, ...report })),
  );
  return {
    appId,
    servers: reports,
    partitions,
    wrong,
    appLevel,
    uncovered: uncoveredOf(partitionCount, new Set(byPartition.keys())),
  };
}

/** `/replica/duplication?appid=` on every server, in parallel; only `dupid`'s partitions of `appId` count. */
export async function surveyDuplication(
  servers: readonly string[],
  appId: number,
  dupid: number,
  partitionCount: number,
  options: ReplicaHttpOptions = {},
): Promise<DupSurvey> {
  const answers = await Promise.all(
    unique(servers).map((server) =>
      replicaHttpGet(server, '/replica/duplication', `appid=${appId}`, options),
    ),
  );
  const partitions = new Map<number, DupSurvey['partitions'][number]>();
  const reports: ServerReport[] = [];
  const totals: DupSurvey['serverTotals'] = [];
  for (const answer of answers) {
    if (answer.kind !== 'ok') {
      reports.push(reportOf(answer));
      continue;
    }
    try {
      const states = parseReplicaDuplication(answer.data).filter(
        (state) => state.dupid === dupid && state.appId === appId,
      );
      let notDuplicated = 0;
      let notConfirmed = 0;
      for (const state of states) {
        notDuplicated += state.notDuplicated;
        notConfirmed += state.notConfirmed;
        // Two servers claiming one primary happens during a reconfiguration: keep the larger backlog.
        const known = partitions.get(state.pidx);
        if (!known || known.notDuplicated < state.notDuplicated) {
          partitions.set(state.pidx, {
            pidx: state.pidx,
            server: answer.server,
            notConfirmed: state.notConfirmed,
            notDuplicated: state.notDuplicated,
            duplicating: state.duplicating,
          });
        }
      }
      totals.push({ server: answer.server, notDuplicated, notConfirmed });
      reports.push(
        states.length > 0
          ? reportOf(answer)
          : { server: answer.server, state: 'none', detail: `no primary of duplication ${dupid}` },
      );
    } catch (error) {
      reports.push(parseFailure(answer, error));
    }
  }
  return {
    appId,
    dupid,
    servers: reports,
    partitions: [...partitions.values()].sort((a, b) => a.pidx - b.pidx),
    serverTotals: totals,
    uncovered: uncoveredOf(partitionCount, new Set(partitions.keys())),
  };
}

/** "rs-1:34801 (no answer within 3000 ms), rs-2:34801 (...)" for the servers that failed. */
export function describeFailedServers(reports: readonly ServerReport[]): string {
  return reports
    .filter((report) => report.state === 'failed')
    .map((report) => report.detail ?? report.server)
    .join('; ');
}

/** "1, 3, 5 and 2 more": partition indexes for a message. */
export function describeIndexes(indexes: readonly number[], limit = 20): string {
  const shown = indexes.slice(0, limit).join(', ');
  return indexes.length > limit ? `${shown} and ${indexes.length - limit} more` : shown;
}
