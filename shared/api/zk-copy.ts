/** What the copy engine, its API and the Copy view agree on. */

/** The read-rate ceiling a copy accepts, in source nodes per second (unset: no ceiling). */
export const MAX_RATE_RANGE = { min: 1, max: 1_000_000 } as const;
