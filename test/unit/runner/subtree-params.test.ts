/**
 * subtree-migration's parameters as the wizard sends them (typed) and as `mdesk run --param k=v`
 * sends them (strings): defaults, coercion, and messages that name the field and say what to give.
 * Plus the runner's own checks at creation: unknown names, connections that do not exist.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EngineRuns } from '../../../electron/engines/zk-copy/run-manager';
import { createSecretBox } from '../../../electron/platform/secret-box';
import { RUNBOOKS } from '../../../electron/runbooks';
import { subtreeMigrationSchema } from '../../../electron/runbooks/subtree-migration/params';
import { abortableSleep } from '../../../electron/runner/build-run-services';
import { resolveConnection } from '../../../electron/runner/connection-refs';
import { Runner } from '../../../electron/runner/runner';
import { openStore } from '../../../electron/store/open-store';
import { refusal } from '../../setup/run-refusal';

const base = { source: 'src', sourcePath: '/a', target: 'dst', targetPath: '/b' };

describe('subtree-migration parameters', () => {
  it('fills the defaults', () => {
    expect(subtreeMigrationSchema.parse(base)).toEqual({
      ...base,
      mode: 'create-only',
      acl: true,
      passLimit: 2,
    });
  });

  it('takes the strings the CLI passes', () => {
    expect(
      subtreeMigrationSchema.parse({ ...base, mode: 'mirror', acl: 'no', passLimit: '5', targetPath: '/b/' }),
    ).toEqual({ ...base, mode: 'mirror', acl: false, passLimit: 5 });
    expect(subtreeMigrationSchema.parse({ ...base, acl: 'TRUE', passLimit: '' }).acl).toBe(true);
  });

  it('names the field and says what to give', () => {
    const messages = (input: Record<string, unknown>) => {
      const result = subtreeMigrationSchema.safeParse(input);
      expect(result.success).toBe(false);
      return result.success
        ? []
        : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    };
    expect(messages({ ...base, sourcePath: 'relative' })).toEqual([
      expect.stringMatching(/^sourcePath: path /),
    ]);
    expect(messages({ ...base, mode: 'overwrite' })).toEqual(['mode: choose one of create-only, mirror']);
    expect(messages({ ...base, acl: 'maybe' })).toEqual(['acl: give true or false']);
    expect(messages({ ...base, passLimit: '11' })).toEqual(['passLimit: give a whole number from 0 to 10']);
    expect(messages({ ...base, passLimit: '1.5' })).toEqual(['passLimit: give a whole number from 0 to 10']);
    expect(messages({ sourcePath: '/a', target: 'dst', targetPath: '/b' })).toEqual([
      expect.stringMatching(/^source: choose a connection/),
    ]);
    expect(messages({ ...base, target: '  ' })).toEqual([
      expect.stringMatching(/^target: choose a connection/),
    ]);
  });

  it('takes an optional max read rate: empty is none, else a whole number from 1 to 1,000,000', () => {
    for (const blank of [undefined, null, '', '  ']) {
      expect(subtreeMigrationSchema.parse({ ...base, maxNodesPerSecond: blank }).maxNodesPerSecond).toBe(
        undefined,
      );
    }
    expect(subtreeMigrationSchema.parse({ ...base, maxNodesPerSecond: '2000' }).maxNodesPerSecond).toBe(2000);
    expect(subtreeMigrationSchema.parse({ ...base, maxNodesPerSecond: 1 }).maxNodesPerSecond).toBe(1);
    for (const bad of [0, '1000001', '2.5', 'fast', -3]) {
      const result = subtreeMigrationSchema.safeParse({ ...base, maxNodesPerSecond: bad });
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)).toEqual([
        'maxNodesPerSecond: give a whole number of nodes per second from 1 to 1,000,000, or leave it empty for no limit',
      ]);
    }
  });
});

describe('Runner.create parameter checks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mdesk-params-'));
  const store = openStore({ file: join(dir, 'store.db'), secretBox: createSecretBox(randomBytes(32)) });
  store.connections.create({
    name: 'src',
    connectString: '127.0.0.1:2181',
    chroot: null,
    sessionTimeoutMs: 10_000,
    connectTimeoutMs: 5000,
    digestAuth: null,
  });
  const runner = new Runner({
    runbooks: RUNBOOKS,
    services: {
      store,
      connection: (ref) => resolveConnection(store, ref, { allowConnectString: true }),
      zk: () => Promise.reject(new Error('no ZooKeeper in unit tests')),
      copyEngine: {} as EngineRuns,
      pegasus: { profile: () => undefined, shell: () => null, adminCli: () => null },
      actor: 'tester',
      now: Date.now,
      sleep: abortableSleep,
    },
  });

  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a misspelt parameter rather than running with the default', () => {
    const error = refusal(() =>
      runner.create('subtree-migration', {
        ...base,
        source: 'src',
        target: 'zk://127.0.0.1:2182',
        mdoe: 'mirror',
      }),
    );
    expect(error.reason).toBe('invalid');
    expect(error.field).toBe('mdoe');
    expect(error.message).toContain("Unknown parameter 'mdoe' for subtree-migration");
  });

  it('refuses a connection that does not exist, naming the saved ones', () => {
    const error = refusal(() =>
      runner.create('subtree-migration', { ...base, source: 'src', target: 'nope' }),
    );
    expect(error.field).toBe('target');
    expect(error.message).toContain("No saved connection 'nope' (saved: src)");
  });

  it('refuses invalid values with the field name', () => {
    const error = refusal(() =>
      runner.create('subtree-migration', { ...base, source: 'src', target: 'src', passLimit: 'lots' }),
    );
    expect(error.field).toBe('passLimit');
    expect(error.message).toBe(
      'Invalid parameters for subtree-migration: passLimit: give a whole number from 0 to 10',
    );
  });

  it('refuses an unknown runbook, listing the known ones', () => {
    const error = refusal(() => runner.create('no-such-runbook', {}));
    expect(error.reason).toBe('not-found');
    expect(error.message).toContain('Known runbooks: subtree-migration');
  });

  it('records a valid run as a draft with its steps and an audit event', () => {
    const run = runner.create('subtree-migration', {
      ...base,
      source: 'src',
      target: 'zk://127.0.0.1:2182',
      mode: 'mirror',
    });
    expect(run.state).toBe('draft');
    expect(run.allowedActions).toEqual(['start', 'abort']);
    expect(run.steps.map((step) => step.id)).toEqual([
      'precheck-source',
      'precheck-target',
      'precheck-target-writable',
      'precheck-target-empty',
      'plan',
      'confirm-mirror',
      'migrate',
      'validate',
      'report',
    ]);
    expect(run.steps[0]!.why).toContain('copies nothing');
    expect(store.events.list({ target: `run:${run.id}` }).map((event) => event.action)).toEqual([
      'run.created',
    ]);
  });
});
