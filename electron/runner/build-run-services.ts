/**
 * What every RunServices shares, whoever builds it (the host, the CLI, the tests): the sleep that wait
 * steps use, which a pause or an abort cuts short.
 */

/** Resolves after `ms`, or at once (without throwing) when the signal aborts: callers check it. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
