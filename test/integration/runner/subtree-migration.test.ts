/**
 * Runbook `subtree-migration` end to end through the Runner, against the real ZooKeeper servers and a
 * real SQLite file: bytes and ACLs arrive exactly; every state change is an audit event; the mirror
 * gate holds until the target path is typed back, and nothing is written before; blocking prechecks
 * all run at once, stop the run, and a retry after the fix goes on.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunView } from '../../../shared/api/run-views';
import type { JsonObject } from '../../../electron/store/types';
import { RunRefusal } from '../../../electron/runner/runner-errors';
import { digestAcl } from '../../../electron/zk/acl';
import type { ZkSession } from '../../../electron/zk/zk-session';
import { uniqueTestRoot } from '../../setup/zk-test-helpers';
import { connect, createAll, readSubtree, removeSubtree } from '../engines/engine-test-kit';
import { makeRunnerKit, type RunnerKit, runEvents } from './runner-test-kit';

const SRC = inject('zkPrimary');
const DST = inject('zkSecondary');
const ADMIN = 'admin:secret';
const OPEN = { scheme: 'world', id: 'anyone', perms: 'cdrwa' };
const source = uniqueTestRoot('rb-src');
const targets = uniqueTestRoot('rb-dst');

let src: ZkSession;
let dst: ZkSession;
let kit: RunnerKit;
let sourceId = '';
let targetId = '';
let readOnlyTargetId = '';

/** The run once this process does nothing more for it (it waits, stopped or ended), checked by `match`. */
async function settled(runId: string, what: string, match: (run: RunView) => boolean): Promise<RunView> {
  const run = await kit.runner.whenIdle(runId);
  if (!match(run)) {
    const steps = run.steps.map((step) => `${step.id}=${step.state}`).join(', ');
    throw new Error(`run ${runId} stopped before ${what}: ${run.state} (${steps}); ${run.message}`);
  }
  return run;
}

beforeAll(async () => {
  src = await connect(SRC, [ADMIN]);
  dst = await connect(DST, [ADMIN]);
  const admin = digestAcl('admin', 'secret');
  const nodes: { path: string; data?: Buffer; acl?: (typeof OPEN)[] }[] = [
    { path: source, data: Buffer.from('root'), acl: [OPEN] },
    // Bytes that are not UTF-8, an empty node, a large one.
    { path: `${source}/binary`, data: Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x0a, 0x00]), acl: [OPEN] },
    { path: `${source}/empty`, data: Buffer.alloc(0), acl: [OPEN] },
    { path: `${source}/large`, data: randomBytes(400_000), acl: [OPEN] },
    { path: `${source}/private`, data: Buffer.from('only admin'), acl: [admin] },
    { path: `${source}/private/inner`, data: randomBytes(64), acl: [admin] },
    {
      path: `${source}/shared`,
      data: Buffer.from('mixed'),
      acl: [admin, { scheme: 'world', id: 'anyone', perms: 'r' }],
    },
  ];
  for (let i = 0; i < 40; i += 1)
    nodes.push({ path: `${source}/many-${i}`, data: randomBytes(i * 7), acl: [OPEN] });
  await createAll(src, nodes);
  await dst.create(targets, Buffer.from('targets'));
  kit = makeRunnerKit();
  sourceId = kit.addConnection('source', SRC, { digestAuth: ADMIN });
  targetId = kit.addConnection('target', DST, { readWrite: true, digestAuth: ADMIN });
  readOnlyTargetId = kit.addConnection('target-ro', DST, { digestAuth: ADMIN });
}, 120_000);

afterAll(async () => {
  await kit?.close();
  await removeSubtree(src, source);
  await removeSubtree(dst, targets);
  await Promise.allSettled([src.close(), dst.close()]);
}, 120_000);

