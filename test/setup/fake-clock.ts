/** A clock a test moves by hand, for code that takes `now: () => number` (progress meters, pacers). */
export function fakeClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}
