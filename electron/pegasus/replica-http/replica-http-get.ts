/**
 * One GET to one replica server's HTTP API (reference §5: the HTTP server shares the replica's RPC
 * port, 34801 by default). Unlike the meta API there is no leader to follow: every replica server
 * answers for itself, so a failure is an answer about that server, never an exception. A 404 is an
 * answer too ("no primary for app", "app_id=N not found", "no duplication assigned"): the server is
 * up but holds nothing of the table for this endpoint.
 */
import { deadlineSignal } from '../../platform/deadline-signal';
import { isHostPort } from '../decoders/host-port';

export type ReplicaHttpFailure = 'TIMEOUT' | 'UNREACHABLE' | 'HTTP_STATUS' | 'BAD_RESPONSE' | 'BAD_ADDRESS';

export type ReplicaHttpAnswer =
  | { kind: 'ok'; server: string; url: string; data: unknown }
  /** The server answered 404: it holds no replica (or no primary, or no duplication) of the table. */
  | { kind: 'not-found'; server: string; url: string; body: string }
  | { kind: 'failed'; server: string; url: string; code: ReplicaHttpFailure; message: string };

export interface ReplicaHttpOptions {
  /** Per request, default 3000 ms. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** For tests; defaults to the global fetch. */
  fetchImpl?: typeof fetch;
}

export const REPLICA_HTTP_TIMEOUT_MS = 3000;

function failureOf(error: unknown, timeoutMs: number): { code: ReplicaHttpFailure; message: string } {
  const name = (error as { name?: string })?.name;
  if (name === 'TimeoutError') return { code: 'TIMEOUT', message: `no answer within ${timeoutMs} ms` };
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const detail = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return { code: 'UNREACHABLE', message: `cannot connect (${detail})` };
}

/** GETs `path?query` from `server` (host:port); the answer says what happened there. */
export async function replicaHttpGet(
  server: string,
  path: string,
  query: string,
  options: ReplicaHttpOptions = {},
): Promise<ReplicaHttpAnswer> {
  const url = `http://${server}${path}${query ? `?${query}` : ''}`;
  if (!isHostPort(server)) {
    return {
      kind: 'failed',
      server,
      url,
      code: 'BAD_ADDRESS',
      message: `${JSON.stringify(server)} is not host:port`,
    };
  }
  const timeoutMs = options.timeoutMs ?? REPLICA_HTTP_TIMEOUT_MS;
  const deadline = deadlineSignal(timeoutMs, options.signal);
  const signal = deadline.signal;
  let status: number;
  let body: string;
  try {
    const response = await (options.fetchImpl ?? fetch)(url, {
      signal,
      redirect: 'manual',
      headers: { accept: 'application/json' },
    });
    status = response.status;
    body = await response.text();
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const { code, message } = failureOf(error, timeoutMs);
    return { kind: 'failed', server, url, code, message: `${server}: ${message}` };
  } finally {
    deadline.clear();
  }
  if (status === 404) return { kind: 'not-found', server, url, body: body.trim().slice(0, 200) };
  if (status < 200 || status >= 300) {
    const text = body.trim().slice(0, 200);
    return {
      kind: 'failed',
      server,
      url,
      code: 'HTTP_STATUS',
      message: `${url} answered ${status}${text ? `: ${text}` : ''}`,
    };
  }
  try {
    return { kind: 'ok', server, url, data: JSON.parse(body) };
  } catch {
    return {
      kind: 'failed',
      server,
      url,
      code: 'BAD_RESPONSE',
      message: `${url} did not answer JSON: ${JSON.stringify(body.slice(0, 80))}`,
    };
  }
}