describe('subtree-migration through the runner', () => {
  it('migrates a subtree byte for byte with its ACLs, validates it, and records every transition', async () => {
    const target = `${targets}/create-only`;
    const created = kit.runner.create('subtree-migration', {
      source: sourceId,
      sourcePath: source,
      target: targetId,
      targetPath: target,
    });
    // What the live stream showed, step state by step state and run state by run state.
    const observed: { index: number; state: string }[] = [];
    const runStates: string[] = [];
    const lastSeen = new Map(created.steps.map((step) => [step.index, step.state as string]));
    let lastRun: string = created.state;
    const onRun = (view: RunView) => {
      if (view.id !== created.id) return;
      for (const step of view.steps) {
        if (lastSeen.get(step.index) === step.state) continue;
        lastSeen.set(step.index, step.state);
        observed.push({ index: step.index, state: step.state });
      }
      if (view.state !== lastRun) {
        lastRun = view.state;
        runStates.push(view.state);
      }
    };
    kit.runner.events.on('run', onRun);
    kit.runner.start(created.id);
    const run = await settled(created.id, 'completion', (view) => view.state !== 'running');
    kit.runner.events.off('run', onRun);

    expect(run.state, run.message ?? '').toBe('completed');
    expect(run.steps.map((step) => [step.id, step.state])).toEqual([
      ['precheck-source', 'succeeded'],
      ['precheck-target', 'succeeded'],
      ['precheck-target-writable', 'succeeded'],
      ['precheck-target-empty', 'succeeded'],
      ['plan', 'succeeded'],
      ['migrate', 'succeeded'],
      ['validate', 'succeeded'],
      ['report', 'succeeded'],
    ]);
    const nodeCount = 47;
    expect(run.steps[4]!.result).toMatchObject({ creates: nodeCount, deletes: 0, unreadable: 0 });
    expect(run.steps[5]!.result).toMatchObject({ created: nodeCount, errors: 0 });
    expect(run.steps[6]!.result).toMatchObject({ matching: nodeCount, differences: 0, passes: 0 });
    expect(run.steps[7]!.outcome!.summary).toContain(`${nodeCount} nodes match, 0 differences`);
    expect(run.allowedActions).toEqual([]);
    // The migrate step's progress ended at its total.
    expect(run.steps[5]!.progress).toMatchObject({ unit: 'nodes', fraction: 1 });

    const copied = await readSubtree(dst, target);
    const original = await readSubtree(src, source);
    expect(copied.size).toBe(original.size);
    for (const [rel, node] of original) {
      const twin = copied.get(rel);
      expect(twin, rel).toBeDefined();
      expect(twin!.data.equals(node.data), `data of ${rel}`).toBe(true);
      expect(twin!.acl, `ACL of ${rel}`).toEqual(node.acl);
    }

    // Every step transition and every run transition is an audit event, in order.
    const events = runEvents(kit.store, run.id);
    const stepEvents = events
      .filter((event) => event.action.startsWith('step.'))
      .map((event) => ({ index: event.detail.stepIndex as number, state: event.detail.to as string }));
    expect(stepEvents).toEqual(observed);
    for (const event of events.filter((e) => e.action.startsWith('step.'))) {
      expect(event.detail).toMatchObject({ stepId: run.steps[event.detail.stepIndex as number]!.id });
      expect(event.target).toBe(`run:${run.id}`);
    }
    const runTransitions = events.filter((event) =>
      /^run\.(started|completed|paused|resumed|failed|aborted)$/.test(event.action),
    );
    expect(runTransitions.map((event) => event.detail.to)).toEqual(runStates);
    expect(events[0]!.action).toBe('run.created');
    expect(events.at(-1)!.action).toBe('run.completed');

    // The output is stored and the report has it all, without the credential.
    const output = kit.runner.output(run.id, { limit: 5000 });
    expect(output.lines.some((line) => line.line.includes('copying'))).toBe(true);
    const report = kit.runner.report(run.id, 'markdown');
    expect(report.content).toContain('# Run report: Migrate a ZooKeeper subtree');
    for (const step of run.steps) expect(report.content).toContain(step.title);
    expect(report.content).not.toContain('secret');
    const html = kit.runner.report(run.id, 'html');
    expect(html.fileName).toMatch(/^run-subtree-migration-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.html$/);
    expect(html.content).toContain('Verification results');
  }, 120_000);

  it('passes its max read rate to every engine run it makes: plan, migrate and validate', async () => {
    const target = `${targets}/paced`;
    const created = kit.runner.create('subtree-migration', {
      source: sourceId,
      sourcePath: source,
      target: targetId,
      targetPath: target,
      maxNodesPerSecond: 2000,
    });
    expect(created.params).toMatchObject({ maxNodesPerSecond: 2000 });
    kit.runner.start(created.id);
    const run = await settled(created.id, 'completion', (view) => view.state !== 'running');
    expect(run.state, run.message ?? '').toBe('completed');
    const step = (id: string) => run.steps.find((candidate) => candidate.id === id)!.result as JsonObject;
    const engineRunIds = [
      step('plan').engineRunId as string,
      step('migrate').engineRunId as string,
      ...(step('validate').engineRunIds as string[]),
    ];
    expect(new Set(engineRunIds).size).toBeGreaterThanOrEqual(2);
    for (const id of engineRunIds) {
      expect(kit.store.engineRuns.get(id)?.params, id).toMatchObject({ maxNodesPerSecond: 2000 });
    }
    expect(step('validate')).toMatchObject({ matching: 47, differences: 0 });
  }, 60_000);

  it('holds mirror mode at its gate until the target path is typed back, writing nothing before', async () => {
    const target = `${targets}/mirror`;
    await createAll(dst, [
      { path: target, data: Buffer.from('old root') },
      { path: `${target}/stale`, data: Buffer.from('not in the source') },
      { path: `${target}/stale/child`, data: Buffer.from('x') },
      { path: `${target}/binary`, data: Buffer.from('different') },
    ]);
    const created = kit.runner.create('subtree-migration', {
      source: sourceId,
      sourcePath: source,
      target: targetId,
      targetPath: target,
      mode: 'mirror',
    });
    kit.runner.start(created.id);
    const atGate = await settled(
      created.id,
      'the gate',
      (view) => view.steps[5]?.state === 'waiting-for-operator',
    );
    expect(atGate.state).toBe('running');
    expect(atGate.currentStep).toBe(5);
    const gate = atGate.steps[5]!;
    expect(gate).toMatchObject({ id: 'confirm-mirror', kind: 'gate' });
    expect(gate.awaiting).toMatchObject({ kind: 'confirm-text', expectedText: target, headless: true });
    expect(atGate.allowedActions).toEqual(expect.arrayContaining(['confirm', 'skip', 'abort', 'pause']));
    expect(atGate.steps[3]!.outcome!.summary).toContain('mirror mode will make it equal to the source');
    expect(atGate.steps[4]!.result).toMatchObject({ deletes: 2 });
    expect(atGate.message).toContain(`Type '${target}' to confirm`);

    // A wrong text is refused and recorded; the target is untouched.
    expect(() => kit.runner.confirm(created.id, { text: `${target}/` })).toThrow(RunRefusal);
    expect(runEvents(kit.store, created.id).some((event) => event.action === 'step.confirm-refused')).toBe(
      true,
    );
    expect(kit.runner.get(created.id).steps[5]!.state).toBe('waiting-for-operator');
    expect((await dst.getData(`${target}/stale/child`)).data.toString()).toBe('x');
    expect((await dst.getData(`${target}/binary`)).data.toString()).toBe('different');

    kit.runner.confirm(created.id, { text: target, note: 'checked with the app team' });
    const run = await settled(created.id, 'completion', (view) => view.state !== 'running');
    expect(run.state, run.message ?? '').toBe('completed');
    expect(run.steps[5]).toMatchObject({
      state: 'succeeded',
      note: 'checked with the app team',
      confirmedText: target,
    });
    expect(run.steps[5]!.result).toMatchObject({ confirmed: true });
    expect(run.steps[6]!.result).toMatchObject({ deleted: 2 });
    expect(await dst.exists(`${target}/stale`)).toBeNull();
    expect((await dst.getData(`${target}/binary`)).data).toEqual(
      Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x0a, 0x00]),
    );
    const confirmed = runEvents(kit.store, run.id).find((event) => event.action === 'step.confirmed');
    expect(confirmed?.detail).toMatchObject({
      stepIndex: 5,
      note: 'checked with the app team',
      text: target,
    });
  }, 120_000);

  it('runs every precheck at once, blocks on the failures, and goes on after a fix and a retry', async () => {
    const target = `${targets}/occupied`;
    await createAll(dst, [
      { path: target, data: Buffer.from('') },
      { path: `${target}/someone-else`, data: Buffer.from('theirs') },
    ]);
    const created = kit.runner.create('subtree-migration', {
      source: sourceId,
      sourcePath: source,
      target: readOnlyTargetId,
      targetPath: target,
    });
    kit.runner.start(created.id);
    const failed = await settled(created.id, 'the failure', (view) => view.state === 'failed');
    expect(failed.steps.slice(0, 5).map((step) => step.state)).toEqual([
      'succeeded',
      'succeeded',
      'failed',
      'failed',
      'pending',
    ]);
    expect(failed.currentStep).toBe(2);
    expect(failed.steps[2]!.outcome).toMatchObject({
      status: 'failed',
      summary: 'The target connection @target-ro is read-only',
      hint: expect.stringContaining('Switch @target-ro to read-write'),
    });
    expect(failed.steps[3]!.outcome!.hint).toContain('mirror mode');
    expect(failed.allowedActions).toEqual(['retry', 'skip', 'abort']);
    expect(failed.message).toContain('Retry it, skip it with a reason, or abort the run');

    // It waits: nothing is retried by itself.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(kit.runner.get(created.id).steps[2]!.attempts).toBe(1);

    kit.store.connections.update(readOnlyTargetId, { readOnly: false });
    kit.runner.retry(created.id);
    const again = await settled(
      created.id,
      'the next failure',
      (view) => view.state === 'failed' && view.currentStep === 3,
    );
    expect(again.steps[2]).toMatchObject({ state: 'succeeded', attempts: 2 });
    expect(again.steps[3]!.state).toBe('failed');
    // Nothing was written to the occupied path.
    expect((await dst.getChildren(target)).children).toEqual(['someone-else']);
    await kit.runner.abort(created.id, { confirm: created.id.slice(0, 8), reason: 'wrong target' });
    kit.store.connections.update(readOnlyTargetId, { readOnly: true });
    expect(kit.runner.get(created.id).state).toBe('aborted');
  }, 120_000);

  it('fails the source precheck for a missing path, with what to check', async () => {
    const created = kit.runner.create('subtree-migration', {
      source: sourceId,
      sourcePath: `${source}-missing`,
      target: targetId,
      targetPath: `${targets}/never`,
    });
    kit.runner.start(created.id);
    const failed = await settled(created.id, 'the failure', (view) => view.state === 'failed');
    expect(failed.currentStep).toBe(0);
    expect(failed.steps[0]!.outcome!.summary).toBe(
      `The source path ${source}-missing does not exist on @source`,
    );
    expect(failed.steps[0]!.outcome!.hint).toContain('case-sensitive');
    expect(await dst.exists(`${targets}/never`)).toBeNull();
  }, 60_000);
});
