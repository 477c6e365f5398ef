/**
 * Runs one tool as a child process: an argument array (never a shell string, so nothing in a table
 * name or a path is interpreted), commands written to stdin and stdin closed (the tool runs them and
 * exits at end of input, like `echo … | ./run.sh shell`), stdout and stderr split into lines and
 * streamed as they come, each kept in memory within a budget.
 *
 * The child leads its own process group, so a timeout or an abort takes down what it started too
 * (run.sh starts pegasus_shell as a child): SIGTERM to the group, SIGKILL after a grace period, and
 * SIGKILL to the group again once the leader is gone, for children that ignored SIGTERM.
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import type { ToolRunOptions, ToolRunResult } from './tool-access';
import { BoundedOutput, LineSplitter } from './bounded-output';
import { redactArgv } from './redaction';
import { ToolRunError } from './tool-run-error';

export interface ProcessSpec {
  /** What the tool is, for messages: 'The Pegasus shell', 'admin-cli'. */
  toolName: string;
  argv: readonly string[];
  cwd?: string | null;
  env?: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed. */
  input?: string;
  /** What the operator can do when the binary cannot be started. */
  fixHint: string;
}

export interface ProcessRunOptions extends ToolRunOptions {
  /** Per stream, default 4 MiB. */
  maxOutputBytes?: number;
  /** Between SIGTERM and SIGKILL, default 3 s. */
  killGraceMs?: number;
}

export const PROCESS_DEFAULTS = { maxOutputBytes: 4 * 1024 * 1024, killGraceMs: 3000 } as const;

/** After the leader exits, how long its pipes may stay open (held by a grandchild) before we stop reading. */
const DRAIN_AFTER_EXIT_MS = 2000;

function errnoOf(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
}

