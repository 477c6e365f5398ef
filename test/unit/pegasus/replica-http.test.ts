/**
 * The replica-HTTP client (electron/pegasus/replica-http): payload parsers on the documented shapes
 * (reference §5, verbatim test payloads of replica_http_service_test.cpp and
 * dup_replica_http_service_test.cpp), and the per-table surveys against loopback replica fixtures,
 * a 404 server, and one that times out.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  describeFailedServers,
  parseDataVersion,
  parseReplicaDuplication,
  ReplicaPayloadError,
  replicaHttpGet,
  surveyDataVersion,
  surveyDuplication,
} from '../../../electron/pegasus/replica-http';
import { type ReplicaHttpFixture, startReplicaHttpFixture } from '../../fixtures/replica-http-fixture';

const fixtures: ReplicaHttpFixture[] = [];
async function fixture(...args: Parameters<typeof startReplicaHttpFixture>) {
  const started = await startReplicaHttpFixture(...args);
  fixtures.push(started);
  return started;
}

afterAll(async () => {
  await Promise.all(fixtures.map((started) => started.close()));
});

describe('parseDataVersion', () => {
  it('reads the per-partition shape of 2.5+ (verbatim test payload)', () => {
    expect(parseDataVersion(JSON.parse('{"1":{"data_version":"1"}}'))).toEqual({
      shape: 'per-partition',
      partitions: [{ pidx: 1, dataVersion: 1 }],
    });
    expect(parseDataVersion({ '3': { data_version: '0' }, '0': { data_version: 1 } })).toEqual({
      shape: 'per-partition',
      partitions: [
        { pidx: 0, dataVersion: 1 },
        { pidx: 3, dataVersion: 0 },
      ],
    });
  });

  it('reads the older per-app table_printer row', () => {
    expect(parseDataVersion({ error: 'ERR_OK', data_version: '1' })).toEqual({
      shape: 'per-app',
      error: 'ERR_OK',
      dataVersion: 1,
    });
  });

  it('refuses what is not the documented shape, naming the part', () => {
    expect(() => parseDataVersion([])).toThrow(ReplicaPayloadError);
    expect(() => parseDataVersion({ x: { data_version: '1' } })).toThrow(/"x" is not a partition index/);
    expect(() => parseDataVersion({ '2': { version: '1' } })).toThrow(
      /partition 2 has no numeric data_version/,
    );
  });
});

describe('parseReplicaDuplication', () => {
  it('reads the verbatim test payload', () => {
    const states = parseReplicaDuplication(
      JSON.parse(
        '{"1583306653":{"1.1":{"duplicating":false,"fail_mode":"FAIL_SLOW","not_confirmed_mutations_num":100,"not_duplicated_mutations_num":50,"remote_app_name":"temp"}}}',
      ),
    );
    expect(states).toEqual([
      {
        dupid: 1583306653,
        gpid: '1.1',
        appId: 1,
        pidx: 1,
        duplicating: false,
        notConfirmed: 100,
        notDuplicated: 50,
        failMode: 'FAIL_SLOW',
        remoteAppName: 'temp',
      },
    ]);
  });

  it('accepts 2.5 payloads without remote_app_name and numbers as strings', () => {
    const [state] = parseReplicaDuplication({
      '7': {
        '3.0': { duplicating: true, not_confirmed_mutations_num: '4', not_duplicated_mutations_num: '2' },
      },
    });
    expect(state).toMatchObject({
      dupid: 7,
      appId: 3,
      pidx: 0,
      notConfirmed: 4,
      notDuplicated: 2,
      remoteAppName: null,
    });
  });

  it('refuses a bad gpid or a missing count', () => {
    expect(() => parseReplicaDuplication({ '7': { '3-0': {} } })).toThrow(
      /"3-0" under dupid 7 is not "appid.pidx"/,
    );
    expect(() => parseReplicaDuplication({ '7': { '3.0': { not_confirmed_mutations_num: 1 } } })).toThrow(
      /3.0 of dupid 7 lacks/,
    );
    expect(() => parseReplicaDuplication({ dup: {} })).toThrow(/"dup" is not a dupid/);
  });
});

describe('replicaHttpGet', () => {
  it('tells ok, 404 and a refused connection apart', async () => {
    const server = await fixture({ dataVersions: { 2: { 0: 1 } } });
    const ok = await replicaHttpGet(server.address, '/replica/data_version', 'app_id=2');
    expect(ok).toMatchObject({ kind: 'ok', data: { '0': { data_version: '1' } } });
    const none = await replicaHttpGet(server.address, '/replica/data_version', 'app_id=9');
    expect(none).toMatchObject({ kind: 'not-found', body: 'app_id=9 not found' });
    const bad = await replicaHttpGet(server.address, '/replica/data_version', '');
    expect(bad).toMatchObject({ kind: 'failed', code: 'HTTP_STATUS' });
    expect(bad.kind === 'failed' && bad.message).toContain('400: app_id should not be empty');
    const closed = await replicaHttpGet('127.0.0.1:1', '/replica/data_version', 'app_id=2', {
      timeoutMs: 2000,
    });
    expect(closed).toMatchObject({ kind: 'failed', code: 'UNREACHABLE' });
    const address = await replicaHttpGet('not an address', '/replica/data_version', 'app_id=2');
    expect(address).toMatchObject({ kind: 'failed', code: 'BAD_ADDRESS' });
  });

  it('gives up on a slow server after the timeout, naming it', async () => {
    const slow = await fixture({ dataVersions: { 2: { 0: 1 } }, delayMs: 2000 });
    const started = Date.now();
    const answer = await replicaHttpGet(slow.address, '/replica/data_version', 'app_id=2', {
      timeoutMs: 300,
    });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(answer).toMatchObject({
      kind: 'failed',
      code: 'TIMEOUT',
      message: `${slow.address}: no answer within 300 ms`,
    });
  });
});

describe('surveys', () => {
  it('puts data versions together per partition and names the wrong one', async () => {
    const a = await fixture({ dataVersions: { 5: { 0: 1, 1: 1 } } });
    const b = await fixture({ dataVersions: { 5: { 1: 1, 2: 0 } } });
    const empty = await fixture({});
    const survey = await surveyDataVersion([a.address, b.address, empty.address], 5, 4);
    expect(survey.partitions.map((entry) => [entry.pidx, entry.reports.length])).toEqual([
      [0, 1],
      [1, 2],
      [2, 1],
    ]);
    expect(survey.wrong).toEqual([{ pidx: 2, server: b.address, dataVersion: 0 }]);
    expect(survey.uncovered).toEqual([3]);
    expect(survey.servers.find((report) => report.server === empty.address)).toMatchObject({
      state: 'none',
      detail: 'app_id=5 not found',
    });
  });

  it('reads backlogs from primaries, falling over polls, and reports a silent server', async () => {
    const a = await fixture({ primaries: [{ appId: 5, dupid: 77, backlog: { 0: [300, 20, 0], 2: [10] } }] });
    const b = await fixture({ primaries: [{ appId: 5, dupid: 77, backlog: { 1: [50, 0] } }], delayMs: 2000 });
    const first = await surveyDuplication([a.address, b.address], 5, 77, 3, { timeoutMs: 300 });
    expect(first.partitions.map((entry) => [entry.pidx, entry.notDuplicated])).toEqual([
      [0, 300],
      [2, 10],
    ]);
    expect(first.uncovered).toEqual([1]);
    expect(describeFailedServers(first.servers)).toBe(`${b.address}: no answer within 300 ms`);
    b.setDelay(0);
    const second = await surveyDuplication([a.address, b.address], 5, 77, 3);
    expect(second.uncovered).toEqual([]);
    // b's timed-out request is still queued, so this is the first answer it gives: 50.
    expect(second.partitions.map((entry) => entry.notDuplicated)).toEqual([20, 50, 10]);
    expect(second.serverTotals.find((entry) => entry.server === a.address)).toEqual({
      server: a.address,
      notDuplicated: 30,
      notConfirmed: 30,
    });
    // Another dupid of the same app is not this duplication's backlog.
    const other = await surveyDuplication([a.address], 5, 78, 3);
    expect(other.partitions).toEqual([]);
    expect(other.servers[0]).toMatchObject({ state: 'none', detail: 'no primary of duplication 78' });
  });
});
