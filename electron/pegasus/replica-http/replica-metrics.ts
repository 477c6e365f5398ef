/**
 * A replica server's `/metrics` (the metric system of Pegasus 2.5+), read twice to turn its counters
 * into per-table request rates: what a hot migration's cut-over check needs (source QPS at 0, target
 * QPS up, no non-idempotent write refused by the duplication).
 *
 * What the sources say (apache/incubator-pegasus):
 * - src/utils/metrics.cpp `metrics_http_service::get_metrics_handler`: GET `/metrics` takes the query
 *   fields `types`, `ids`, `attributes` (name,value pairs; an odd count is a 400), `metrics` (metric
 *   names), and on later versions `with_metric_fields` and `detail`; any other field is a 400
 *   `{"error_message":"unknown field ..."}`. Lists are comma separated. Without `with_metric_fields`
 *   and `detail` later versions answer the brief fields (name, value, percentiles), earlier ones every
 *   field: so this reader sends neither, and reads `name` and `value` only.
 * - metrics.cpp `metric_entity::take_snapshot`: each entity is `{"type","id","attributes":{..},
 *   "metrics":[{"name","value",...}]}`; an entity none of whose metrics is chosen is left out.
 *   `metric_filters::match_entity_attrs` matches when any requested name,value pair matches.
 *   metrics.h: kMetricNameField "name", kMetricSingleValueField "value".
 * - The envelope: metrics.cpp `metric_registry::take_snapshot` (2.5) writes a bare array of entities;
 *   later versions wrap it as `{"cluster","role","host","port","timestamp_ns","entities":[...]}`
 *   (collector/metrics/metric_snapshot.go `MetricQueryBriefValueSnapshot`; the shell's
 *   src/shell/command_helper.h computes rates from two such samples with their `timestamp_ns`). Both
 *   are read; the rate uses timestamp_ns when both samples carry it, else the local clock.
 * - Entity "replica" (one per replica a server holds), attributes `table_id` and `partition_id`
 *   (collector/metrics/metric_field.go MetricEntityTableID, and the shell's
 *   `row_data_filters(table_id)` which asks types=replica with attributes table_id,<id>).
 * - Counters of that entity (running totals since the replica opened): reads `get_requests`,
 *   `multi_get_requests`, `batch_get_requests`, `scan_requests` (src/server/pegasus_server_impl.cpp);
 *   writes `put_requests`, `multi_put_requests`, `remove_requests`, `multi_remove_requests`,
 *   `incr_requests`, `check_and_set_requests`, `check_and_mutate_requests`
 *   (src/server/pegasus_write_service.cpp); `dup_requests`, the writes a duplication brought in
 *   (same file); `dup_rejected_non_idempotent_write_requests` (src/replica/replica.cpp, counted in
 *   `replica::on_client_write` when a duplicating table refuses a non-idempotent write with
 *   ERR_OPERATION_DISABLED: the 2.4 perf counter `dup.disabled_non_idempotent_write_count`).
 * - Requests refused by `replica.deny_client_request` (timeout*write, reconfig*all) are dropped in
 *   `on_client_read`/`on_client_write` before they reach those counters: a source that is cut over
 *   reports no new requests.
 *
 * Not pinned down from the sources: whether secondaries count the writes they apply (the shell keeps
 * primaries only when it sums a table); the rates here sum every replica the servers report, which
 * is exact for "0" and "more than 0", and may count a write once per replica.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type ReplicaHttpAnswer, type ReplicaHttpOptions, replicaHttpGet } from './replica-http-get';
import { ReplicaPayloadError } from './replica-payloads';

export const READ_REQUEST_METRICS = [
  'get_requests',
  'multi_get_requests',
  'batch_get_requests',
  'scan_requests',
] as const;
export const WRITE_REQUEST_METRICS = [
  'put_requests',
  'multi_put_requests',
  'remove_requests',
  'multi_remove_requests',
  'incr_requests',
  'check_and_set_requests',
  'check_and_mutate_requests',
] as const;
export const DUP_REQUESTS_METRIC = 'dup_requests';
export const DUP_REJECTED_METRIC = 'dup_rejected_non_idempotent_write_requests';

const ALL_METRICS = [
  ...READ_REQUEST_METRICS,
  ...WRITE_REQUEST_METRICS,
  DUP_REQUESTS_METRIC,
  DUP_REJECTED_METRIC,
];

export interface MetricEntity {
  type: string;
  id: string;
  attributes: Record<string, string>;
  /** name -> value (counters and gauges; percentiles are not read). */
  metrics: Record<string, number>;
}

