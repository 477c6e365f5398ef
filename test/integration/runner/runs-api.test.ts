/**
 * Runbooks and runs over the host API, as the run view and the wizard will use them: over real HTTP
 * with the token, live updates over server-sent events, a real store and the real ZooKeeper servers.
 * Also the host's own recovery: a run waiting at its gate when the host stops is there, waiting, after
 * the host starts again on the same data dir.
 */
import { describe, expect, inject, it } from 'vitest';
import type { RunStreamEvent, RunView } from '../../../shared/api/run-views';
import type { RunningHost } from '../../../electron/host/start-host';
import { apiClient, rejectionOf } from '../../setup/host-fixture';
import { subscribeSse } from '../../setup/sse-client';
import { registerCopyBench } from '../engines/copy-bench';

const SRC = inject('zkPrimary');
const DST = inject('zkSecondary');
const NODES = 1 + 3 * 101;

let sourceId = '';
let targetId = '';

const bench = registerCopyBench({
  label: 'api-rb',
  src: SRC,
  dst: DST,
  tree: { parents: 3, children: 100, payload: (i) => Buffer.alloc(50, i) },
  host: true,
  async setup(opened) {
    await opened.dst.create(opened.target, Buffer.alloc(0));
    const api = client();
    sourceId = (await api.connections.create.mutate({ name: 'source', connectString: SRC })).id;
    targetId = (await api.connections.create.mutate({ name: 'target', connectString: DST })).id;
    await api.connections.setMode.mutate({ id: targetId, readOnly: false, confirmName: 'target' });
  },
  hookMs: 120_000,
});
const { source, target: targets } = bench;

function client(running: RunningHost = bench.host) {
  return apiClient(running);
}

