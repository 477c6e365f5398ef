/**
 * PegasusToolAccess over real cluster profiles in a real store, running the shell and admin-cli
 * fixtures for real (as `pegasus_shell <config> <cluster>` and as `run.sh shell --cluster`), with
 * the parsers applied to what they print: the documented faults included (Recover result:
 * ERR_TRY_AGAIN, an UNALIVE node, a meta that stays at fl_steady, a copy_data that dies).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PegasusProfileInput } from '../../../shared/api/pegasus-profile';
import {
  adminCliAddDupCommand,
  adminCliChangeDupCommand,
  adminCliListDupCommand,
  clusterInfoCommand,
  copyDataCommand,
  getMetaLevelCommand,
  nodesCommand,
  recoverCommand,
  recoverNodeListContents,
  setAppEnvsCommand,
  setMetaLevelCommand,
  toolLines,
} from '../../../electron/pegasus/commands';
import {
  compareNodeLists,
  parseAddDup,
  parseClusterInfo,
  parseCopyData,
  parseDupChange,
  parseDuplicationList,
  parseGetMetaLevel,
  parseNodeList,
  parseRecover,
  parseScanProgressLine,
  parseSetAppEnvs,
  parseSetMetaLevel,
  type ParseResult,
  type ScanProgress,
} from '../../../electron/pegasus/shell-output';
import { createPegasusToolAccess } from '../../../electron/pegasus/tools/create-tool-access';
import type { PegasusToolAccess } from '../../../electron/pegasus/tools/tool-access';
import { ToolRunError } from '../../../electron/pegasus/tools/tool-run-error';
import { toolOutput } from '../../../electron/pegasus/tools/tool-runners';
import {
  createToolKit,
  FAKE_ADMIN_CLI,
  FAKE_SHELL,
  OUTPUTS_DIR,
  type ToolKit,
} from '../../setup/pegasus-shell-kit';

let kit: ToolKit;
let access: PegasusToolAccess;

const value = <T>(result: ParseResult<T>): T => {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
};

function profile(overrides: Partial<PegasusProfileInput> = {}): string {
  return kit.store.pegasusProfiles.create(
    {
      name: `onebox-${Math.random().toString(36).slice(2, 8)}`,
      clusterRoot: '/pegasus/onebox',
      metaServers: ['127.0.0.1:34601', '127.0.0.1:34602'],
      tools: {
        shell: { kind: 'pegasus_shell', binary: FAKE_SHELL, config: kit.configPath, clusterName: 'onebox' },
        adminCli: FAKE_ADMIN_CLI,
      },
      ...overrides,
    },
    'tester',
  ).id;
}

beforeEach(() => {
  kit = createToolKit({
    copyData: { intervalMs: 20, rowsPerSecond: [500, 700, 600] },
    remoteClusters: ['tjsrv'],
  });
  access = createPegasusToolAccess(kit.store, { actor: 'tester', env: kit.env });
});

afterEach(() => kit.close());

async function shellRun(id: string, commands: string[], onLine?: (line: string) => void) {
  const shell = access.shell(id);
  if (!shell) throw new Error(`no shell: ${access.unavailableReason?.(id, 'shell')}`);
  return shell.run(commands, { timeoutMs: 30_000, onLine });
}

/** A replica server as the shell fixture's scenario lists it (nodes -d): its replica, primary and secondary counts. */
function fixtureNode(
  address: string,
  status: string,
  replicas: number,
  primaries: number,
  secondaries: number,
) {
  return { address, status, replicaCount: replicas, primaryCount: primaries, secondaryCount: secondaries };
}