function startFailure(spec: ProcessSpec, argv: string[], error: unknown): ToolRunError {
  const binary = argv[0] ?? '';
  const code = errnoOf(error);
  const located = binary.includes('/') ? `at ${binary}` : `'${binary}' on PATH`;
  if (code === 'ENOENT') {
    return new ToolRunError(
      'NOT_FOUND',
      `${spec.toolName} was not found ${located}: ${spec.fixHint}.`,
      argv,
      null,
      { cause: error },
    );
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'ENOEXEC' || code === 'EISDIR') {
    return new ToolRunError(
      'NOT_EXECUTABLE',
      `${spec.toolName} ${located} cannot be executed (${code}): check that it is a program and has the execute ` +
        `permission (chmod +x), or ${spec.fixHint}.`,
      argv,
      null,
      { cause: error },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ToolRunError('SPAWN_FAILED', `${spec.toolName} could not be started: ${message}.`, argv, null, {
    cause: error,
  });
}

export function runProcess(spec: ProcessSpec, options: ProcessRunOptions = {}): Promise<ToolRunResult> {
  const argv = redactArgv(spec.argv);
  const binary = spec.argv[0];
  if (!binary)
    return Promise.reject(new ToolRunError('BAD_INPUT', `${spec.toolName}: no program to run`, argv));
  if (binary.includes('/') && !binary.startsWith('/')) {
    return Promise.reject(
      new ToolRunError(
        'NOT_FOUND',
        `${spec.toolName} path '${binary}' is relative; the app's working directory is not yours: use an absolute path (${spec.fixHint}).`,
        argv,
      ),
    );
  }
  if (spec.cwd) {
    let isDirectory = false;
    try {
      isDirectory = statSync(spec.cwd).isDirectory();
    } catch {
      isDirectory = false;
    }
    if (!isDirectory) {
      return Promise.reject(
        new ToolRunError(
          'BAD_WORKING_DIR',
          `${spec.toolName} needs the directory ${spec.cwd}, which does not exist here: ${spec.fixHint}.`,
          argv,
        ),
      );
    }
  }
  if (options.signal?.aborted) {
    return Promise.reject(
      new ToolRunError('ABORTED', `${spec.toolName} was not started: the step was stopped.`, argv),
    );
  }

  const maxOutputBytes = options.maxOutputBytes ?? PROCESS_DEFAULTS.maxOutputBytes;
  const killGraceMs = options.killGraceMs ?? PROCESS_DEFAULTS.killGraceMs;
  const started = performance.now();

  return new Promise<ToolRunResult>((resolve, reject) => {
    const child = spawn(binary, spec.argv.slice(1), {
      cwd: spec.cwd ?? undefined,
      env: spec.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      shell: false,
      // Its own process group: kill(-pid) reaches whatever it started.
      detached: true,
      windowsHide: true,
    });

    const outputs = { stdout: new BoundedOutput(maxOutputBytes), stderr: new BoundedOutput(maxOutputBytes) };
    const splitters = (['stdout', 'stderr'] as const).map((stream) => {
      const splitter = new LineSplitter((line) => {
        outputs[stream].push(line);
        try {
          options.onLine?.(line, stream);
        } catch {
          // A listener's bug must not lose the tool's output or leave the process running.
        }
      });
      child[stream].on('data', (chunk: Buffer) => splitter.write(chunk));
      return splitter;
    });

    let stopReason: 'TIMEOUT' | 'ABORTED' | null = null;
    let settled = false;
    let exitCode: number | null = null;
    let exitSignal: string | null = null;
    const timers: NodeJS.Timeout[] = [];

    const killGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch (error) {
        // ESRCH: the whole group is already gone.
        if (errnoOf(error) !== 'ESRCH') child.kill(signal);
      }
    };

    const stop = (reason: 'TIMEOUT' | 'ABORTED') => {
      if (stopReason || settled) return;
      stopReason = reason;
      killGroup('SIGTERM');
      timers.push(setTimeout(() => killGroup('SIGKILL'), killGraceMs));
    };

    const onAbort = () => stop('ABORTED');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.timeoutMs !== undefined && options.timeoutMs > 0) {
      timers.push(setTimeout(() => stop('TIMEOUT'), options.timeoutMs));
    }

    const cleanup = () => {
      for (const timer of timers) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };

    const result = (): ToolRunResult => ({
      argv,
      exitCode,
      signal: exitSignal,
      stdout: outputs.stdout.text(),
      stderr: outputs.stderr.text(),
      durationMs: Math.round(performance.now() - started),
    });

    const finish = () => {
      if (settled) return;
      settled = true;
      cleanup();
      for (const splitter of splitters) splitter.end();
      if (stopReason) {
        // Children of the tool that ignored SIGTERM.
        killGroup('SIGKILL');
        const seconds = ((options.timeoutMs ?? 0) / 1000).toLocaleString('en-US');
        const message =
          stopReason === 'TIMEOUT'
            ? `${spec.toolName} did not finish within ${seconds} s and was stopped (its process group was killed). ` +
              'Check that the meta servers answer, or give the step a longer timeout.'
            : `${spec.toolName} was stopped because the step was paused or aborted (its process group was killed).`;
        reject(new ToolRunError(stopReason, message, argv, result()));
        return;
      }
      resolve(result());
    };

    child.once('error', (error) => {
      if (settled) return;
      settled = true;
      cleanup();
      killGroup('SIGKILL');
      reject(startFailure(spec, argv, error));
    });
    child.once('exit', (code, signal) => {
      exitCode = code;
      exitSignal = signal;
      // Usually 'close' follows at once; a grandchild holding the pipes must not hold the step.
      timers.push(
        setTimeout(() => {
          child.stdout.destroy();
          child.stderr.destroy();
          finish();
        }, DRAIN_AFTER_EXIT_MS),
      );
    });
    child.once('close', finish);

    // A tool that exits before reading all of its input closes the pipe: EPIPE is expected then.
    child.stdin.on('error', () => {});
    child.stdin.end(spec.input ?? '');
  });
}
