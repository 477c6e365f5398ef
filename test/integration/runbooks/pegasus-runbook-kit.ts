/**
 * What the Pegasus runbook integration tests share: a Runner over a real SQLite store (in a temp dir,
 * or the data dir a CLI child process also uses), the real copy engine, ZooKeeper sessions to the
 * real test servers, and the real PegasusToolAccess running the Pegasus shell fixture (scenario files
 * from pegasus-shell-kit). Plus the cluster side: a seeded cluster whose meta lock nodes are held by
 * live sessions (closing one = stopping that meta), and lock holders on the target ensemble (a meta
 * restarted there). Waits are bounded and say what they saw.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunView } from '../../../shared/api/run-views';
import type { EngineRuns } from '../../../electron/engines/zk-copy/run-manager';
import type { PegasusProfileInput } from '../../../shared/api/pegasus-profile';
import { createPegasusToolAccess } from '../../../electron/pegasus/tools/create-tool-access';
import { createSecretBox } from '../../../electron/platform/secret-box';
import { abortableSleep } from '../../../electron/runner/build-run-services';
import type { RunServices } from '../../../electron/runner/run-services';
import type { Runner } from '../../../electron/runner/runner';
import { openStore } from '../../../electron/store/open-store';
import type { Store } from '../../../electron/store/types';
import { createToolKit, FAKE_SHELL, type ToolKit } from '../../setup/pegasus-shell-kit';
import { makeRunnerCore } from '../runner/runner-test-kit';
import { connectTestZk as connectZk } from '../../setup/pegasus-live-cluster';

export interface PegasusRunbookKit {
  dir: string;
  store: Store;
  engine: EngineRuns;
  services: RunServices;
  runner: Runner;
  /** The shell fixture's scenario, config.ini and state. */
  tools: ToolKit;
  addConnection(name: string, connectString: string, options?: { readWrite?: boolean }): string;
  /**
   * A cluster profile; `shell` true: the fixture is its pegasus_shell; a path: that binary is.
   * `adminCli`: that binary is its admin-cli (none by default).
   */
  addProfile(
    input: Partial<PegasusProfileInput> & { name: string; shell: boolean | string; adminCli?: string },
  ): string;
  /** A new scenario for the shell fixture, its cluster state reset (level, node-list calls). */
  setScenario(scenario: Record<string, unknown>): void;
  /** A second runner on the same store and services: the process after a restart. */
  restart(): Runner;
  /** Stops the runners (runs stay resumable) and releases the store; the data dir is kept when given. */
  close(): Promise<void>;
}

/** Shared with the Chromium runbook tests (test/setup/pegasus-live-cluster). */
export { connectTestZk as connectZk, seedLiveCluster } from '../../setup/pegasus-live-cluster';

export function makePegasusRunbookKit(
  options: {
    /** Use this data dir and file (as `mdesk --data-dir` does) instead of a temp dir of its own. */
    dataDir?: string;
    dbFile?: string;
    scenario?: Record<string, unknown>;
    /** Longest real sleep of a poll (tests need not wait out production intervals). */
    sleepCapMs?: number;
  } = {},
): PegasusRunbookKit {
  const ownDir = options.dataDir === undefined;
  const dir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'mdesk-runbooks-'));
  mkdirSync(dir, { recursive: true });
  const store = openStore({
    file: join(dir, options.dbFile ?? 'store.db'),
    secretBox: createSecretBox(randomBytes(32)),
  });
  const tools = createToolKit(options.scenario ?? {});
  const cap = options.sleepCapMs ?? 200;
  const core = makeRunnerCore({
    store,
    dir,
    credentials: () => [],
    connect: (ref) => connectZk(ref.connectString),
    services: {
      pegasus: createPegasusToolAccess(store, { actor: 'tester', env: tools.env }),
      sleep: (ms, signal) => abortableSleep(Math.min(ms, cap), signal),
    },
  });
  return {
    dir,
    store,
    engine: core.engine,
    services: core.services,
    runner: core.newRunner(),
    tools,
    addConnection: (name, connectString, connectionOptions = {}) =>
      core.addConnection(name, connectString, { readWrite: connectionOptions.readWrite }),
    addProfile({ shell, adminCli, ...input }) {
      return store.pegasusProfiles.create(
        {
          connectionId: null,
          clusterRoot: null,
          metaServers: [],
          ...input,
          tools: {
            shell:
              shell === false
                ? null
                : {
                    kind: 'pegasus_shell',
                    binary: shell === true ? FAKE_SHELL : shell,
                    config: tools.configPath,
                    clusterName: 'onebox',
                  },
            adminCli: adminCli ?? null,
          },
        },
        'tester',
      ).id;
    },
    setScenario(scenario) {
      rmSync(join(tools.dir, 'state.json'), { force: true });
      tools.writeScenario(scenario);
    },
    restart: core.newRunner,
    async close() {
      await core.close();
      store.close();
      tools.close();
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A loopback address nothing listens on (bound, then released): a meta server that is down. */
export async function closedPort(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `127.0.0.1:${port}`;
}

export interface LockHolder {
  node: string;
  close(): Promise<void>;
}

/** A meta started on an ensemble: its LOCKNODE under `lockDir` (parents created), held by its own session. */
export async function holdLock(connectString: string, lockDir: string, address: string): Promise<LockHolder> {
  const session = await connectZk(connectString);
  const parts = lockDir.split('/').filter(Boolean);
  for (let i = 1; i <= parts.length; i += 1) {
    try {
      await session.create(`/${parts.slice(0, i).join('/')}`, Buffer.alloc(0));
    } catch (error) {
      if ((error as { code?: string }).code !== 'NODE_EXISTS') throw error;
    }
  }
  const node = await session.create(`${lockDir}/LOCKNODE`, Buffer.from(address), {
    mode: 'ephemeral-sequential',
  });
  return { node, close: () => session.close() };
}

/** The run once this process does nothing more for it, checked by `match` (which says what it expected). */
export async function settled(
  runner: Runner,
  runId: string,
  what: string,
  match: (run: RunView) => boolean,
): Promise<RunView> {
  const run = await runner.whenIdle(runId);
  if (!match(run)) {
    const steps = run.steps.map((step) => `${step.id}=${step.state}`).join(', ');
    const current = run.currentStep === null ? undefined : run.steps[run.currentStep];
    throw new Error(
      `run ${runId.slice(0, 8)} stopped before ${what}: ${run.state} (${steps}); ${run.message ?? ''} ${current?.outcome ? `[${current.id}: ${current.outcome.summary}]` : ''}`,
    );
  }
  return run;
}

/** The run waits at step `id` for the operator. */
export function waitsAt(id: string, awaiting?: string) {
  return (run: RunView) => {
    const step = run.currentStep === null ? undefined : run.steps[run.currentStep];
    return (
      run.state === 'running' &&
      step?.id === id &&
      step.state === 'waiting-for-operator' &&
      (awaiting === undefined || step.awaiting?.kind === awaiting)
    );
  };
}

/** The run stopped at step `id`, failed. */
export function failedAt(id: string) {
  return (run: RunView) => {
    const step = run.currentStep === null ? undefined : run.steps[run.currentStep];
    return run.state === 'failed' && step?.id === id && step.state === 'failed';
  };
}

export function stepOf(run: RunView, id: string) {
  const step = run.steps.find((candidate) => candidate.id === id);
  if (!step) throw new Error(`run ${run.id} has no step ${id}`);
  return step;
}
