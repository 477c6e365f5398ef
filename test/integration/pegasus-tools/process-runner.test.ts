/**
 * The child-process runner against the real Pegasus shell fixture: lines stream while the tool
 * runs, in order and tagged by stream; a timeout and an abort kill the whole process group (a
 * grandchild included, SIGKILL when SIGTERM is ignored); a missing or non-executable binary, a bad
 * working directory and a multi-line command fail with what to do; output is bounded in memory.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ProcessSpec, runProcess } from '../../../electron/pegasus/tools/process-runner';
import { ToolRunError } from '../../../electron/pegasus/tools/tool-run-error';
import {
  childPidIn,
  createToolKit,
  FAKE_SHELL,
  processGone,
  type ToolKit,
} from '../../setup/pegasus-shell-kit';

let kit: ToolKit;

beforeEach(() => {
  kit = createToolKit({ copyData: { intervalMs: 30, rowsPerSecond: [100, 200, 300, 400] } });
});

afterEach(() => kit.close());

const shell = (commands: string[], overrides: Partial<ProcessSpec> = {}): ProcessSpec => ({
  toolName: 'The Pegasus shell',
  argv: [FAKE_SHELL, kit.configPath, 'onebox'],
  env: kit.env,
  input: `${commands.join('\n')}\n`,
  fixHint: 'set the shell path in the cluster profile, or run the step manually',
  ...overrides,
});

async function rejection(call: Promise<unknown>): Promise<ToolRunError> {
  const outcome = await call.then(
    () => null,
    (error: unknown) => error,
  );
  if (!(outcome instanceof ToolRunError)) throw new Error(`expected a ToolRunError, got ${String(outcome)}`);
  return outcome;
}

describe('running a tool', () => {
  it('streams every line in order, tagged stdout or stderr, and keeps them in the result', async () => {
    const seen: string[] = [];
    const result = await runProcess(shell(['get_meta_level', 'use temp', 'copy_data -c tjsrv -a temp']), {
      onLine: (line, stream) => seen.push(`${stream}:${line}`),
      timeoutMs: 30_000,
    });
    expect(result.exitCode).toBe(0);
    expect(result.signal).toBeNull();
    expect(result.argv).toEqual([FAKE_SHELL, kit.configPath, 'onebox']);
    const stdout = seen.filter((line) => line.startsWith('stdout:'));
    expect(stdout[0]).toBe('stdout:Pegasus Shell 2.5.0');
    expect(stdout).toContain('stdout:current meta level is fl_steady');
    expect(stdout.indexOf('stdout:current meta level is fl_steady')).toBeLessThan(
      stdout.indexOf('stdout:OK'),
    );
    expect(stdout.at(-1)).toBe('stdout:dsn exit with code 0');
    const progress = seen
      .filter((line) => line.startsWith('stderr:INFO: processed for'))
      .map((line) => Number(/for (\d+) seconds/.exec(line)?.[1]));
    expect(progress).toEqual([1, 2, 3, 4]);
    expect(seen.filter((line) => line.startsWith('stderr:')).at(-1)).toBe(
      'stderr:Copy done, total 1000 rows.',
    );
    expect(result.stdout).toBe(`${stdout.map((line) => line.slice('stdout:'.length)).join('\n')}\n`);
    expect(result.stderr).toContain('Copy done, total 1000 rows.');
  });

  it('hands lines over while the tool still runs: a step can stop it on what it reads', async () => {
    const controller = new AbortController();
    const error = await rejection(
      runProcess(shell(['get_meta_level', 'fixture_sleep 20000', 'cluster_info']), {
        signal: controller.signal,
        onLine: (line) => {
          if (line.startsWith('current meta level')) controller.abort();
        },
        timeoutMs: 60_000,
      }),
    );
    expect(error.code).toBe('ABORTED');
    expect(error.message).toMatch(/stopped because the step was paused or aborted/);
    expect(error.partial?.stdout).toContain('current meta level is fl_steady');
    expect(error.partial?.stdout).not.toContain('[cluster_info]');
    expect(error.partial?.signal).toBe('SIGTERM');
  });

  it('kills the process group on timeout, the grandchild too', async () => {
    kit.writeScenario({ hangOn: 'cluster_info', spawnChild: true });
    const error = await rejection(runProcess(shell(['cluster_info']), { timeoutMs: 1500 }));
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toMatch(/did not finish within 1\.5 s and was stopped/);
    const grandchild = childPidIn(error.partial?.stderr ?? '');
    expect(grandchild).not.toBeNull();
    expect(await processGone(grandchild!)).toBe(true);
  });

  it('escalates to SIGKILL when the tool ignores SIGTERM', async () => {
    kit.writeScenario({ hangOn: 'cluster_info', ignoreSigterm: true });
    const error = await rejection(runProcess(shell(['cluster_info']), { timeoutMs: 1000, killGraceMs: 300 }));
    expect(error.code).toBe('TIMEOUT');
    expect(error.partial?.signal).toBe('SIGKILL');
    expect(error.partial?.stderr).toContain('FIXTURE: ignoring SIGTERM');
  });

  it('kills the process group on abort', async () => {
    kit.writeScenario({ hangOn: 'cluster_info', spawnChild: true });
    const controller = new AbortController();
    let grandchild: number | null = null;
    const error = await rejection(
      runProcess(shell(['cluster_info']), {
        signal: controller.signal,
        timeoutMs: 60_000,
        onLine: (line) => {
          grandchild ??= childPidIn(line);
          if (grandchild !== null) controller.abort();
        },
      }),
    );
    expect(error.code).toBe('ABORTED');
    expect(grandchild).not.toBeNull();
    expect(await processGone(grandchild!)).toBe(true);
    // Already aborted: nothing is started at all.
    const before = await rejection(runProcess(shell(['cluster_info']), { signal: controller.signal }));
    expect(before.code).toBe('ABORTED');
    expect(before.partial).toBeNull();
  });

  it('says what to do about a missing binary, a non-executable one and a missing directory', async () => {
    const missing = await rejection(
      runProcess(shell([], { argv: [join(kit.dir, 'no-such-shell'), 'x', 'y'] })),
    );
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toBe(
      `The Pegasus shell was not found at ${join(kit.dir, 'no-such-shell')}: set the shell path in the cluster profile, or run the step manually.`,
    );
    const onPath = await rejection(runProcess(shell([], { argv: ['no-such-pegasus-shell-on-path'] })));
    expect(onPath.message).toMatch(/'no-such-pegasus-shell-on-path' on PATH/);

    const plain = join(kit.dir, 'not-executable');
    writeFileSync(plain, '#!/bin/sh\necho hi\n');
    chmodSync(plain, 0o644);
    const denied = await rejection(runProcess(shell([], { argv: [plain] })));
    expect(denied.code).toBe('NOT_EXECUTABLE');
    expect(denied.message).toMatch(/cannot be executed \(EACCES\).*chmod \+x.*run the step manually/);

    const relative = await rejection(runProcess(shell([], { argv: ['bin/pegasus_shell'] })));
    expect(relative.code).toBe('NOT_FOUND');
    expect(relative.message).toMatch(/is relative/);

    const noDir = await rejection(runProcess(shell([], { argv: ['/bin/true'], cwd: join(kit.dir, 'gone') })));
    expect(noDir.code).toBe('BAD_WORKING_DIR');
    expect(noDir.message).toContain(join(kit.dir, 'gone'));
  });

  it('keeps the head and the tail of a flood within the budget, and streams all of it', async () => {
    let floodLines = 0;
    const result = await runProcess(shell(['fixture_flood 20000 100']), {
      maxOutputBytes: 64 * 1024,
      onLine: (line) => {
        if (line.startsWith('flood ')) floodLines += 1;
      },
      timeoutMs: 60_000,
    });
    expect(floodLines).toBe(20000);
    expect(Buffer.byteLength(result.stdout)).toBeLessThan(80 * 1024);
    expect(result.stdout.startsWith('Pegasus Shell 2.5.0\n')).toBe(true);
    expect(result.stdout.trimEnd().endsWith('dsn exit with code 0')).toBe(true);
    expect(result.stdout).toMatch(
      /\[… \d+ lines \(\d+ bytes\) not kept here: the output passed the 64 KiB kept in memory/,
    );
    expect(result.stdout).toContain('flood 00019999');
  });

  it('masks secret-looking arguments in the argv it reports', async () => {
    const result = await runProcess({
      toolName: 'echo',
      argv: ['/bin/echo', '--password', 'hunter2', 'token=abc'],
      fixHint: 'n/a',
    });
    expect(result.argv).toEqual(['/bin/echo', '--password', '***', 'token=***']);
    // The process itself got the real arguments.
    expect(result.stdout).toBe('--password hunter2 token=abc\n');
  });
});
