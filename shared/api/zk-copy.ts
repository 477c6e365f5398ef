/** What the copy engine, its API and the Copy view agree on. */

/** The read-rate ceiling a copy accepts, in source nodes per second (unset: no ceiling). */
export const MAX_RATE_RANGE = { min: 1, max: 1_000_000 } as const;

/** What to change when a read-rate ceiling is out of range (the API's refusal and the form's hint). */
export const MAX_RATE_PROBLEM = `The max read rate is a whole number of nodes per second from ${MAX_RATE_RANGE.min} to ${MAX_RATE_RANGE.max.toLocaleString('en-US')} (none: no limit)`;
