/**
 * `mdesk` as a child process, for the kill-and-resume tests: started from the repo's source (tsx)
 * with its own data dir, stdout and stderr collected, a bounded wait for a line, SIGKILL (the process
 * dies between two instructions, as with `kill -9`), and the way it ended. Every process started here
 * is tracked so afterAll can kill what a failed test left running; each has a ceiling of its own, so
 * a CLI that hangs fails its test instead of holding the suite.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const REPO = join(__dirname, '..', '..');
const running = new Set<ChildProcess>();

export interface CliEnded {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliProcess {
  child: ChildProcess;
  /** Resolves once the process ended (killed, exited, or stopped at its ceiling). */
  done: Promise<CliEnded>;
  /** Output so far. */
  stdout(): string;
  stderr(): string;
  /** True once the process ended. */
  ended(): boolean;
  /**
   * Resolves with the first line (stdout or stderr) matching `pattern` once it is printed; rejects
   * when the process ends without printing it or after `timeoutMs`, with what it did print.
   */
  waitForLine(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
  /** SIGKILL now; resolves once it is gone, with what it printed. */
  kill(): Promise<CliEnded>;
}

export interface CliOptions {
  /** Appended as --data-dir DIR (every mdesk command accepts it). */
  dataDir?: string;
  /** Added to the environment (MDESK_ZK_AUTH is blank unless given: no test inherits credentials). */
  env?: NodeJS.ProcessEnv;
  /** SIGKILL after this long (default 5 minutes). */
  ceilingMs?: number;
}

function matches(line: string, pattern: RegExp | string): boolean {
  return typeof pattern === 'string' ? line.includes(pattern) : pattern.test(line);
}

/** Starts `mdesk ARGS [--data-dir DIR]` from the source tree. */
export function startCli(args: readonly string[], options: CliOptions = {}): CliProcess {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'electron/cli.ts',
      ...args,
      ...(options.dataDir !== undefined ? ['--data-dir', options.dataDir] : []),
    ],
    {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, MDESK_ZK_AUTH: '', ...options.env },
    },
  );
  running.add(child);
  let stdout = '';
  let stderr = '';
  let isEnded = false;
  const watchers = new Set<() => void>();
  const notify = () => {
    for (const watcher of [...watchers]) watcher();
  };
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    notify();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    notify();
  });
  const ceiling = setTimeout(() => child.kill('SIGKILL'), options.ceilingMs ?? 300_000);
  const done = new Promise<CliEnded>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(ceiling);
      running.delete(child);
      isEnded = true;
      notify();
      resolve({ code, signal, stdout, stderr });
    }),
  );
  const lines = () => `${stdout}\n${stderr}`.split('\n');
  return {
    child,
    done,
    stdout: () => stdout,
    stderr: () => stderr,
    ended: () => isEnded,
    waitForLine(pattern, timeoutMs = 60_000) {
      return new Promise<string>((resolve, reject) => {
        const check = () => {
          const line = lines().find((candidate) => matches(candidate, pattern));
          if (line !== undefined) {
            finish();
            resolve(line);
          } else if (isEnded) {
            finish();
            reject(
              new Error(
                `mdesk ${args.join(' ')} ended (exit ${child.exitCode}, ${child.signalCode}) without printing ${String(pattern)}:\n${stderr}${stdout}`,
              ),
            );
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(
            new Error(
              `mdesk printed no line matching ${String(pattern)} within ${timeoutMs} ms:\n${stderr}${stdout}`,
            ),
          );
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          watchers.delete(check);
        };
        watchers.add(check);
        check();
      });
    },
    async kill() {
      if (!isEnded) child.kill('SIGKILL');
      return done;
    },
  };
}

/** Runs `mdesk ARGS` to its end (bounded by the ceiling). */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliEnded> {
  return startCli(args, options).done;
}

/** The JSON object `--json` prints as the last stdout line. */
export function lastJsonLine<T = Record<string, unknown>>(stdout: string): T {
  const line = stdout.trim().split('\n').at(-1);
  if (!line) throw new Error('mdesk printed nothing on stdout');
  return JSON.parse(line) as T;
}

/** Kills every mdesk process the tests of this file started and that still runs (for afterAll). */
export function killStrayClis(): void {
  for (const child of running) child.kill('SIGKILL');
}

/**
 * Pids of this user's processes whose command line contains `text` (Linux /proc): how a test finds
 * a tool a killed CLI had started (it ran in a process group of its own, so it outlives the CLI
 * unless it ends by itself).
 */
export function pidsWithCommandLine(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmdline.includes(text)) pids.push(Number(entry));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return pids;
}
