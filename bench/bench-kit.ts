/** What the copy and snapshot benches share: peak memory, rounding, and how a bench process ends. */

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
