/**
 * A client-side deadline for API calls. The host has its own timeouts, but if it hangs or the
 * network stalls the UI must still end the spinner with a message instead of waiting forever.
 */
import { ClientTimeoutError } from './api-error';

/** Default deadline for reads: longer than any ZooKeeper timeout the host applies. */
export const READ_DEADLINE_MS = 30_000;

export async function withDeadline<T>(
  ms: number,
  what: string,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(
        new ClientTimeoutError(
          `${what} got no answer within ${Math.round(ms / 1000)} s. Check that the host is running, then retry.`,
        ),
      );
    }, ms);
  });
  try {
    return await Promise.race([call(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