/** Polls runs.get until `match` holds (bounded). */
async function waitForRun(
  runId: string,
  match: (run: RunView) => boolean,
  what: string,
  running: RunningHost = bench.host,
) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { run } = await client(running).runs.get.query({ runId, outputLines: 0, events: 0 });
    if (match(run)) return run;
    // A run that ended (or failed and waits for the operator) will not get there by waiting.
    const stuck = run.state === 'failed' || run.state === 'completed' || run.state === 'aborted';
    if (stuck || Date.now() > deadline) {
      throw new Error(`run ${runId} did not reach ${what}: ${run.state}; ${run.message}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('runbooks and runs over the API', () => {
  it('lists the runbooks with their parameters and steps', async () => {
    const runbooks = await client().runbooks.list.query();
    const subtree = runbooks.find((runbook) => runbook.id === 'subtree-migration');
    expect(subtree).toBeDefined();
    expect(subtree!.params.map((param) => param.name)).toEqual([
      'source',
      'sourcePath',
      'target',
      'targetPath',
      'mode',
      'acl',
      'passLimit',
      'maxNodesPerSecond',
    ]);
    expect(subtree!.params[0]).toMatchObject({ input: 'connection', required: true });
    expect(subtree!.steps.map((step) => step.kind)).toEqual([
      'precheck',
      'precheck',
      'precheck',
      'precheck',
      'action',
      'action',
      'verify',
      'action',
    ]);
  });

  it('refuses bad parameters with the field named, and ad-hoc connect strings in the app', async () => {
    const api = client();
    const bad = await rejectionOf(
      api.runs.create.mutate({
        runbookId: 'subtree-migration',
        params: { source: sourceId, sourcePath: 'relative', target: targetId, targetPath: '/x' },
      }),
    );
    expect(bad.data?.code).toBe('BAD_REQUEST');
    expect(bad.message).toMatch(/^Invalid input: params\.sourcePath: path /);
    expect(Object.keys(bad.data?.fieldErrors ?? {})).toEqual(['params.sourcePath']);
    const adHoc = await rejectionOf(
      api.runs.create.mutate({
        runbookId: 'subtree-migration',
        params: { source: `zk://${SRC}`, sourcePath: source, target: targetId, targetPath: '/x' },
      }),
    );
    expect(adHoc.message).toContain('is not a saved connection: save it in Connections first');
    expect(adHoc.data?.fieldErrors?.['params.source']).toContain('not a saved connection');
    const unknown = await rejectionOf(api.runs.create.mutate({ runbookId: 'nope', params: {} }));
    expect(unknown.data?.code).toBe('NOT_FOUND');
  });

  it('checks first, then runs with live updates, and serves the run, its output, history and report', async () => {
    const api = client();
    const target = `${targets}/api`;
    const created = await api.runs.create.mutate({
      runbookId: 'subtree-migration',
      params: { source: sourceId, sourcePath: source, target: targetId, targetPath: target },
      precheckOnly: true,
    });
    expect(created.precheckOnly).toBe(true);
    const checked = await waitForRun(created.id, (run) => run.state === 'paused', 'the end of the prechecks');
    expect(checked.steps.slice(0, 4).map((step) => step.state)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
      'succeeded',
    ]);
    expect(checked.steps[4]!.state).toBe('pending');
    expect(checked.allowedActions).toEqual(['resume', 'abort', 'skip']);

    const stream = subscribeSse<RunStreamEvent>(bench.host.origin, bench.host.token, 'runs.events', {
      runId: created.id,
    });
    try {
      await stream.waitFor(
        (event) => event.type === 'run' && event.run.state === 'paused',
        10_000,
        'the current view',
      );
      await api.runs.resume.mutate({ runId: created.id });
      const completed = await stream.waitFor(
        (event) => event.type === 'run' && event.run.state === 'completed',
        90_000,
        'completion',
      );
      const final = (completed as Extract<RunStreamEvent, { type: 'run' }>).run;
      expect(final.steps.every((step) => step.state === 'succeeded')).toBe(true);
      expect(final.steps[6]!.result).toMatchObject({ matching: NODES, differences: 0 });
      expect(stream.events.some((event) => event.type === 'output')).toBe(true);
      const progress = stream.events.flatMap((event) => (event.type === 'progress' ? [event.progress] : []));
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.every((event) => event.progress === null || (event.progress.fraction ?? 0) <= 1)).toBe(
        true,
      );
    } finally {
      stream.close();
    }

    const detail = await api.runs.get.query({ runId: created.id, outputLines: 5, events: 500 });
    expect(detail.run.state).toBe('completed');
    expect(detail.output).toHaveLength(5);
    expect(detail.events[0]!.action).toBe('run.completed');
    expect(detail.events.at(-1)!.action).toBe('run.created');

    const first = await api.runs.output.query({ runId: created.id, limit: 3 });
    expect(first.lines.map((line) => line.seq)).toEqual([1, 2, 3]);
    const next = await api.runs.output.query({ runId: created.id, afterSeq: first.nextSeq, limit: 3 });
    expect(next.lines[0]!.seq).toBe(4);
    const migrateOnly = await api.runs.output.query({ runId: created.id, index: 5, limit: 5000 });
    expect(migrateOnly.lines.every((line) => line.index === 5)).toBe(true);

    const byText = await api.runs.list.query({ text: target });
    expect(byText.map((run) => run.id)).toEqual([created.id]);
    expect(byText[0]).toMatchObject({ state: 'completed', stepCount: 8, stepsDone: 8 });
    expect(await api.runs.list.query({ runbookId: 'subtree-migration', states: ['failed'] })).toEqual([]);
    const window = await api.runs.list.query({ from: created.createdAt, to: created.createdAt });
    expect(window.map((run) => run.id)).toContain(created.id);
    expect((await rejectionOf(api.runs.list.query({ from: 10, to: 5 }))).message).toContain(
      'from must not be after to',
    );

    const report = await api.runs.report.query({ runId: created.id, format: 'html' });
    expect(report.fileName).toMatch(/\.html$/);
    expect(report.content).toContain('Migrate a ZooKeeper subtree');
    expect(report.content).toContain(target);

    const refused = await rejectionOf(api.runs.retry.mutate({ runId: created.id }));
    expect(refused.data?.code).toBe('CONFLICT');
    expect(refused.message).toContain('Allowed now: nothing');
    const skip = await rejectionOf(api.runs.skip.mutate({ runId: created.id, reason: ' ' }));
    expect(skip.data?.code).toBe('BAD_REQUEST');
    expect(skip.message).toContain('reason: say why the run can go on without this step');
  }, 120_000);

  it('keeps a run waiting at its gate across a host restart, and takes the typed confirmation after', async () => {
    const target = `${targets}/gate`;
    await bench.dst.create(target, Buffer.from('old'));
    await bench.dst.create(`${target}/stale`, Buffer.from('stale'));
    const created = await client().runs.create.mutate({
      runbookId: 'subtree-migration',
      params: { source: sourceId, sourcePath: source, target: targetId, targetPath: target, mode: 'mirror' },
    });
    await client().runs.start.mutate({ runId: created.id });
    const waiting = await waitForRun(
      created.id,
      (run) => run.steps[5]?.state === 'waiting-for-operator',
      'the mirror gate',
    );
    expect(waiting.driver).toMatchObject({ self: true, pid: process.pid });

    await bench.restartHost();
    const api = client();
    const recovered = await waitForRun(created.id, (run) => run.driver !== null, 'recovery by the new host');
    expect(recovered.state).toBe('running');
    expect(recovered.steps[5]!.awaiting).toMatchObject({ kind: 'confirm-text', expectedText: target });
    const wrong = await rejectionOf(api.runs.confirm.mutate({ runId: created.id, text: 'yes' }));
    expect(wrong.data?.code).toBe('BAD_REQUEST');
    expect(wrong.message).toContain(`type exactly '${target}'`);
    expect(await bench.dst.exists(`${target}/stale`)).not.toBeNull();
    await api.runs.confirm.mutate({ runId: created.id, text: target, note: 'after the restart' });
    const done = await waitForRun(created.id, (run) => run.state !== 'running', 'completion');
    expect(done.state, done.message ?? '').toBe('completed');
    expect(await bench.dst.exists(`${target}/stale`)).toBeNull();
    const { events } = await api.runs.get.query({ runId: created.id, outputLines: 0, events: 500 });
    expect(events.some((event) => event.action === 'run.recovered')).toBe(true);
  }, 120_000);
});
