/**
 * A signal that aborts after `ms` (with a TimeoutError, as AbortSignal.timeout does) or as soon as
 * `outer` aborts, and a clear() to call once the request settled.
 *
 * Written by hand: in Node 20, AbortSignal.any([AbortSignal.timeout(ms), outer]) can lose its
 * timeout, because the timeout signal is held only weakly and may be garbage collected before it
 * fires (nodejs/node#57736). Under memory pressure a replica HTTP request with a 3 s timeout then
 * waited as long as the server took. Here the timer holds the controller strongly until cleared.
 */
export interface DeadlineSignal {
  signal: AbortSignal;
  clear(): void;
}

export function deadlineSignal(ms: number, outer?: AbortSignal): DeadlineSignal {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(new DOMException(`The operation timed out after ${ms} ms`, 'TimeoutError'));
  }, ms);
  const onOuter = () => controller.abort(outer?.reason);
  if (outer?.aborted) onOuter();
  else outer?.addEventListener('abort', onOuter, { once: true });
  return {
    signal: controller.signal,
    clear() {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuter);
    },
  };
}