describe('the shell of a profile', () => {
  it('runs cluster_info as pegasus_shell and parses the facts; both runs are audited', async () => {
    const id = profile();
    expect(access.shell(id)?.describe()).toEqual([FAKE_SHELL, kit.configPath, 'onebox']);
    const result = await shellRun(id, toolLines(clusterInfoCommand()));
    const facts = value(parseClusterInfo(toolOutput(result)));
    expect(facts).toMatchObject({
      clusterName: 'onebox',
      primaryMetaServer: '127.0.0.1:34601',
      metaFunctionLevel: 'steady',
    });
    const events = kit.store.events.list({ target: `pegasus-profile:${id}` }).reverse();
    expect(events.map((event) => event.action)).toEqual(['pegasus.tool.started', 'pegasus.tool.finished']);
    expect(events[0]?.detail).toMatchObject({
      tool: 'shell',
      commands: ['cluster_info'],
      argv: [FAKE_SHELL, kit.configPath, 'onebox'],
    });
    expect(events[1]?.detail).toMatchObject({ exitCode: 0, signal: null });
  });

  it('runs as run.sh shell --cluster from the Pegasus directory', async () => {
    const id = profile({ tools: { shell: { kind: 'run.sh', pegasusDir: kit.pegasusDir }, adminCli: null } });
    expect(access.shell(id)?.describe()).toEqual([
      `${kit.pegasusDir}/run.sh`,
      'shell',
      '--cluster',
      '127.0.0.1:34601,127.0.0.1:34602',
    ]);
    const result = await shellRun(id, ['cluster_info']);
    expect(result.stdout).toContain('The cluster meta list is: 127.0.0.1:34601,127.0.0.1:34602');
    expect(value(parseClusterInfo(toolOutput(result))).clusterName).toBe('onebox');
  });

  it('keeps the meta level across invocations, and catches a meta that stays at fl_steady', async () => {
    const id = profile();
    const set = await shellRun(id, toolLines(setMetaLevelCommand('blind')));
    expect(value(parseSetMetaLevel(toolOutput(set))).oldLevel).toBe('steady');
    const read = await shellRun(id, toolLines(getMetaLevelCommand()));
    expect(value(parseGetMetaLevel(toolOutput(read))).level).toBe('blind');

    kit.writeScenario({ metaLevelStuck: true, stateFile: join(kit.dir, 'stuck-state.json') });
    const stuckSet = await shellRun(id, toolLines(setMetaLevelCommand('blind')));
    // The shell says ok: only reading it back shows nothing changed.
    expect(value(parseSetMetaLevel(toolOutput(stuckSet))).oldLevel).toBe('steady');
    const stuckRead = await shellRun(id, toolLines(getMetaLevelCommand()));
    expect(value(parseGetMetaLevel(toolOutput(stuckRead))).level).toBe('steady');
  });

  it('saves nodes -d -o to a file that parses, and names the UNALIVE node', async () => {
    kit.writeScenario({
      nodes: [
        fixtureNode('127.0.0.1:34801', 'ALIVE', 25, 8, 17),
        fixtureNode('127.0.0.1:34802', 'UNALIVE', 0, 0, 0),
      ],
    });
    const id = profile();
    const file = join(kit.dir, 'onebox.nodes');
    await shellRun(id, toolLines(nodesCommand({ detailed: true, outFile: file })));
    const list = value(parseNodeList(readFileSync(file, 'utf8')));
    expect(list.unaliveNodes).toEqual(['127.0.0.1:34802']);
    expect(list.nodes[0]).toMatchObject({ address: '127.0.0.1:34801', replicaCount: 25 });
  });

  it('recovers: ERR_TRY_AGAIN with its hints, then ERR_OK, and waits for nodes to match the backup', async () => {
    const nodes = [
      { address: '127.0.0.1:34801', status: 'ALIVE', replicaCount: 12, primaryCount: 4, secondaryCount: 8 },
      { address: '127.0.0.1:34802', status: 'ALIVE', replicaCount: 12, primaryCount: 4, secondaryCount: 8 },
    ];
    kit.writeScenario({
      recover: {
        result: 'ERR_TRY_AGAIN',
        waitedSeconds: 2,
        intervalMs: 10,
        hints: [
          'ERROR: collect app and replica info from node(127.0.0.1:34802) failed with err(ERR_NETWORK_FAILURE)',
        ],
      },
      nodesSequence: [
        [
          { ...nodes[0], replicaCount: 0 },
          { ...nodes[1]!, status: 'UNALIVE', replicaCount: 0 },
        ],
        nodes,
      ],
    });
    const id = profile();
    const listFile = join(kit.dir, 'onebox.recover.nodes');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      listFile,
      recoverNodeListContents(
        nodes.map((node) => node.address),
        'from the test',
      ),
    );
    const first = value(
      parseRecover(toolOutput(await shellRun(id, toolLines(recoverCommand({ nodeListFile: listFile }))))),
    );
    expect(first).toMatchObject({ ok: false, result: 'ERR_TRY_AGAIN', waitedSeconds: 2 });
    expect(first.errors[0]).toMatch(/node\(127\.0\.0\.1:34802\) failed/);
    expect(first.nodes).toEqual(['127.0.0.1:34801', '127.0.0.1:34802']);

    kit.writeScenario({
      recover: { result: 'ERR_OK', waitedSeconds: 1, intervalMs: 10 },
      nodesSequence: [nodes],
    });
    const second = value(
      parseRecover(toolOutput(await shellRun(id, toolLines(recoverCommand({ nodeListFile: listFile }))))),
    );
    expect(second).toMatchObject({ ok: true, result: 'ERR_OK' });

    // The wait: nodes -d until address, status and replica count match the backup (bounded).
    kit.writeScenario({
      nodesSequence: [
        [
          { ...nodes[0], replicaCount: 0 },
          { ...nodes[1]!, status: 'UNALIVE', replicaCount: 0 },
        ],
        nodes,
      ],
      stateFile: join(kit.dir, 'wait-state.json'),
    });
    const backup = {
      nodes: nodes.map((node) => ({ ...node, extra: {} })),
      totalNodeCount: 2,
      aliveNodeCount: 2,
      unaliveNodeCount: 0,
      unaliveNodes: [],
    };
    const differences: number[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const current = value(
        parseNodeList(toolOutput(await shellRun(id, toolLines(nodesCommand({ detailed: true }))))),
      );
      const difference = compareNodeLists(backup, current);
      differences.push(difference.changed.length + difference.missing.length);
      if (differences.at(-1) === 0) break;
    }
    expect(differences).toEqual([2, 0]);
  });

  it('streams copy_data progress into parsed figures, and reports a copy that dies', async () => {
    const id = profile();
    const progress: ScanProgress[] = [];
    const command = copyDataCommand({
      sourceTable: 'temp',
      targetCluster: 'tjsrv',
      targetTable: 'temp',
      maxBatchCount: 200,
    });
    const result = await shellRun(id, toolLines(command), (line) => {
      const figure = parseScanProgressLine(line);
      if (figure) progress.push(figure);
    });
    expect(progress.map((p) => [p.seconds, p.totalRows, p.lastSecondRows])).toEqual([
      [1, 500, 500],
      [2, 1200, 700],
      [3, 1800, 600],
    ]);
    const done = value(parseCopyData(toolOutput(result)));
    expect(done).toMatchObject({ outcome: 'done', totalRows: 1800 });
    expect(done.parameters).toMatchObject({ target_cluster_name: 'tjsrv', max_batch_count: '200' });

    kit.writeScenario({
      copyData: {
        intervalMs: 20,
        rowsPerSecond: [500, 300, 0, 0],
        failAtSecond: 2,
        errorMessage: 'async set failed, error = ERR_BUSY',
      },
    });
    const died = value(parseCopyData(toolOutput(await shellRun(id, toolLines(command)))));
    expect(died.outcome).toBe('terminated');
    expect(died.progress.at(-1)?.errorOccurred).toBe(true);
    expect(died.errors[0]).toBe('async set failed, error = ERR_BUSY');

    const noTarget = parseCopyData(
      toolOutput(
        await shellRun(
          id,
          toolLines(copyDataCommand({ sourceTable: 'temp', targetCluster: 'nowhere', targetTable: 'temp' })),
        ),
      ),
    );
    expect(noTarget.ok).toBe(false);
    if (!noTarget.ok)
      expect(noTarget.error.message).toBe('copy_data did not start: get target app client failed');
  });

  it('sets table envs and reports a refused value', async () => {
    const id = profile();
    const ok = await shellRun(
      id,
      toolLines(setAppEnvsCommand('temp', { 'replica.deny_client_request': 'timeout*write' })),
    );
    expect(value(parseSetAppEnvs(toolOutput(ok)))).toEqual({ set: true });
    const refused = parseSetAppEnvs(
      toolOutput(await shellRun(id, ['use temp', 'set_app_envs replica.deny_client_request nothing*write'])),
    );
    expect(refused.ok ? null : refused.error.errorCode).toBe('ERR_INVALID_PARAMETERS');
  });

  it('refuses a command with a line break before starting anything', async () => {
    const id = profile();
    const outcome = await access
      .shell(id)!
      .run(['use temp\nset_meta_level stopped'])
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(outcome).toBeInstanceOf(ToolRunError);
    expect((outcome as ToolRunError).code).toBe('BAD_INPUT');
    expect(kit.store.events.list({ target: `pegasus-profile:${id}` })).toEqual([]);
  });

  it('records a missing binary as a failed run with the fix in the message', async () => {
    const id = profile({
      tools: {
        shell: {
          kind: 'pegasus_shell',
          binary: join(kit.dir, 'gone', 'pegasus_shell'),
          config: kit.configPath,
          clusterName: 'onebox',
        },
        adminCli: null,
      },
    });
    const outcome = (await access
      .shell(id)!
      .run(['cluster_info'])
      .then(
        () => null,
        (error: unknown) => error,
      )) as ToolRunError;
    expect(outcome.code).toBe('NOT_FOUND');
    expect(outcome.message).toMatch(/set the shell path in the cluster profile, or run the step manually/);
    const [failed] = kit.store.events.list({ actionPrefix: 'pegasus.tool.failed' });
    expect(failed?.detail).toMatchObject({ code: 'NOT_FOUND', commands: ['cluster_info'] });
  });

  it('masks secret-looking input in the audit trail', async () => {
    const id = profile();
    await shellRun(id, ['use temp', 'set_app_envs business.info password=hunter2']);
    const started = kit.store.events.list({ actionPrefix: 'pegasus.tool.started' })[0];
    expect(JSON.stringify(started?.detail)).not.toContain('hunter2');
    expect(started?.detail.commands).toEqual(['use temp', 'set_app_envs business.info password=***']);
  });
});

