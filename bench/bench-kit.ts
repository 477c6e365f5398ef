/** What the copy and snapshot benches share: peak memory, rounding, and how a bench process ends. */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** This process's peak resident memory while a measured phase runs, sampled every 50 ms. */
export class RssSampler {
  peak = 0;
  private timer: NodeJS.Timeout | undefined;

  start(): void {
    this.peak = process.memoryUsage().rss;
    this.timer = setInterval(() => {
      this.peak = Math.max(this.peak, process.memoryUsage().rss);
    }, 50);
  }

  /** Stops sampling and returns the peak in bytes. */
  stop(): number {
    if (this.timer) clearInterval(this.timer);
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
    return this.peak;
  }
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Runs a bench's main, then exits: 0 when it finished, 1 with the reason on stderr when it failed. */
export function runBench(name: string, main: () => Promise<void>): void {
  main()
    .then(() => process.exit(0))
    .catch((error: unknown) => {
      process.stderr.write(
        `bench:${name} failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exit(1);
    });
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); undefined elsewhere. */
function processCpuSeconds(pid: number): number | undefined {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Linux's USER_HZ: 100 on every architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

export interface CpuShare {
  /** CPU seconds of this process (the engine or the raw client). */
  client: number;
  /** CPU seconds of each named server process; absent where /proc cannot tell. */
  servers: Record<string, number>;
  /** All of it over (cores x wall seconds): near 1, the machine's CPUs were the limit. */
  busyShare: number;
}

/**
 * Where a measured phase's CPU went: this process and the ZooKeeper servers the bench started. On a
 * machine where client and servers share two cores, a copy is bound by their sum, which the raw
 * read and write limits (each measured alone) do not show.
 */
export async function measureCpu<T>(
  servers: Record<string, number>,
  run: () => Promise<T>,
): Promise<{ value: T; cpu: CpuShare }> {
  const before = Object.fromEntries(
    Object.entries(servers).map(([name, pid]) => [name, processCpuSeconds(pid)]),
  );
  const self = process.cpuUsage();
  const started = performance.now();
  const value = await run();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(self);
  const client = (used.user + used.system) / 1e6;
  const serverSeconds: Record<string, number> = {};
  for (const [name, pid] of Object.entries(servers)) {
    const start = before[name];
    const end = processCpuSeconds(pid);
    if (start !== undefined && end !== undefined) serverSeconds[name] = round(end - start, 2);
  }
  const total = client + Object.values(serverSeconds).reduce((sum, value) => sum + value, 0);
  return {
    value,
    cpu: {
      client: round(client, 2),
      servers: serverSeconds,
      busyShare: round(total / (availableParallelism() * seconds), 2),
    },
  };
}
