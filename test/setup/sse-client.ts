/**
 * A small server-sent-events client for tRPC subscriptions over the host's real HTTP transport
 * (Node 20 has no EventSource). It collects the data events, lets a test wait for one that matches,
 * and closes the request, which is what a renderer going away looks like to the host.
 */
import { request } from 'node:http';

export interface SseSubscription<T> {
  /** Every data event so far, in order. */
  readonly events: T[];
  /** Resolves with the first event (already received or future) that matches; rejects after timeoutMs. */
  waitFor(match: (event: T) => boolean, timeoutMs: number, what?: string): Promise<T>;
  /** Resolves when the server ended the stream (tRPC's `return` event) or the request closed. */
  readonly ended: Promise<void>;
  /** The server's error, if the stream ended with one. */
  readonly error: () => string | undefined;
  close(): void;
}

export function subscribeSse<T>(
  origin: string,
  token: string,
  procedure: string,
  input: unknown,
): SseSubscription<T> {
  const events: T[] = [];
  const waiters = new Set<() => void>();
  let serverError: string | undefined;
  let endedResolve: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => {
    endedResolve = resolve;
  });
  const url = new URL(`${origin}/trpc/${procedure}`);
  url.searchParams.set('input', JSON.stringify(input));
  const wake = () => {
    for (const waiter of [...waiters]) waiter();
  };
  const req = request(
    url,
    { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } },
    (res) => {
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let name = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) name = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
          }
          if (name === 'message' && data.length > 0) {
            events.push(JSON.parse(data.join('\n')) as T);
          } else if (name === 'serialized-error') {
            const parsed = JSON.parse(data.join('\n')) as { error?: { message?: string }; message?: string };
            serverError = parsed.error?.message ?? parsed.message ?? data.join('\n');
          } else if (name === 'return') {
            res.destroy();
          }
          wake();
        }
      });
      res.on('close', () => {
        endedResolve();
        wake();
      });
    },
  );
  req.on('error', () => {
    endedResolve();
    wake();
  });
  req.end();

  let closed = false;
  return {
    events,
    ended,
    error: () => serverError,
    waitFor(match, timeoutMs, what = 'a matching event') {
      return new Promise<T>((resolve, reject) => {
        let seen = 0;
        const check = () => {
          for (; seen < events.length; seen += 1) {
            const event = events[seen] as T;
            if (match(event)) {
              finish();
              resolve(event);
              return;
            }
          }
          if (serverError !== undefined) {
            finish();
            reject(new Error(`the stream failed while waiting for ${what}: ${serverError}`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(
            new Error(
              `no ${what} within ${timeoutMs} ms; got ${events.length} event(s): ${JSON.stringify(events.slice(-5))}`,
            ),
          );
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close() {
      if (closed) return;
      closed = true;
      req.destroy();
    },
  };
}