describe('admin-cli of a profile', () => {
  it('adds, lists and pauses a duplication', async () => {
    const id = profile();
    const cli = access.adminCli(id);
    expect(cli?.describe()).toEqual([FAKE_ADMIN_CLI, '-m', '127.0.0.1:34601,127.0.0.1:34602']);
    const added = value(
      parseAddDup(toolOutput(await cli!.run(toolLines(adminCliAddDupCommand('temp', 'tjsrv', true))))),
    );
    const list = value(
      parseDuplicationList(toolOutput(await cli!.run(toolLines(adminCliListDupCommand('temp'))))),
    );
    expect(list.entries.map((entry) => [entry.dupid, entry.status, entry.remote])).toEqual([
      [added.dupid, 'DS_PREPARE', 'tjsrv'],
    ]);
    // Pause only from DS_LOG: the fixture refuses it as the meta does.
    const refused = await cli!.run(toolLines(adminCliChangeDupCommand('pause', 'temp', added.dupid)));
    expect(parseDupChange(toolOutput(refused)).ok).toBe(false);
  });
});

describe('when a tool is not available', () => {
  it('gives null and says why', () => {
    const none = profile({ tools: { shell: null, adminCli: null } });
    expect(access.shell(none)).toBeNull();
    expect(access.unavailableReason?.(none, 'shell')).toMatch(
      /No Pegasus shell is configured in the cluster profile/,
    );
    const runShBare = profile({
      metaServers: [],
      tools: { shell: { kind: 'run.sh', pegasusDir: kit.pegasusDir }, adminCli: FAKE_ADMIN_CLI },
    });
    expect(access.shell(runShBare)).toBeNull();
    expect(access.unavailableReason?.(runShBare, 'shell')).toMatch(
      /needs the meta servers \(for --cluster\) or a cluster name/,
    );
    expect(access.adminCli(runShBare)).toBeNull();
    const hostnames = profile({ metaServers: ['meta-1.example.com:34601', 'meta-2.example.com:34601'] });
    expect(access.adminCli(hostnames)).toBeNull();
    expect(access.unavailableReason?.(hostnames, 'adminCli')).toMatch(/must be ip:port/);
    expect(access.unavailableReason?.('missing', 'shell')).toMatch(/no cluster profile with id 'missing'/);
    expect(access.unavailableReason?.(profile(), 'shell')).toBeNull();
  });
});

