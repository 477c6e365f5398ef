/**
 * The replica servers' `/metrics` reader (electron/pegasus/replica-http/replica-metrics.ts): both
 * envelopes, the table filter, counters turned into rates (server time when both samples carry it),
 * a reopened replica, and two samples of live fixture servers (one answering 404: no metric system).
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  DUP_REJECTED_METRIC,
  parseMetricsSnapshot,
  ReplicaPayloadError,
  replicaTotalsOf,
  type Sample,
  sampleTableTraffic,
  serverTraffic,
  tableMetricsQuery,
} from '../../../electron/pegasus/replica-http';
import { type ReplicaHttpFixture, startReplicaHttpFixture } from '../../fixtures/replica-http-fixture';

const entity = (appId: number, pidx: number, metrics: Record<string, number>) => ({
  type: 'replica',
  id: `replica@${appId}.${pidx}`,
  attributes: { table_id: String(appId), partition_id: String(pidx) },
  metrics: Object.entries(metrics).map(([name, value]) => ({ name, value })),
});

function sample(body: unknown, at: number): Sample {
  return {
    answer: { kind: 'ok', server: 's:1', url: 'http://s:1/metrics', data: body },
    snapshot: parseMetricsSnapshot(body),
    error: null,
    at,
  };
}

const fixtures: ReplicaHttpFixture[] = [];
afterAll(async () => {
  await Promise.allSettled(fixtures.map((fixture) => fixture.close()));
});

describe('parseMetricsSnapshot', () => {
  it('reads the object envelope with timestamp_ns and the bare 2.5 array', () => {
    const entities = [entity(3, 0, { get_requests: 10, put_requests: 4 })];
    const wrapped = parseMetricsSnapshot({ cluster: 'c', role: 'replica', timestamp_ns: 5e9, entities });
    expect(wrapped.timestampNs).toBe(5e9);
    expect(wrapped.entities[0]).toEqual({
      type: 'replica',
      id: 'replica@3.0',
      attributes: { table_id: '3', partition_id: '0' },
      metrics: { get_requests: 10, put_requests: 4 },
    });
    const bare = parseMetricsSnapshot(entities);
    expect(bare.timestampNs).toBeNull();
    expect(bare.entities).toEqual(wrapped.entities);
  });

  it('names what is wrong: a refused query, an entity without metrics', () => {
    expect(() => parseMetricsSnapshot({ error_message: 'unknown field foo=1' })).toThrow(
      /refused the query: unknown field foo=1/,
    );
    expect(() => parseMetricsSnapshot([{ type: 'replica' }])).toThrow(ReplicaPayloadError);
    expect(() => parseMetricsSnapshot('nope')).toThrow(/array of entities/);
  });

  it('asks only fields every 2.5+ version accepts, for one table', () => {
    const query = tableMetricsQuery(7);
    expect(query).toMatch(/^types=replica&attributes=table_id,7&metrics=get_requests,/);
    expect(query).toContain(DUP_REJECTED_METRIC);
    expect(query).not.toContain('with_metric_fields');
  });

  it('sums reads and writes per replica of the table, ignoring other tables', () => {
    const snapshot = parseMetricsSnapshot([
      entity(3, 0, { get_requests: 1, scan_requests: 2, put_requests: 3, incr_requests: 4, dup_requests: 5 }),
      entity(4, 0, { get_requests: 100 }),
    ]);
    const totals = replicaTotalsOf(snapshot, 3);
    expect([...totals.keys()]).toEqual(['replica@3.0']);
    expect(totals.get('replica@3.0')).toEqual({ read: 3, write: 7, dupRequests: 5, dupRejected: null });
  });
});

describe('serverTraffic', () => {
  it('turns two samples into rates over the server time', () => {
    const first = sample(
      {
        timestamp_ns: 1e9,
        entities: [entity(3, 0, { get_requests: 100, put_requests: 10, [DUP_REJECTED_METRIC]: 2 })],
      },
      0,
    );
    const second = sample(
      {
        timestamp_ns: 3e9,
        entities: [entity(3, 0, { get_requests: 140, put_requests: 30, [DUP_REJECTED_METRIC]: 3 })],
      },
      // The local clock says 10 s: the server's 2 s wins.
      10_000,
    );
    expect(serverTraffic('s:1', 3, first, second)).toMatchObject({
      state: 'answered',
      replicas: 1,
      readQps: 20,
      writeQps: 10,
      dupRejected: 3,
      dupRejectedGrowth: 1,
      seconds: 2,
    });
  });

  it('uses the local clock without timestamps, counts a reopened replica from 0, skips a new one', () => {
    const first = sample([entity(3, 0, { get_requests: 500 })], 1000);
    const second = sample([entity(3, 0, { get_requests: 8 }), entity(3, 1, { get_requests: 9000 })], 5000);
    const traffic = serverTraffic('s:1', 3, first, second);
    expect(traffic).toMatchObject({ state: 'answered', replicas: 1, seconds: 4, writeQps: 0 });
    expect(traffic.readQps).toBe(2);
  });

  it('a server without the table answers "none", a 404 "no-metrics"', () => {
    const none = serverTraffic('s:1', 3, sample([entity(4, 0, { get_requests: 1 })], 0), sample([], 1000));
    expect(none).toMatchObject({ state: 'none', detail: 's:1: no replica of table_id 3 in /metrics' });
    const old: Sample = {
      answer: { kind: 'not-found', server: 's:1', url: 'http://s:1/metrics', body: 'not found' },
      snapshot: null,
      error: null,
      at: 0,
    };
    expect(serverTraffic('s:1', 3, old, old).state).toBe('no-metrics');
  });
});

describe('sampleTableTraffic against fixture servers', () => {
  it('samples twice, sums per table, and keeps each server answer', async () => {
    const busy = await startReplicaHttpFixture({
      metrics: [
        {
          appId: 5,
          pidx: 0,
          totals: { get_requests: 10, put_requests: 0 },
          perGet: { get_requests: 30, put_requests: 6 },
        },
        { appId: 5, pidx: 1, totals: { get_requests: 0, [DUP_REJECTED_METRIC]: 0 } },
        { appId: 6, pidx: 0, totals: { get_requests: 0 }, perGet: { get_requests: 999 } },
      ],
      metricsEnvelope: 'array',
    });
    const old = await startReplicaHttpFixture();
    fixtures.push(busy, old);
    const traffic = await sampleTableTraffic([busy.address, old.address], 5, { intervalMs: 200 });
    expect(busy.requests).toEqual([
      `GET /metrics?${tableMetricsQuery(5)}`,
      `GET /metrics?${tableMetricsQuery(5)}`,
    ]);
    // Not asked twice: it has no /metrics.
    expect(old.requests).toHaveLength(1);
    expect(traffic.servers.map((server) => server.state)).toEqual(['answered', 'no-metrics']);
    expect(traffic.replicas).toBe(2);
    expect(traffic.readQps).toBeGreaterThan(0);
    expect(traffic.writeQps).toBeGreaterThan(0);
    // 30 reads and 6 writes over the local time between the two GETs (at least the 200 ms interval).
    expect(traffic.readQps / traffic.writeQps).toBeCloseTo(5, 5);
    expect(traffic.dupRejected).toBe(0);
  });
});
