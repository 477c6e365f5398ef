/**
 * Parsers for the replica server's HTTP payloads (reference §5, `src/replica/replica_http_service.cpp`).
 * Both are nlohmann JSON (real numbers and bools), unlike the meta's table_printer strings; numbers
 * given as strings are accepted as well, so a version that changes the encoder does not break a wait.
 * A payload that does not have the documented shape is an error naming what is wrong, never a guess.
 */

export class ReplicaPayloadError extends Error {
  override name = 'ReplicaPayloadError';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function integerOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) ? value : null;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return null;
}

function boolOf(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === '1' || value === 'true') return true;
  if (value === 0 || value === '0' || value === 'false') return false;
  return null;
}

export type DataVersionAnswer =
  /** master and 2.5+: `{"<pidx>":{"data_version":"1"}}`, one entry per replica the server holds. */
  | { shape: 'per-partition'; partitions: { pidx: number; dataVersion: number }[] }
  /** Older servers: one table_printer row for the app, `{"error":"ERR_OK","data_version":"1"}`. */
  | { shape: 'per-app'; error: string; dataVersion: number | null };

/** `/replica/data_version?app_id=<id>`. */
export function parseDataVersion(json: unknown): DataVersionAnswer {
  if (!isRecord(json)) throw new ReplicaPayloadError('/replica/data_version should be a JSON object');
  if ('error' in json && 'data_version' in json && !isRecord(json.data_version)) {
    return {
      shape: 'per-app',
      error: typeof json.error === 'string' ? json.error : JSON.stringify(json.error),
      dataVersion: integerOf(json.data_version),
    };
  }
  const partitions = Object.entries(json).map(([key, row]) => {
    const pidx = integerOf(key);
    if (pidx === null || pidx < 0) {
      throw new ReplicaPayloadError(
        `/replica/data_version: key ${JSON.stringify(key)} is not a partition index`,
      );
    }
    const version = isRecord(row) ? integerOf(row.data_version) : null;
    if (version === null) {
      throw new ReplicaPayloadError(
        `/replica/data_version: partition ${pidx} has no numeric data_version (${JSON.stringify(row)})`,
      );
    }
    return { pidx, dataVersion: version };
  });
  return { shape: 'per-partition', partitions: partitions.sort((a, b) => a.pidx - b.pidx) };
}

export interface ReplicaDupState {
  dupid: number;
  /** "appid.pidx" as the server writes it. */
  gpid: string;
  appId: number;
  pidx: number;
  duplicating: boolean | null;
  /** Mutations committed here that the follower has not confirmed yet. */
  notConfirmed: number;
  /** Mutations committed here that have not been shipped yet. */
  notDuplicated: number;
  failMode: string | null;
  /** 2.6+. */
  remoteAppName: string | null;
}

/**
 * `/replica/duplication?appid=<id>`: `{"<dupid>":{"<gpid>":{...}}}` for this server's primaries only.
 * Verbatim test payload: `{"1583306653":{"1.1":{"duplicating":false,"fail_mode":"FAIL_SLOW",
 * "not_confirmed_mutations_num":100,"not_duplicated_mutations_num":50,"remote_app_name":"temp"}}}`.
 */
export function parseReplicaDuplication(json: unknown): ReplicaDupState[] {
  if (!isRecord(json)) throw new ReplicaPayloadError('/replica/duplication should be a JSON object');
  const states: ReplicaDupState[] = [];
  for (const [dupKey, byGpid] of Object.entries(json)) {
    const dupid = integerOf(dupKey);
    if (dupid === null || !isRecord(byGpid)) {
      throw new ReplicaPayloadError(
        `/replica/duplication: ${JSON.stringify(dupKey)} is not a dupid with partitions under it`,
      );
    }
    for (const [gpid, row] of Object.entries(byGpid)) {
      const match = /^(\d+)\.(\d+)$/.exec(gpid);
      if (!match || !isRecord(row)) {
        throw new ReplicaPayloadError(
          `/replica/duplication: ${JSON.stringify(gpid)} under dupid ${dupid} is not "appid.pidx" with a state`,
        );
      }
      const notConfirmed = integerOf(row.not_confirmed_mutations_num);
      const notDuplicated = integerOf(row.not_duplicated_mutations_num);
      if (notConfirmed === null || notDuplicated === null) {
        throw new ReplicaPayloadError(
          `/replica/duplication: ${gpid} of dupid ${dupid} lacks not_confirmed_mutations_num or not_duplicated_mutations_num`,
        );
      }
      states.push({
        dupid,
        gpid,
        appId: Number(match[1]),
        pidx: Number(match[2]),
        duplicating: boolOf(row.duplicating),
        notConfirmed,
        notDuplicated,
        failMode: typeof row.fail_mode === 'string' ? row.fail_mode : null,
        remoteAppName: typeof row.remote_app_name === 'string' ? row.remote_app_name : null,
      });
    }
  }
  return states.sort((a, b) => a.dupid - b.dupid || a.pidx - b.pidx);
}