describe('the fixture replays the documented formats', () => {
  it('prints [cluster_info] and nodes -d -o exactly as the sample outputs', async () => {
    kit.writeScenario({
      zookeeperRoot: '/pegasus/onebox/127.0.0.1',
      nodes: [
        fixtureNode('127.0.0.1:34801', 'ALIVE', 25, 8, 17),
        fixtureNode('127.0.0.1:34802', 'ALIVE', 26, 9, 17),
        fixtureNode('127.0.0.1:34803', 'ALIVE', 25, 8, 17),
      ],
    });
    const id = profile();
    const file = join(kit.dir, 'nodes.out');
    const result = await shellRun(id, ['cluster_info', `nodes -d -o ${file}`]);
    const block = (text: string) => {
      const lines = text.split('\n');
      const start = lines.indexOf('[cluster_info]');
      return lines.slice(start, start + 10);
    };
    expect(block(result.stdout)).toEqual(block(readFileSync(join(OUTPUTS_DIR, 'cluster-info.txt'), 'utf8')));
    const sample = readFileSync(join(OUTPUTS_DIR, 'nodes-detailed-file.txt'), 'utf8').replace(
      /out_file\s*: \S+/,
      `out_file  : ${file}`,
    );
    expect(readFileSync(file, 'utf8')).toBe(sample);
  });
});