export interface MetricsSnapshot {
  /** Server time of the snapshot (later versions), or null (2.5's bare array). */
  timestampNs: number | null;
  entities: MetricEntity[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberOf(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return null;
}

/** `/metrics` in either envelope; an entity or metric without the documented fields is an error. */
export function parseMetricsSnapshot(json: unknown): MetricsSnapshot {
  let list: unknown;
  let timestampNs: number | null = null;
  if (Array.isArray(json)) list = json;
  else if (isRecord(json) && Array.isArray(json.entities)) {
    list = json.entities;
    timestampNs = numberOf(json.timestamp_ns);
  } else if (isRecord(json) && typeof json.error_message === 'string') {
    throw new ReplicaPayloadError(`/metrics refused the query: ${json.error_message}`);
  } else {
    throw new ReplicaPayloadError('/metrics should be an array of entities or an object with "entities"');
  }
  const entities = (list as unknown[]).map((raw, index): MetricEntity => {
    if (!isRecord(raw) || typeof raw.type !== 'string' || !Array.isArray(raw.metrics)) {
      throw new ReplicaPayloadError(`/metrics: entity ${index} lacks "type" or "metrics"`);
    }
    const attributes: Record<string, string> = {};
    if (isRecord(raw.attributes)) {
      for (const [key, value] of Object.entries(raw.attributes)) attributes[key] = String(value);
    }
    const metrics: Record<string, number> = {};
    for (const metric of raw.metrics) {
      if (!isRecord(metric) || typeof metric.name !== 'string') {
        throw new ReplicaPayloadError(`/metrics: a metric of entity ${String(raw.id ?? index)} has no name`);
      }
      const value = numberOf(metric.value);
      if (value !== null) metrics[metric.name] = value;
    }
    return { type: raw.type, id: typeof raw.id === 'string' ? raw.id : String(index), attributes, metrics };
  });
  return { timestampNs, entities };
}

/** The query for one table's replica counters: fields every 2.5+ version accepts (a placeholder id for a hand command). */
export function tableMetricsQuery(appId: number | '<app_id>'): string {
  return `types=replica&attributes=table_id,${appId}&metrics=${ALL_METRICS.join(',')}`;
}

/** The totals one replica entity holds, by group. */
interface ReplicaTotals {
  read: number;
  write: number;
  dupRequests: number;
  /** null: the entity does not report the metric (a version without it). */
  dupRejected: number | null;
}

function sum(metrics: Record<string, number>, names: readonly string[]): number {
  return names.reduce((total, name) => total + (metrics[name] ?? 0), 0);
}

/** Per replica entity of `appId` (other tables' entities are ignored even if a server sends them). */
export function replicaTotalsOf(snapshot: MetricsSnapshot, appId: number): Map<string, ReplicaTotals> {
  const totals = new Map<string, ReplicaTotals>();
  for (const entity of snapshot.entities) {
    if (entity.type !== 'replica' || entity.attributes.table_id !== String(appId)) continue;
    totals.set(entity.id, {
      read: sum(entity.metrics, READ_REQUEST_METRICS),
      write: sum(entity.metrics, WRITE_REQUEST_METRICS),
      dupRequests: entity.metrics[DUP_REQUESTS_METRIC] ?? 0,
      dupRejected: entity.metrics[DUP_REJECTED_METRIC] ?? null,
    });
  }
  return totals;
}

/** A counter's growth; a smaller second value means the replica reopened (counter from 0 again). */
function growth(first: number, second: number): number {
  return second >= first ? second - first : second;
}

export interface ServerTraffic {
  server: string;
  /**
   * answered: counters read twice; none: answered without a replica of the table; no-metrics: no
   * `/metrics` there (404: a version before the metric system); failed: the reason is in detail.
   */
  state: 'answered' | 'none' | 'no-metrics' | 'failed';
  detail: string | null;
  /** Replica entities of the table seen in both samples. */
  replicas: number;
  readQps: number;
  writeQps: number;
  dupQps: number;
  /** Running total at the second sample (null: not reported). */
  dupRejected: number | null;
  dupRejectedGrowth: number;
  seconds: number;
}

export interface TableTraffic {
  appId: number;
  servers: ServerTraffic[];
  replicas: number;
  readQps: number;
  writeQps: number;
  dupQps: number;
  /** Sum of the running totals (null: no replica reports the metric). */
  dupRejected: number | null;
  dupRejectedGrowth: number;
}

export interface TrafficSampleOptions extends ReplicaHttpOptions {
  /** Time between the two samples, in ms. */
  intervalMs: number;
}

export type Sample = {
  answer: ReplicaHttpAnswer;
  snapshot: MetricsSnapshot | null;
  error: string | null;
  at: number;
};

async function sampleOnce(server: string, appId: number, options: ReplicaHttpOptions): Promise<Sample> {
  const at = Date.now();
  const answer = await replicaHttpGet(server, '/metrics', tableMetricsQuery(appId), options);
  if (answer.kind !== 'ok') return { answer, snapshot: null, error: null, at };
  try {
    return { answer, snapshot: parseMetricsSnapshot(answer.data), error: null, at };
  } catch (error) {
    const message = error instanceof ReplicaPayloadError ? error.message : String(error);
    return { answer, snapshot: null, error: `${answer.url}: ${message}`, at };
  }
}

function unread(server: string, sample: Sample): ServerTraffic | null {
  const base = {
    server,
    replicas: 0,
    readQps: 0,
    writeQps: 0,
    dupQps: 0,
    dupRejected: null,
    dupRejectedGrowth: 0,
    seconds: 0,
  };
  if (sample.answer.kind === 'not-found') {
    return {
      ...base,
      state: 'no-metrics',
      detail: `${server}: no /metrics (404: a version before 2.5's metrics)`,
    };
  }
  if (sample.answer.kind === 'failed') return { ...base, state: 'failed', detail: sample.answer.message };
  if (sample.error) return { ...base, state: 'failed', detail: sample.error };
  return null;
}

/** Rates of one server between two samples of it. */
export function serverTraffic(server: string, appId: number, first: Sample, second: Sample): ServerTraffic {
  const failed = unread(server, first) ?? unread(server, second);
  if (failed) return failed;
  const a = first.snapshot!;
  const b = second.snapshot!;
  const nanos = a.timestampNs !== null && b.timestampNs !== null ? b.timestampNs - a.timestampNs : null;
  const seconds = nanos !== null && nanos > 0 ? nanos / 1e9 : Math.max(second.at - first.at, 1) / 1000;
  const before = replicaTotalsOf(a, appId);
  const after = replicaTotalsOf(b, appId);
  let read = 0;
  let write = 0;
  let dup = 0;
  let rejected: number | null = null;
  let rejectedGrowth = 0;
  let replicas = 0;
  for (const [id, end] of after) {
    if (end.dupRejected !== null) rejected = (rejected ?? 0) + end.dupRejected;
    const start = before.get(id);
    // A replica that appeared between the samples has no start: its total is not a rate of this window.
    if (!start) continue;
    replicas += 1;
    read += growth(start.read, end.read);
    write += growth(start.write, end.write);
    dup += growth(start.dupRequests, end.dupRequests);
    if (end.dupRejected !== null) rejectedGrowth += growth(start.dupRejected ?? 0, end.dupRejected);
  }
  return {
    server,
    state: after.size > 0 ? 'answered' : 'none',
    detail: after.size > 0 ? null : `${server}: no replica of table_id ${appId} in /metrics`,
    replicas,
    readQps: read / seconds,
    writeQps: write / seconds,
    dupQps: dup / seconds,
    dupRejected: rejected,
    dupRejectedGrowth: rejectedGrowth,
    seconds,
  };
}

/** Two samples of every server, `intervalMs` apart, summed per table. */
export async function sampleTableTraffic(
  servers: readonly string[],
  appId: number,
  options: TrafficSampleOptions,
): Promise<TableTraffic> {
  const list = [...new Set(servers.map((server) => server.trim()).filter(Boolean))];
  const first = await Promise.all(list.map((server) => sampleOnce(server, appId, options)));
  await sleep(options.intervalMs, undefined, options.signal ? { signal: options.signal } : undefined);
  const second = await Promise.all(
    list.map((server, i) =>
      // A server that did not answer the first time is not asked again: its rate cannot be had.
      first[i]!.answer.kind === 'ok' && first[i]!.snapshot ? sampleOnce(server, appId, options) : first[i]!,
    ),
  );
  const traffic = list.map((server, i) => serverTraffic(server, appId, first[i]!, second[i]!));
  const reported = traffic.filter((entry) => entry.dupRejected !== null);
  return {
    appId,
    servers: traffic,
    replicas: traffic.reduce((total, entry) => total + entry.replicas, 0),
    readQps: traffic.reduce((total, entry) => total + entry.readQps, 0),
    writeQps: traffic.reduce((total, entry) => total + entry.writeQps, 0),
    dupQps: traffic.reduce((total, entry) => total + entry.dupQps, 0),
    dupRejected:
      reported.length > 0 ? reported.reduce((total, entry) => total + entry.dupRejected!, 0) : null,
    dupRejectedGrowth: traffic.reduce((total, entry) => total + entry.dupRejectedGrowth, 0),
  };
}

/** "12.5/s" with at most one decimal, for messages. */
export function formatRate(perSecond: number): string {
  return `${Math.round(perSecond * 10) / 10}/s`;
}
